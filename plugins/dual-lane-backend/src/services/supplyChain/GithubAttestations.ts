import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { GithubClient } from '../github/GithubClientFactory';
import { SignatureVerifier } from '../verification/signatureVerifier';
import { discardBody, readLimited } from './releaseAssets';

const ATTESTATION_FETCH_TIMEOUT_MS = 30_000;

/** GitHub artifact attestations (`GET /repos/{owner}/{repo}/attestations/{subject_digest}`). */
export class GithubAttestations {
  constructor(
    private readonly deps: {
      signatures: SignatureVerifier;
      maxBundleBytes: number;
    },
  ) {}

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
        this.deps.maxBundleBytes,
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
