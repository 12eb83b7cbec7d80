/*
 * GitHub release assets as the supply-chain sync reads them: their shape
 * in the REST API, which ones are bundles, how they are downloaded within
 * a size limit, and which failures pass (and are retried).
 */

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>`, computed by GitHub for assets uploaded since mid-2025. */
  digest?: string | null;
  updated_at: string;
  browser_download_url: string;
}

export interface Release {
  id: number;
  tag_name: string;
  draft: boolean;
  published_at: string | null;
  assets: ReleaseAsset[];
}

export const BUNDLE_SUFFIXES = ['.sigstore.json', '.sigstore'];

/** What the release sync keeps per repository (`sync_state.data`). */
export interface ReleaseSyncData {
  /** Asset id → marker of the asset (and bundle asset) version handled. */
  processed: Record<string, string>;
  /** Asset id → why it could not be verified; `retry` ones are tried again. */
  failures: Record<
    string,
    { asset: string; reason: string; retry: boolean; at: string }
  >;
}

/** An asset that cannot be verified nor recorded as an artifact. */
export class AssetRefused extends Error {
  name = 'AssetRefused';
}

/**
 * Failures that pass: GitHub's 5xx and rate limits, network errors and
 * missing or insufficient credentials (fixed by an operator). Anything else
 * (a 404, an unreadable asset) stays failed until the asset changes.
 */
export function isPassingFailure(error: unknown): boolean {
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

export function describeError(error: unknown): string {
  const e = error as { status?: number; message?: string };
  const message = e.message ?? String(error);
  return typeof e.status === 'number' && !message.includes(String(e.status))
    ? `${e.status} ${message}`
    : message;
}

/** Releases a response body that will not be read (not awaited: a mocked stream may never settle). */
export function discardBody(response: Response) {
  response.body?.cancel().catch(() => undefined);
}

export function githubDigest(asset: ReleaseAsset): string | undefined {
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
export async function readLimited(
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
