import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DemoRepository, repositorySchema } from '../fixtures/schema';

/** A release asset as served: its fixture plus what GitHub computes for it. */
export interface LoadedAsset {
  id: number;
  name: string;
  contentType: string;
  /** Absolute path of its bytes. */
  path: string;
  size: number;
  /** `sha256:<hex>`, as GitHub reports it for assets uploaded since 2025. */
  digest: string;
}

export interface LoadedRepository {
  fixture: DemoRepository;
  /** Asset id → the asset. */
  assets: Map<number, LoadedAsset>;
  /** Repository file path → its text. */
  contents: Map<string, string>;
  /** Subject digest → attestation bundles (parsed JSON). */
  attestations: Map<string, Array<{ id: number; bundle: unknown }>>;
}

export interface DemoData {
  /** The time every relative time in the fixtures is resolved against. */
  now: Date;
  /** `owner/name` (lower case) → repository. */
  repositories: Map<string, LoadedRepository>;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Demo data file ${file} is not readable JSON: ${error}`);
  }
}

function listJson(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listJson(full);
      return entry.name.endsWith('.json') ? [full] : [];
    })
    .sort();
}

/** A file named by a fixture, which must stay inside the data directory. */
function dataPath(dataDir: string, relative: string, what: string): string {
  const full = path.resolve(dataDir, relative);
  if (!full.startsWith(`${path.resolve(dataDir)}${path.sep}`)) {
    throw new Error(`${what}: ${relative} is outside the demo data directory`);
  }
  if (!fs.existsSync(full)) {
    throw new Error(`${what}: ${relative} does not exist in ${dataDir}`);
  }
  return full;
}

/**
 * Reads and validates the demo's GitHub fixtures
 * (`<dataDir>/github/repos/<owner>/<repo>.json`) with the files they name
 * (release assets, attestation bundles, AGENTS.md/CLAUDE.md contents). A
 * malformed fixture stops the load with the file and the field at fault.
 */
export function loadDemoData(
  dataDir: string,
  options: { now?: Date } = {},
): DemoData {
  const reposDir = path.join(dataDir, 'github', 'repos');
  const files = listJson(reposDir);
  if (files.length === 0) {
    throw new Error(
      `No demo repositories in ${reposDir}: run 'yarn demo:generate' to create them`,
    );
  }
  const now = new Date(options.now ?? Date.now());
  // Whole minutes: the served history does not move between two reads.
  now.setUTCSeconds(0, 0);
  const repositories = new Map<string, LoadedRepository>();
  for (const file of files) {
    const parsed = repositorySchema.safeParse(readJson(file));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `Demo repository ${file} is malformed at ${
          issue.path.join('.') || '(top level)'
        }: ${issue.message}`,
      );
    }
    const fixture = parsed.data;
    const label = `${fixture.owner}/${fixture.name}`;
    const assets = new Map<number, LoadedAsset>();
    for (const release of fixture.releases) {
      for (const asset of release.assets) {
        const full = dataPath(
          dataDir,
          asset.file,
          `${label} release ${release.tag}`,
        );
        const bytes = fs.readFileSync(full);
        assets.set(asset.id, {
          id: asset.id,
          name: asset.name,
          contentType: asset.contentType,
          path: full,
          size: bytes.length,
          digest: `sha256:${crypto
            .createHash('sha256')
            .update(bytes)
            .digest('hex')}`,
        });
      }
    }
    const contents = new Map<string, string>();
    for (const [repoPath, source] of Object.entries(fixture.contents)) {
      contents.set(
        repoPath,
        fs.readFileSync(
          dataPath(dataDir, source, `${label} ${repoPath}`),
          'utf8',
        ),
      );
    }
    const attestations = new Map<
      string,
      Array<{ id: number; bundle: unknown }>
    >();
    for (const a of fixture.attestations) {
      const bundle = readJson(
        dataPath(dataDir, a.bundleFile, `${label} attestation ${a.id}`),
      );
      attestations.set(a.subjectDigest, [
        ...(attestations.get(a.subjectDigest) ?? []),
        { id: a.id, bundle },
      ]);
    }
    repositories.set(label.toLowerCase(), {
      fixture,
      assets,
      contents,
      attestations,
    });
  }
  return { now, repositories };
}
