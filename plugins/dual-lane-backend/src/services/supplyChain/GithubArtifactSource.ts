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
import { GithubAttestations } from './GithubAttestations';
import { PolicyBundleVerification } from './PolicyBundleVerification';
import {
  AssetRefused,
  BUNDLE_SUFFIXES,
  describeError,
  githubDigest,
  isArtifactBundleAsset,
  isPassingFailure,
  isPolicyBundleAsset,
  readLimited,
  Release,
  ReleaseAsset,
  ReleaseSyncData,
} from './releaseAssets';

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
      policies: PolicyBundleVerification;
      signatures: SignatureVerifier;
      limits: VerificationLimits;
      logger: LoggerService;
      options?: Partial<GithubArtifactSourceOptions>;
    },
  ) {
    this.attestations = new GithubAttestations({
      signatures: deps.signatures,
      maxBundleBytes: deps.limits.maxBundleBytes,
    });
  }

  private readonly attestations: GithubAttestations;

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
        await this.deps.policies.submitPolicyBundle({
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
      await this.deps.policies.submitPolicyBundle({
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
    const found = await this.attestations.findAttestation(
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
}
