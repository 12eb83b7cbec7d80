import { LoggerService } from '@backstage/backend-plugin-api';
import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import {
  GithubClient,
  GithubClientFactory,
} from '../github/GithubClientFactory';
import { VerificationLimits } from '../verification/config';
import {
  sha256Digest,
  SignatureVerifier,
} from '../verification/signatureVerifier';
import { ArtifactVerification } from './ArtifactVerification';

export interface GithubArtifactSourceOptions {
  /** Read release assets (artifact and policy bundles and their `.sigstore.json`). */
  releases: boolean;
  /** Look up GitHub artifact attestations for artifacts that came without a bundle. */
  attestations: boolean;
  /** How many of the newest releases are read per repository. */
  maxReleases: number;
}

export const DEFAULT_GITHUB_ARTIFACT_SOURCE_OPTIONS: GithubArtifactSourceOptions =
  {
    releases: true,
    attestations: true,
    maxReleases: 20,
  };

interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>`, computed by GitHub for assets uploaded since mid-2025. */
  digest?: string | null;
  updated_at: string;
  browser_download_url: string;
}

interface Release {
  id: number;
  tag_name: string;
  draft: boolean;
  published_at: string | null;
  assets: ReleaseAsset[];
}

const BUNDLE_SUFFIXES = ['.sigstore.json', '.sigstore'];
const ATTESTATION_FETCH_TIMEOUT_MS = 30_000;

/** What the release sync keeps per repository (`sync_state.data`). */
interface ReleaseSyncData {
  /** Asset id → marker of the asset (and bundle asset) version handled. */
  processed: Record<string, string>;
  /** Asset id → why it could not be verified; `retry` ones are tried again. */
  failures: Record<
    string,
    { asset: string; reason: string; retry: boolean; at: string }
  >;
}

/** An asset that cannot be verified nor recorded as an artifact. */
class AssetRefused extends Error {
  name = 'AssetRefused';
}

/**
 * Failures that pass: GitHub's 5xx and rate limits, network errors and
 * missing or insufficient credentials (fixed by an operator). Anything else
 * (a 404, an unreadable asset) stays failed until the asset changes.
 */
function isPassingFailure(error: unknown): boolean {
  if (error instanceof AssetRefused) return false;
  const e = error as { status?: number; name?: string; code?: unknown };
  if (typeof e.status === 'number') {
    return (
      e.status >= 500 ||
      e.status === 429 ||
      e.status === 401 ||
      e.status === 403
    );
  }
  // fetch: "fetch failed" (TypeError), timeouts; Node: ECONNRESET and friends.
  return (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    (error instanceof TypeError && /fetch failed/i.test(error.message)) ||
    (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code))
  );
}

function describeError(error: unknown): string {
  const e = error as { status?: number; message?: string };
  const message = e.message ?? String(error);
  return typeof e.status === 'number' && !message.includes(String(e.status))
    ? `${e.status} ${message}`
    : message;
}

/** Releases a response body that will not be read (not awaited: a mocked stream may never settle). */
function discardBody(response: Response) {
  response.body?.cancel().catch(() => undefined);
}

function githubDigest(asset: ReleaseAsset): string | undefined {
  const digest = asset.digest?.toLowerCase();
  return digest && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}

export function isArtifactBundleAsset(name: string) {
  return name === 'artifact.tar.gz' || name.endsWith('.artifact.tar.gz');
}

export function isPolicyBundleAsset(name: string) {
  return name === 'policies.tar.gz' || name.endsWith('.policies.tar.gz');
}

/** Reads a web ReadableStream into memory, refusing more than `limit` bytes. */
async function readLimited(
  body: unknown,
  limit: number,
  what: string,
): Promise<Buffer> {
  if (Buffer.isBuffer(body)) {
    if (body.length > limit)
      throw new Error(`${what} is over the limit of ${limit} bytes`);
    return body;
  }
  if (body instanceof ArrayBuffer) {
    return readLimited(Buffer.from(body), limit, what);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) {
      throw new Error(`${what} is over the limit of ${limit} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * Pulls artifacts from GitHub for each repository: artifact and policy
 * bundles attached to releases (with their `.sigstore.json` bundles), and
 * GitHub artifact attestations by digest for artifacts released without
 * one. Uses the plugin's GitHub clients (integration credentials, rate
 * limits obeyed), conditional requests (ETag) for the release list, and
 * skips assets it already verified.
 */
