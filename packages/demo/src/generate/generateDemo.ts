import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_REQUIRED_CHECKS } from '@dual-lane/plugin-dual-lane-common';
import { createTestSigstore } from '@dual-lane/plugin-dual-lane-node/testUtils';
import { fixtureJson } from '../fixtures/fixtureJson';
import { repositorySchema } from '../fixtures/schema';
import { componentEntities, entitiesYaml, orgEntities } from './catalog';
import {
  CI_RESULTS,
  gateContext,
  negativeTestReport,
  PRODUCTION_ADMITTED,
  PRODUCTION_BLOCKED,
  VerifiedPolicy,
} from './checks';
import {
  policyWorkflowIdentity,
  sha256Hex,
  slsaWorkflowIdentity,
} from './bundleContents';
import { agentsMd, claudeMd, driftedClaudeMd } from './instructions';
import {
  materializePullRequest,
  mergeMessage,
  PlannedPull,
} from './pullRequests';
import { createRandom, Random } from './random';
import { RepositoryBuilder } from './RepositoryBuilder';
import { planPullRequests } from './scenarios';
import {
  ACTIONS_APP,
  COMPONENTS,
  DEMO_HOST,
  DEMO_ORG,
  DemoComponentDefinition,
} from './story';
import {
  isSignatureMaterial,
  OutputFiles,
  policyBundleBytes,
  releaseArtifact,
  releasePolicies,
} from './supplyChain';

export const DEFAULT_SEED = 'dual-lane-demo';

const DAY = 1440;
const json = (value: unknown) =>
  Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

export interface GeneratedDemo {
  seed: string;
  /** `entities.yaml` and `org.yaml`, by file name. */
  catalog: OutputFiles;
  /** Everything below the demo data directory, by relative path. */
  data: OutputFiles;
}

interface OrgPolicyVersion extends VerifiedPolicy {
  publishedAgo: number;
  bytes: Buffer;
}

/** Where a repository's default branch was at a time: its commits, oldest first. */
type MainTimeline = Array<{ sha: string; ago: number }>;

function mainAt(timeline: MainTimeline, ago: number) {
  return [...timeline].reverse().find(c => c.ago >= ago) ?? timeline[0];
}

/**
 * Generates the demo organisation for a seed: the catalog, each
 * repository's GitHub history as fixtures, and the signed artifact and
 * policy bundles against a new demo trusted root. Everything but the
 * signature material (Sigstore bundles, attestation bundles, the trusted
 * root) is byte-identical for the same seed.
 */
export async function generateDemo(
  seed: string = DEFAULT_SEED,
): Promise<GeneratedDemo> {
  const random = createRandom(seed);
  const sigstore = await createTestSigstore();
  const data: OutputFiles = new Map();

  data.set('github/files/AGENTS.md', Buffer.from(agentsMd()));
  data.set('github/files/CLAUDE.md', Buffer.from(claudeMd()));
  data.set('github/files/CLAUDE.drifted.md', Buffer.from(driftedClaudeMd()));

  const policyRepo = COMPONENTS.find(c => c.orgPolicies)!;
  const orgPolicies = await orgPolicyVersions(
    policyRepo.name,
    random.fork('org-policies'),
  );
  const policyAt = (ago: number) =>
    orgPolicies.find(p => p.publishedAgo >= ago) ??
    orgPolicies[orgPolicies.length - 1];

  for (const [index, component] of COMPONENTS.entries()) {
    const r = random.fork(`repository/${component.name}`);
    const b = new RepositoryBuilder(seed, component.name, index);
    const timeline = buildHistory(b, component, r, policyAt);
    await buildSupplyChain(b, component, timeline, r, {
      sigstore,
      files: data,
      orgPolicies,
    });
    const fixture = b.build({
      description: component.description,
      createdAgo: timeline[0].ago + 60,
      protection: {
        main: {
          strict: true,
          checks: DEFAULT_REQUIRED_CHECKS.map(gate => ({
            context: gateContext(gate),
            appId: ACTIONS_APP.id,
          })),
        },
      },
    });
    // What the fake GitHub would refuse to load is a generator bug.
    repositorySchema.parse(fixture);
    data.set(
      `github/repos/${DEMO_ORG}/${component.name}.json`,
      Buffer.from(fixtureJson(fixture)),
    );
  }
  data.set('sigstore/trusted_root.json', json(sigstore.trustedRootJSON));
  data.set(
    'manifest.json',
    json({
      generator: '@dual-lane/demo (yarn demo:generate)',
      seed,
      host: DEMO_HOST,
      organisation: DEMO_ORG,
      signatureMaterial:
        'releases/**/*.sigstore.json, attestations/**, sigstore/trusted_root.json: kept while what they sign is unchanged, signed anew (against a new root) otherwise or with --resign, as ECDSA signatures differ on every run; everything else is the same for the same seed',
      components: COMPONENTS.map(c => ({ name: c.name, scenario: c.scenario })),
    }),
  );
  const catalog: OutputFiles = new Map([
    ['entities.yaml', Buffer.from(entitiesYaml(componentEntities()))],
    ['org.yaml', Buffer.from(entitiesYaml(orgEntities()))],
  ]);
  return { seed, catalog, data };
}

