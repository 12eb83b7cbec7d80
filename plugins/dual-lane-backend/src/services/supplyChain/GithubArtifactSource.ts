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

  /** Syncs one repository; returns how many subjects were verified. */
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
    const processed: Record<string, string> = {
      ...((state?.data as { processed?: Record<string, string> })?.processed ??
        {}),
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

    for (const release of releases) {
      if (release.draft) continue;
      for (const asset of release.assets) {
        const artifact = isArtifactBundleAsset(asset.name);
        if (!artifact && !isPolicyBundleAsset(asset.name)) continue;
        const bundleAsset = release.assets.find(a =>
          BUNDLE_SUFFIXES.some(s => a.name === `${asset.name}${s}`),
        );
        const marker = `${asset.updated_at}|${bundleAsset?.id ?? ''}|${
          bundleAsset?.updated_at ?? ''
        }`;
        if (processed[String(asset.id)] === marker) continue;
        const bytes = await this.download(
          client,
          repository,
          asset,
          this.deps.limits.maxCompressedBytes,
        );
        let bundle: unknown;
        if (bundleAsset) {
          const raw = await this.download(
            client,
            repository,
            bundleAsset,
            this.deps.limits.maxBundleBytes,
          );
          try {
            bundle = JSON.parse(raw.toString('utf8'));
          } catch (error) {
            // Kept as text so the verification records it as malformed.
            bundle = raw.toString('utf8');
          }
        } else if (this.options.attestations) {
          bundle = await this.findAttestation(
            client,
            repository,
            sha256Digest(bytes),
          );
        }
        if (artifact) {
          await this.deps.verification.submitArtifact({
            repository,
            name: `${release.tag_name}/${asset.name}`,
            kind: 'artifact-bundle',
            source:
              bundleAsset || bundle === undefined
                ? 'release-asset'
                : 'github-attestation',
            sourceUrl: asset.browser_download_url,
            bytes,
            bundle,
          });
          counts.artifacts += 1;
        } else {
          await this.deps.verification.submitPolicyBundle({
            repository,
            name: asset.name.replace(/\.tar\.gz$/, ''),
            version: release.tag_name,
            bytes,
            bundle,
            sourceUrl: asset.browser_download_url,
            publishedAt: release.published_at ?? undefined,
          });
          counts.policies += 1;
        }
        processed[String(asset.id)] = marker;
      }
    }
    await store.repositories.setSyncState({
      key,
      etag,
      data: { processed },
      lastSyncedAt: new Date().toISOString(),
    });
    return counts;
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
   * else the first one (so its failure is recorded), else undefined.
   */
  async findAttestation(
    client: GithubClient,
    repository: Repository,
    digest: string,
  ): Promise<unknown | undefined> {
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
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
    const bundles: unknown[] = [];
    for (const a of attestations) {
      if (a.bundle) {
        bundles.push(a.bundle);
      } else if (a.bundle_url) {
        const response = await fetch(a.bundle_url);
        if (!response.ok) {
          throw new Error(
            `attestation bundle ${a.bundle_url} answered ${response.status}`,
          );
        }
        if (response.headers.get('content-type')?.includes('snappy')) {
          throw new Error(
            `attestation bundle ${a.bundle_url} is snappy-compressed, which is not supported; GitHub returns the bundle inline for most attestations`,
          );
        }
        const raw = await readLimited(
          response.body,
          this.deps.limits.maxBundleBytes,
          'attestation bundle',
        );
        bundles.push(JSON.parse(raw.toString('utf8')));
      }
    }
    for (const bundle of bundles) {
      const result = await this.deps.signatures.verify(bundle, { digest });
      if (result.outcome === 'verified') return bundle;
    }
    return bundles[0];
  }
}