export class GithubArtifactSource {
  constructor(
    private readonly deps: {
      github: GithubClientFactory;
      store: DualLaneStore;
      verification: ArtifactVerification;
      signatures: SignatureVerifier;
      limits: VerificationLimits;
      logger: LoggerService;
      options?: Partial<GithubArtifactSourceOptions>;
    },
  ) {}

  private get options(): GithubArtifactSourceOptions {
    return { ...DEFAULT_GITHUB_ARTIFACT_SOURCE_OPTIONS, ...this.deps.options };
  }

  async syncAll(): Promise<void> {
    for (const repository of await this.deps.store.repositories.listRepositories()) {
      try {
        await this.syncRepository(repository);
      } catch (error) {
        this.deps.logger.warn(
          `Supply-chain sync of ${repository.owner}/${repository.name} failed: ${error}`,
        );
        await this.deps.store.repositories.setSyncState({
          key: this.stateKey(repository),
          ...(await this.deps.store.repositories.getSyncState(
            this.stateKey(repository),
          )),
          lastError: String(error),
        });
      }
    }
  }

  private stateKey(repository: Repository) {
    return `supply-chain:releases:${repository.id}`;
  }

  /**
   * Syncs one repository; returns how many subjects were verified. Each
   * asset is handled on its own: one that cannot be verified is recorded
   * with the reason (as a failed artifact or policy version when its digest
   * is known, else in the sync state) and the others go on. Progress is
   * saved after every asset. Assets that failed for a passing reason (a
   * 5xx, a rate limit, a network error, missing credentials) are tried
   * again next run; the others only when the asset changes.
   */
  async syncRepository(
    repository: Repository,
  ): Promise<{ artifacts: number; policies: number }> {
    const counts = { artifacts: 0, policies: 0 };
    if (!this.options.releases) {
      return counts;
    }
    const { store } = this.deps;
    const client = await this.deps.github.forRepository(repository);
    const key = this.stateKey(repository);
    const state = await store.repositories.getSyncState(key);
    const stored = (state?.data ?? {}) as Partial<ReleaseSyncData>;
    const data: ReleaseSyncData = {
      processed: { ...stored.processed },
      failures: { ...stored.failures },
    };
    let releases: Release[];
    let etag: string | undefined;
    try {
      const response = await client.request(
        'GET /repos/{owner}/{repo}/releases',
        {
          owner: repository.owner,
          repo: repository.name,
          per_page: Math.min(100, this.options.maxReleases),
          headers: state?.etag ? { 'if-none-match': state.etag } : {},
        },
      );
      releases = (response.data as Release[]).slice(
        0,
        this.options.maxReleases,
      );
      etag = response.headers.etag;
    } catch (error) {
      if ((error as { status?: number }).status === 304) {
        await store.repositories.setSyncState({
          ...state!,
          lastSyncedAt: new Date().toISOString(),
          lastError: undefined,
        });
        return counts;
      }
      throw error;
    }

    let retryLater = false;
    for (const release of releases) {
      if (release.draft) continue;
      for (const asset of release.assets) {
        const artifact = isArtifactBundleAsset(asset.name);
        if (!artifact && !isPolicyBundleAsset(asset.name)) continue;
        const bundleAsset = release.assets.find(a =>
          BUNDLE_SUFFIXES.some(suffix => a.name === `${asset.name}${suffix}`),
        );
        const marker = `${asset.updated_at}|${bundleAsset?.id ?? ''}|${
          bundleAsset?.updated_at ?? ''
        }`;
        const assetKey = String(asset.id);
        if (data.processed[assetKey] === marker) continue;
        try {
          await this.syncAsset(client, repository, release, asset, bundleAsset);
          counts[artifact ? 'artifacts' : 'policies'] += 1;
          data.processed[assetKey] = marker;
          delete data.failures[assetKey];
        } catch (error) {
          const retry = isPassingFailure(error);
          const reason = describeError(error);
          this.deps.logger.warn(
            `Supply-chain sync of ${repository.owner}/${
              repository.name
            }: release asset ${release.tag_name}/${asset.name} ${
              retry ? 'will be retried' : 'skipped'
            }: ${reason}`,
          );
          data.failures[assetKey] = {
            asset: `${release.tag_name}/${asset.name}`,
            reason,
            retry,
            at: new Date().toISOString(),
          };
          if (retry) {
            retryLater = true;
          } else {
            data.processed[assetKey] = marker;
          }
        }
        // Saved as it goes, with the ETag of the last complete pass: a run
        // cut short (timeout, restart) resumes without downloading again.
        await store.repositories.setSyncState({
          key,
          etag: state?.etag,
          data,
          lastSyncedAt: state?.lastSyncedAt,
          lastError: state?.lastError,
        });
      }
    }
    const failed = Object.values(data.failures);
    await store.repositories.setSyncState({
      key,
      // Without the ETag the next run lists the releases again and retries
      // what failed for a passing reason; with it, it would get a 304.
      etag: retryLater ? undefined : etag,
      data,
      lastSyncedAt: new Date().toISOString(),
      lastError: failed.length
        ? `${failed.length} release asset${
            failed.length === 1 ? '' : 's'
          } failed: ${failed
            .slice(0, 3)
            .map(f => `${f.asset}: ${f.reason}`)
            .join('; ')}`
        : undefined,
    });
    return counts;
  }

