import { GithubClient } from '../github/GithubClientFactory';

/** Requests made and 304s received, per run (shared across repositories). */
export interface RequestCounters {
  requests: number;
  notModified: number;
}

export function newCounters(): RequestCounters {
  return { requests: 0, notModified: 0 };
}

/** Thrown between requests once the task's abort signal fired. */
export class SyncAbortedError extends Error {
  name = 'SyncAbortedError';
  constructor() {
    super('GitHub sync aborted');
  }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A 403/429 that is GitHub's rate limit rather than a missing permission. */
export function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== 403 && status !== 429) return false;
  const headers = (error as { response?: { headers?: Record<string, string> } })
    ?.response?.headers;
  return (
    status === 429 ||
    headers?.['x-ratelimit-remaining'] === '0' ||
    headers?.['retry-after'] !== undefined ||
    /rate limit/i.test(String((error as Error)?.message ?? ''))
  );
}

export interface ConditionalResult<T> {
  notModified: boolean;
  data?: T;
  etag?: string;
}

export interface Page<T> {
  items: T[];
  etag?: string;
  notModified: boolean;
}

/**
 * Requests for one repository through an Octokit client: counted,
 * conditional where an ETag is known (GitHub answers 304, which Octokit
 * raises as an error, and which does not count against the rate limit),
 * streamed page by page, and stopped between requests when aborted.
 */
export class GithubRequests {
  constructor(
    readonly client: GithubClient,
    readonly counters: RequestCounters,
    private readonly signal?: AbortSignal,
  ) {}

  checkAborted() {
    if (this.signal?.aborted) throw new SyncAbortedError();
  }

  private options(params: Record<string, unknown>, etag?: string) {
    return {
      ...params,
      headers: etag ? { 'if-none-match': etag } : undefined,
      request: this.signal ? { signal: this.signal } : undefined,
    };
  }

  /** One GET; `notModified` when the ETag still matches. */
  async get<T>(
    route: string,
    params: Record<string, unknown>,
    etag?: string,
  ): Promise<ConditionalResult<T>> {
    this.checkAborted();
    this.counters.requests += 1;
    try {
      const res = await this.client.request(route, this.options(params, etag));
      return {
        notModified: false,
        data: res.data as T,
        etag: res.headers.etag,
      };
    } catch (error) {
      if (statusOf(error) === 304) {
        this.counters.notModified += 1;
        return { notModified: true, etag };
      }
      throw error;
    }
  }

  /**
   * Streams the pages of a list (`per_page=100`). With an ETag, a 304 on the
   * first page yields one empty page with `notModified` and stops.
   */
  async *pages<T>(
    route: string,
    params: Record<string, unknown>,
    etag?: string,
  ): AsyncGenerator<Page<T>> {
    this.checkAborted();
    const iterator = this.client.paginate.iterator(
      route as any,
      this.options({ per_page: 100, ...params }, etag) as any,
    )[Symbol.asyncIterator]();
    for (;;) {
      this.checkAborted();
      this.counters.requests += 1;
      let next: IteratorResult<any>;
      try {
        next = await iterator.next();
      } catch (error) {
        if (statusOf(error) === 304) {
          this.counters.notModified += 1;
          yield { items: [], etag, notModified: true };
          return;
        }
        throw error;
      }
      if (next.done) {
        // The iterator's final `next()` makes no request.
        this.counters.requests -= 1;
        return;
      }
      yield {
        items: next.value.data as T[],
        etag: next.value.headers?.etag,
        notModified: false,
      };
    }
  }

  /** Every item of a list, up to `max` items. */
  async all<T>(
    route: string,
    params: Record<string, unknown>,
    max = Infinity,
  ): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(route, params)) {
      out.push(...page.items);
      if (out.length >= max) break;
    }
    return out;
  }
}
