import { parseAllDocuments } from 'yaml';
import { ArchiveError, readTarGz } from './archiveReader';
import { ArchiveLimits } from './config';

export interface PolicyEntry {
  name: string;
  kind: string;
  engine: string;
  /** The file inside the bundle. */
  file: string;
}

export interface PolicyBundleContents {
  policies: PolicyEntry[];
  /** From an OPA `.manifest` revision or a `VERSION` file, when the bundle names one. */
  version?: string;
  unknownEntries: string[];
  /** Files that could not be parsed, with why. */
  problems: string[];
}

const POLICY_FILE = /\.(ya?ml|rego|json)$/i;

function isKept(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  return POLICY_FILE.test(name) || base === '.manifest' || base === 'VERSION';
}

/**
 * Lists the policies inside a `policies.tar.gz`: Kyverno `ClusterPolicy` /
 * `Policy` and Gatekeeper `ConstraintTemplate` documents in YAML, and OPA
 * Rego modules by their `package`. Reads with the same limits as artifact
 * bundles; throws ArchiveError for an unsafe archive.
 */
export async function readPolicyBundle(
  data: Buffer,
  limits: ArchiveLimits,
): Promise<PolicyBundleContents> {
  const archive = await readTarGz(data, { limits, keep: isKept });
  const policies: PolicyEntry[] = [];
  const problems: string[] = [];
  let version: string | undefined;
  for (const entry of archive.entries) {
    if (!entry.content) continue;
    const text = entry.content.toString('utf8');
    const base = entry.name.split('/').pop();
    if (base === '.manifest') {
      try {
        const revision = JSON.parse(text).revision;
        if (typeof revision === 'string' && revision) version = revision;
      } catch (error) {
        problems.push(`${entry.name}: ${(error as Error).message}`);
      }
    } else if (base === 'VERSION') {
      version = version ?? (text.trim() || undefined);
    } else if (/\.rego$/i.test(entry.name)) {
      const pkg = text.match(/^\s*package\s+([\w.[\]"-]+)/m)?.[1];
      if (pkg) {
        policies.push({
          name: pkg,
          kind: 'Rego',
          engine: 'opa',
          file: entry.name,
        });
      } else {
        problems.push(`${entry.name}: no package declaration`);
      }
    } else if (/\.ya?ml$/i.test(entry.name)) {
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length > 0) {
          problems.push(`${entry.name}: ${doc.errors[0].message}`);
          continue;
        }
        const value = doc.toJS() as any;
        const apiVersion = String(value?.apiVersion ?? '');
        const name = value?.metadata?.name;
        if (!name) continue;
        if (
          apiVersion.startsWith('kyverno.io/') &&
          ['ClusterPolicy', 'Policy'].includes(value.kind)
        ) {
          policies.push({
            name,
            kind: value.kind,
            engine: 'kyverno',
            file: entry.name,
          });
        } else if (apiVersion.startsWith('templates.gatekeeper.sh/')) {
          policies.push({
            name,
            kind: String(value.kind),
            engine: 'opa-gatekeeper',
            file: entry.name,
          });
        } else if (apiVersion.startsWith('constraints.gatekeeper.sh/')) {
          policies.push({
            name,
            kind: String(value.kind),
            engine: 'opa-gatekeeper',
            file: entry.name,
          });
        }
      }
    }
  }
  return {
    policies,
    version,
    unknownEntries: archive.unknownEntries,
    problems,
  };
}

export { ArchiveError };