  /** Downloads, verifies and records one artifact or policy bundle asset. */
  private async syncAsset(
    client: GithubClient,
    repository: Repository,
    release: Release,
    asset: ReleaseAsset,
    bundleAsset: ReleaseAsset | undefined,
  ): Promise<void> {
    const artifact = isArtifactBundleAsset(asset.name);
    const limits = this.deps.limits;
    const common = {
      repository,
      sourceUrl: asset.browser_download_url,
    };
    if (asset.size > limits.maxCompressedBytes) {
      const reason = `release asset ${asset.name} is ${asset.size} bytes, over the limit of ${limits.maxCompressedBytes}`;
      const digest = githubDigest(asset);
      if (!digest) {
        throw new AssetRefused(
          `${reason}, and GitHub gives no digest to record it by`,
        );
      }
      if (artifact) {
        await this.deps.verification.submitArtifact({
          ...common,
          name: `${release.tag_name}/${asset.name}`,
          kind: 'artifact-bundle',
          source: 'release-asset',
          digest,
          rejectedReason: `${reason}: not downloaded`,
        });
      } else {
        await this.deps.verification.submitPolicyBundle({
          ...common,
          name: asset.name.replace(/\.tar\.gz$/, ''),
          version: release.tag_name,
          digest,
          rejectedReason: `${reason}: not downloaded`,
          publishedAt: release.published_at ?? undefined,
        });
      }
      return;
    }
    const bytes = await this.download(
      client,
      repository,
      asset,
      limits.maxCompressedBytes,
    );
    const found = await this.bundleFor(client, repository, bytes, bundleAsset);
    if (artifact) {
      await this.deps.verification.submitArtifact({
        ...common,
        name: `${release.tag_name}/${asset.name}`,
        kind: 'artifact-bundle',
        source: found.fromAttestation ? 'github-attestation' : 'release-asset',
        bytes,
        bundle: found.bundle,
        bundleProblem: found.problem,
      });
    } else {
      await this.deps.verification.submitPolicyBundle({
        ...common,
        name: asset.name.replace(/\.tar\.gz$/, ''),
        version: release.tag_name,
        bytes,
        bundle: found.bundle,
        bundleProblem: found.problem,
        publishedAt: release.published_at ?? undefined,
      });
    }
  }

