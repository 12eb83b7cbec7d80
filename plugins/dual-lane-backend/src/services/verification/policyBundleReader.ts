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

/** The Kyverno or Gatekeeper policy a YAML document declares, if any. */
function policyOf(value: any, file: string): PolicyEntry | undefined {
  const apiVersion = String(value?.apiVersion ?? '');
  const name = value?.metadata?.name;
  if (!name) return undefined;
  if (
    apiVersion.startsWith('kyverno.io/') &&
    ['ClusterPolicy', 'Policy'].includes(value.kind)
  ) {
    return { name, kind: value.kind, engine: 'kyverno', file };
  }
  if (
    apiVersion.startsWith('templates.gatekeeper.sh/') ||
    apiVersion.startsWith('constraints.gatekeeper.sh/')
  ) {
    return { name, kind: String(value.kind), engine: 'opa-gatekeeper', file };
  }
  return undefined;
}

/**
 * Reads every document of a YAML file. A document that does not parse or
 * cannot be converted (e.g. an alias bomb, which `yaml` refuses with
 * "Excessive alias count") is a problem of that file, not an exception.
 */
function readYamlPolicies(
  file: string,
  text: string,
  policies: PolicyEntry[],
  problems: string[],
) {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    return;
  }
  let index = 0;
  for (const doc of docs) {
    index += 1;
    if (doc.errors.length > 0) {
      problems.push(`${file}: document ${index}: ${doc.errors[0].message}`);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (error) {
      problems.push(`${file}: document ${index}: ${(error as Error).message}`);
      continue;
    }
    const policy = policyOf(value, file);
    if (policy) policies.push(policy);
  }
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
      readYamlPolicies(entry.name, text, policies, problems);
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