/** The organisation's policy bundle versions, oldest first published. */
async function orgPolicyVersions(
  repo: string,
  random: Random,
): Promise<OrgPolicyVersion[]> {
  const signer = `https://${DEMO_HOST}/${DEMO_ORG}/*/.github/workflows/slsa-verification.yml@refs/heads/main`;
  const versions = [
    { version: 'policies-v1.3.0', publishedAgo: 45 * DAY, slsaLevel: 1 },
    {
      version: 'policies-v1.4.0',
      publishedAgo: random.int(11 * DAY, 15 * DAY),
      slsaLevel: 2,
    },
  ];
  const out: OrgPolicyVersion[] = [];
  for (const v of versions) {
    const bytes = await policyBundleBytes({
      version: v.version,
      signer,
      mode: 'Enforce',
      slsaLevel: v.slsaLevel,
    });
    out.push({
      digest: `sha256:${sha256Hex(bytes)}`,
      version: v.version,
      source: `${DEMO_ORG}/${repo}`,
      signer: policyWorkflowIdentity(repo),
      publishedAgo: v.publishedAgo,
      bytes,
    });
  }
  // Newest first: the first published at or before a time is the one in force then.
  return out.sort((a, b) => a.publishedAgo - b.publishedAgo);
}

/** Pull requests, the default branch made of their merges, and the default branch's negative tests. */
function buildHistory(
  b: RepositoryBuilder,
  component: DemoComponentDefinition,
  random: Random,
  policyAt: (ago: number) => VerifiedPolicy,
): MainTimeline {
  const plans = planPullRequests(component, random).sort(
    (x, y) => y.startAgo - x.startAgo,
  );
  let number = random.int(20, 140);
  let prd = random.int(100, 380);
  const pulls: PlannedPull[] = plans.map(plan => {
    number += random.int(1, 4);
    prd += random.int(1, 6);
    return materializePullRequest(plan, {
      builder: b,
      random,
      number,
      prd,
      story: prd * 3 + random.int(0, 2),
      maintainer: component.maintainer,
      policyAt,
    });
  });

  const createdAgo =
    component.scenario === 'no-data'
      ? random.int(120, 300)
      : random.int(120 * DAY, 400 * DAY);
  const initial = b.commit({
    label: 'initial',
    message:
      'Initialize dual-lane repository\n\nCreated from the dual-lane-repository template.',
    author: component.maintainer,
    ago: createdAgo,
    parents: [],
  });
  const timeline: MainTimeline = [{ sha: initial, ago: createdAgo }];
  const merged = pulls
    .filter(p => p.mergedAgo !== undefined)
    .sort((x, y) => y.mergedAgo! - x.mergedAgo!);
  for (const p of merged) {
    const sha = b.commit({
      label: `merge-${p.pull.number}`,
      message: mergeMessage(p.pull),
      author: component.maintainer,
      ago: p.mergedAgo!,
      parents: [timeline[timeline.length - 1].sha, p.headSha],
    });
    p.pull.mergeCommitSha = sha;
    timeline.push({ sha, ago: p.mergedAgo! });
  }
  for (const p of pulls) {
    for (const root of p.roots) {
      b.setParents(root, [mainAt(timeline, b.agoOf(root)).sha]);
    }
  }
  b.branches.main = timeline[timeline.length - 1].sha;
  b.contents['AGENTS.md'] = 'github/files/AGENTS.md';
  b.contents['CLAUDE.md'] =
    component.scenario === 'drift'
      ? 'github/files/CLAUDE.drifted.md'
      : 'github/files/CLAUDE.md';
  return timeline;
}