  /**
   * The Sigstore bundle of an asset: its `.sigstore.json` asset, else a
   * GitHub artifact attestation. A bundle that cannot be used is a
   * `problem` that the verification records, not an error.
   */
  private async bundleFor(
    client: GithubClient,
    repository: Repository,
    bytes: Buffer,
    bundleAsset: ReleaseAsset | undefined,
  ): Promise<{
    bundle?: unknown;
    problem?: string;
    fromAttestation?: boolean;
  }> {
    const limit = this.deps.limits.maxBundleBytes;
    if (bundleAsset) {
      if (bundleAsset.size > limit) {
        return {
          problem: `release asset ${bundleAsset.name} is ${bundleAsset.size} bytes, over the bundle limit of ${limit}`,
        };
      }
      const raw = await this.download(client, repository, bundleAsset, limit);
      try {
        return { bundle: JSON.parse(raw.toString('utf8')) };
      } catch (error) {
        return {
          problem: `release asset ${bundleAsset.name} is not JSON: ${
            (error as Error).message
          }`,
        };
      }
    }
    if (!this.options.attestations) {
      return {};
    }
    const found = await this.findAttestation(
      client,
      repository,
      sha256Digest(bytes),
    );
    return {
      bundle: found.bundle,
      problem: found.bundle
        ? undefined
        : found.problems.join('; ') || undefined,
      fromAttestation: found.bundle !== undefined,
    };
  }

  private async download(
    client: GithubClient,
    repository: Repository,
    asset: ReleaseAsset,
    limit: number,
  ): Promise<Buffer> {
    if (asset.size > limit) {
      throw new Error(
        `release asset ${asset.name} is ${asset.size} bytes, over the limit of ${limit}`,
      );
    }
    const response = await client.request(
      'GET /repos/{owner}/{repo}/releases/assets/{asset_id}',
      {
        owner: repository.owner,
        repo: repository.name,
        asset_id: asset.id,
        headers: { accept: 'application/octet-stream' },
        request: { parseSuccessResponseBody: false },
      },
    );
    return readLimited(response.data, limit, `release asset ${asset.name}`);
  }

  /**
   * The SLSA provenance attestation GitHub holds for a digest, as
   * `gh attestation verify` finds it: the first whose signature verifies,
   * else the first one (so its failure is recorded). Attestations whose
   * bundle cannot be read (not JSON, snappy-compressed, too large) are
   * reported as problems; a passing failure (5xx) is thrown, to retry.
   */
  async findAttestation(
    client: GithubClient,
    repository: Repository,
    digest: string,
  ): Promise<{ bundle?: unknown; problems: string[] }> {
    let attestations: Array<{ bundle?: unknown; bundle_url?: string }>;
    try {
      const response = await client.request(
        'GET /repos/{owner}/{repo}/attestations/{subject_digest}',
        {
          owner: repository.owner,
          repo: repository.name,
          subject_digest: digest,
          per_page: 30,
          predicate_type: 'provenance',
        },
      );
      attestations =
        (response.data as { attestations?: typeof attestations })
          .attestations ?? [];
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        return { problems: [] };
      }
      throw error;
    }
    const bundles: unknown[] = [];
    const problems: string[] = [];
    for (const a of attestations) {
      if (a.bundle) {
        bundles.push(a.bundle);
      } else if (a.bundle_url) {
        const read = await this.fetchAttestationBundle(a.bundle_url);
        if ('bundle' in read) bundles.push(read.bundle);
        else problems.push(read.problem);
      }
    }
    for (const bundle of bundles) {
      const result = await this.deps.signatures.verify(bundle, { digest });
      if (result.outcome === 'verified') return { bundle, problems };
    }
    return { bundle: bundles[0], problems };
  }

  private async fetchAttestationBundle(
    url: string,
  ): Promise<{ bundle: unknown } | { problem: string }> {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(ATTESTATION_FETCH_TIMEOUT_MS),
    });
    if (!response.ok) {
      discardBody(response);
      const problem = `attestation bundle ${url} answered ${response.status}`;
      if (response.status >= 500 || response.status === 429) {
        throw Object.assign(new Error(problem), { status: response.status });
      }
      return { problem };
    }
    if (response.headers.get('content-type')?.includes('snappy')) {
      discardBody(response);
      return {
        problem: `attestation bundle ${url} is snappy-compressed, which is not supported; GitHub returns the bundle inline for most attestations`,
      };
    }
    let raw: Buffer;
    try {
      raw = await readLimited(
        response.body,
        this.deps.limits.maxBundleBytes,
        `attestation bundle ${url}`,
      );
    } catch (error) {
      return { problem: (error as Error).message };
    }
    try {
      return { bundle: JSON.parse(raw.toString('utf8')) };
    } catch (error) {
      return {
        problem: `attestation bundle ${url} is not JSON: ${
          (error as Error).message
        }`,
      };
    }
  }
}
