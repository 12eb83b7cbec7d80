import { TestSigstore } from '@dual-lane/plugin-dual-lane-node/testUtils';
import { relativeTime } from '../fixtures/relativeTime';
import {
  actionsCertificateExtensions,
  artifactProvenance,
  changesPatch,
  cycloneDxSbom,
  GITHUB_ACTIONS_ISSUER,
  kyvernoPolicies,
  patchAttestation,
  policyWorkflowIdentity,
  sha256Hex,
  slsaWorkflowIdentity,
} from './bundleContents';
import { Random } from './random';
import { RepositoryBuilder } from './RepositoryBuilder';
import { ACTIONS_BOT, ChangeIdea } from './story';
import { reproducibleTarGz } from './tarball';

/** Files the generator writes, by path below the data directory. */
export type OutputFiles = Map<string, Buffer>;

/** Output files that hold signature material (not reproducible: ECDSA signs with a random nonce). */
export const isSignatureMaterial = (file: string) =>
  file.endsWith('.sigstore.json') ||
  file.startsWith('attestations/') ||
  file === 'sigstore/trusted_root.json';

const json = (value: unknown) =>
  Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
/** Sigstore bundles as the signing tools write them: one line of JSON. */
const bundleJson = (value: unknown) =>
  Buffer.from(`${JSON.stringify(value)}\n`);

export interface ArtifactRelease {
  tag: string;
  /** The commit released: merge-base.sha of the bundle and the release's target. */
  commit: string;
  /** The commit the provenance names: `commit` unless the provenance is replayed. */
  provenanceCommit?: string;
  change: ChangeIdea;
  publishedAgo: number;
  /** How the artifact is signed: a `.sigstore.json` asset, a GitHub attestation, or not at all. */
  signing: 'bundle' | 'attestation' | 'unsigned';
}

/**
 * Builds an artifact bundle release: `artifact.tar.gz` (changes.patch,
 * merge-base.sha, attestation.intoto, sbom.cdx.json) signed keyless by the
 * repository's SLSA workflow with its SLSA v1 provenance, as a release asset
 * with its `.sigstore.json`, as a GitHub attestation, or unsigned.
 */
export async function releaseArtifact(
  b: RepositoryBuilder,
  release: ArtifactRelease,
  ctx: { random: Random; sigstore: TestSigstore; files: OutputFiles },
): Promise<{ digest: string }> {
  const repo = b.name;
  const version = release.tag.replace(/^v/, '');
  const patch = changesPatch(release.change, ctx.random);
  const bytes = await reproducibleTarGz([
    {
      name: 'attestation.intoto',
      content: json(patchAttestation(repo, release.commit, patch)),
    },
    { name: 'changes.patch', content: patch },
    { name: 'merge-base.sha', content: `${release.commit}\n` },
    {
      name: 'sbom.cdx.json',
      content: json(cycloneDxSbom(repo, version, ctx.random)),
    },
  ]);
  const digest = sha256Hex(bytes);
  const dir = `releases/${b.name}/${release.tag}`;
  ctx.files.set(`${dir}/artifact.tar.gz`, bytes);
  const runId = b.next('run');
  const assets = [
    {
      id: b.next('asset'),
      name: 'artifact.tar.gz',
      contentType: 'application/gzip',
      file: `${dir}/artifact.tar.gz`,
    },
  ];
  if (release.signing !== 'unsigned') {
    const identity = slsaWorkflowIdentity(repo);
    const commit = release.provenanceCommit ?? release.commit;
    const statement = artifactProvenance({
      repo,
      repositoryId: b.id,
      artifactSha256: digest,
      commit,
      runId,
    });
    const bundle = await ctx.sigstore.signKeyless({
      payload: Buffer.from(JSON.stringify(statement)),
      identity,
      issuer: GITHUB_ACTIONS_ISSUER,
      extensions: actionsCertificateExtensions(repo, identity, commit, runId),
    });
    if (release.signing === 'bundle') {
      ctx.files.set(`${dir}/artifact.tar.gz.sigstore.json`, bundleJson(bundle));
      assets.push({
        id: b.next('asset'),
        name: 'artifact.tar.gz.sigstore.json',
        contentType: 'application/json',
        file: `${dir}/artifact.tar.gz.sigstore.json`,
      });
    } else {
      const file = `attestations/${b.name}/sha256-${digest}.json`;
      ctx.files.set(file, bundleJson(bundle));
      b.attestations.push({
        id: b.next('attestation'),
        subjectDigest: `sha256:${digest}`,
        bundleFile: file,
      });
    }
  }
  b.releases.push({
    id: b.next('release'),
    tag: release.tag,
    name: `${repo} ${release.tag}`,
    target: release.commit,
    body: `Release of ${release.commit.slice(0, 12)}: ${release.change.title}.`,
    author: ACTIONS_BOT,
    prerelease: false,
    publishedAt: relativeTime(release.publishedAgo),
    assets,
  });
  return { digest: `sha256:${digest}` };
}

/** The bytes of `policies.tar.gz` at a version (reproducible, as build-policy-bundle.sh makes it). */
export async function policyBundleBytes(options: {
  version: string;
  signer: string;
  mode: 'Enforce' | 'Audit';
  slsaLevel: number;
}): Promise<Buffer> {
  const policies = kyvernoPolicies(options);
  return reproducibleTarGz([
    {
      name: '.manifest',
      content: json({ revision: options.version, roots: ['kyverno'] }),
    },
    ...Object.entries(policies).map(([name, content]) => ({
      name: `kyverno/${name}`,
      content,
    })),
  ]);
}

export interface PolicyRelease {
  tag: string;
  commit: string;
  publishedAgo: number;
  /** The bytes published. */
  bytes: Buffer;
  /** The bytes the signature was made over: `bytes` unless the asset was replaced after signing. */
  signedBytes?: Buffer;
}

/**
 * A policy bundle release as the template's policy workflow publishes it:
 * `policies.tar.gz` signed keyless with cosign sign-blob (a message
 * signature) and its `.sigstore.json`, as a pre-release.
 */
export async function releasePolicies(
  b: RepositoryBuilder,
  release: PolicyRelease,
  ctx: { sigstore: TestSigstore; files: OutputFiles },
): Promise<void> {
  const dir = `releases/${b.name}/${release.tag}`;
  const identity = policyWorkflowIdentity(b.name);
  const runId = b.next('run');
  const bundle = await ctx.sigstore.signKeyless({
    payload: release.signedBytes ?? release.bytes,
    identity,
    issuer: GITHUB_ACTIONS_ISSUER,
    kind: 'message',
    extensions: actionsCertificateExtensions(
      b.name,
      identity,
      release.commit,
      runId,
    ),
  });
  ctx.files.set(`${dir}/policies.tar.gz`, release.bytes);
  ctx.files.set(`${dir}/policies.tar.gz.sigstore.json`, bundleJson(bundle));
  b.releases.push({
    id: b.next('release'),
    tag: release.tag,
    name: `Policy bundle ${release.tag}`,
    target: release.commit,
    body: `policies.tar.gz of ${release.commit}, signed keyless by ${identity}`,
    author: ACTIONS_BOT,
    prerelease: true,
    publishedAt: relativeTime(release.publishedAgo),
    assets: [
      {
        id: b.next('asset'),
        name: 'policies.tar.gz',
        contentType: 'application/gzip',
        file: `${dir}/policies.tar.gz`,
      },
      {
        id: b.next('asset'),
        name: 'policies.tar.gz.sigstore.json',
        contentType: 'application/json',
        file: `${dir}/policies.tar.gz.sigstore.json`,
      },
    ],
  });
}