async function buildSupplyChain(
  b: RepositoryBuilder,
  component: DemoComponentDefinition,
  timeline: MainTimeline,
  random: Random,
  ctx: {
    sigstore: Awaited<ReturnType<typeof createTestSigstore>>;
    files: OutputFiles;
    orgPolicies: OrgPolicyVersion[];
  },
) {
  if (component.scenario === 'no-data') return;
  const head = timeline[timeline.length - 1];
  const major = random.int(1, 3);
  let minor = random.int(3, 11);
  /** The change a default-branch commit merged (the first idea for the initial commit). */
  const lastChange = (sha: string) => {
    const pull = b.pulls.find(p => p.mergeCommitSha === sha);
    const slug = pull?.head.ref.replace(/^[^/]+\//, '');
    return component.changes.find(c => c.slug === slug) ?? component.changes[0];
  };
  const sign = { random, sigstore: ctx.sigstore, files: ctx.files };

  let productionAgo = random.int(60, Math.max(61, head.ago - 30));
  if (component.scenario === 'replayed-provenance') {
    // An earlier release, built and signed for its own commit.
    const earlier = timeline[timeline.length - 2];
    await releaseArtifact(
      b,
      {
        tag: `v${major}.${minor}.0`,
        commit: earlier.sha,
        change: lastChange(earlier.sha),
        publishedAgo: earlier.ago - random.int(12, 40),
        signing: 'bundle',
      },
      sign,
    );
    minor += 1;
    // The newest release re-ran that build's workflow: its provenance names the earlier commit.
    await releaseArtifact(
      b,
      {
        tag: `v${major}.${minor}.0`,
        commit: head.sha,
        provenanceCommit: earlier.sha,
        change: lastChange(head.sha),
        publishedAgo: head.ago - random.int(12, 40),
        signing: 'bundle',
      },
      sign,
    );
  } else {
    let signing: 'bundle' | 'attestation' | 'unsigned' = 'bundle';
    if (component.scenario === 'failing-slsa-gate') signing = 'unsigned';
    else if (component.attestations) signing = 'attestation';
    await releaseArtifact(
      b,
      {
        tag: `v${major}.${minor}.0`,
        commit: head.sha,
        change: lastChange(head.sha),
        publishedAgo: head.ago - random.int(12, 40),
        signing,
      },
      sign,
    );
  }

  if (component.orgPolicies) {
    for (const v of [...ctx.orgPolicies].reverse()) {
      await releasePolicies(
        b,
        {
          tag: v.version,
          commit: mainAt(timeline, v.publishedAgo).sha,
          publishedAgo: v.publishedAgo,
          bytes: v.bytes,
        },
        ctx,
      );
    }
  }
  if (component.scenario === 'tampered-policy') {
    // The repository's own policy bundle: signed in Enforce mode, then the
    // release asset was replaced by a copy in Audit mode, which production applied.
    const publishedAgo = Math.max(120, head.ago - random.int(60, 240));
    const signer = slsaWorkflowIdentity(b.name);
    const version = `policies-${head.sha.slice(0, 12)}`;
    const signed = await policyBundleBytes({
      version,
      signer,
      mode: 'Enforce',
      slsaLevel: 2,
    });
    const tampered = await policyBundleBytes({
      version,
      signer,
      mode: 'Audit',
      slsaLevel: 2,
    });
    await releasePolicies(
      b,
      {
        tag: version,
        commit: head.sha,
        publishedAgo,
        bytes: tampered,
        signedBytes: signed,
      },
      ctx,
    );
    productionAgo = random.int(30, publishedAgo - 30);
  }

  // The default branch's negative tests: weekly in CI, and against production.
  b.checkRuns.push(
    negativeTestReport({
      ids: b,
      headSha: head.sha,
      environment: 'ci',
      results: CI_RESULTS,
      ago: random.int(30, Math.max(31, head.ago - 20)),
    }),
    negativeTestReport({
      ids: b,
      headSha: head.sha,
      environment: 'production',
      results:
        component.scenario === 'tampered-policy'
          ? PRODUCTION_ADMITTED
          : PRODUCTION_BLOCKED,
      ago: productionAgo,
    }),
  );
}

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? listFiles(full, base)
      : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * Whether the data already in `dataDir` is this demo's, signed: the same
 * files, every reproducible one byte-identical. Its signature material then
 * still signs exactly what the new run would sign (the same artifacts,
 * provenance and policy bundles) against its own trusted root.
 */
function hasSameSignedData(demo: GeneratedDemo, dataDir: string): boolean {
  const existing = listFiles(dataDir).sort();
  const generated = [...demo.data.keys()].sort();
  if (existing.join('\n') !== generated.join('\n')) return false;
  return [...demo.data].every(
    ([name, bytes]) =>
      isSignatureMaterial(name) ||
      fs.readFileSync(path.join(dataDir, name)).equals(bytes),
  );
}

export interface WriteDemoResult {
  /**
   * `kept`: the data directory already held this demo, signed, and was left
   * as it was (ECDSA signatures differ on every run, so re-signing would
   * change every bundle for nothing); `written`: replaced, signed anew.
   */
  signatures: 'kept' | 'written';
}

/**
 * Writes the generated demo: the catalog into `examplesDir`, the data into
 * `examplesDir/demo`. The data directory is replaced, unless it already holds
 * the same demo (then its signature material is kept, so that generating
 * twice changes nothing); `resign` replaces it regardless.
 */
export function writeDemo(
  demo: GeneratedDemo,
  examplesDir: string,
  options: { resign?: boolean } = {},
): WriteDemoResult {
  const dataDir = path.join(examplesDir, 'demo');
  const write = (file: string, bytes: Buffer) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  };
  for (const [name, bytes] of demo.catalog)
    write(path.join(examplesDir, name), bytes);
  if (!options.resign && hasSameSignedData(demo, dataDir)) {
    return { signatures: 'kept' };
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const [name, bytes] of demo.data) write(path.join(dataDir, name), bytes);
  return { signatures: 'written' };
}

export { isSignatureMaterial };
