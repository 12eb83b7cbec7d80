import { DemoData } from './loadDemoData';
import { etagOf, matchesEtag } from './paging';
import { ServeContext } from './responses';
import { notFound, ROUTES } from './routes';

export interface ApiRequest {
  method: string;
  /** The path below the API base, still percent-encoded: `/repos/acme/widget/pulls`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Absolute URL of the API base, for `Link` headers and `url` fields. */
  apiBase: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; `raw` wins when set. */
  body?: unknown;
  raw?: Buffer | string;
}

/** Requests answered and conditional requests that found nothing new. */
export interface ApiStats {
  requests: number;
  notModified: number;
  byRoute: Record<string, number>;
}

const DOCS = 'https://docs.github.com/rest';

/**
 * The GitHub REST API of the demo organisation: every endpoint the
 * dual-lane gates sync, supply-chain sync and drift check read, answered
 * from the fixtures with GitHub's response shapes, pagination, ETags and
 * 304s, and GitHub's errors (401 without the token, 404 for what does not
 * exist). Transport-free: the express router and tests call `handle`.
 */
export class DemoGithubApi {
  readonly stats: ApiStats = { requests: 0, notModified: 0, byRoute: {} };

  constructor(
    private readonly data: DemoData,
    private readonly options: { token: string; host: string },
  ) {}

  get now() {
    return this.data.now;
  }

  handle(req: ApiRequest): ApiResponse {
    this.stats.requests += 1;
    const response = this.route(req);
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(
        Math.max(0, 5000 - (this.stats.requests % 5000)),
      ),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...response.headers,
    };
    if (response.status !== 200 || req.method !== 'GET') {
      return { ...response, headers };
    }
    const payload =
      response.raw ?? Buffer.from(JSON.stringify(response.body), 'utf8');
    const etag = etagOf(payload);
    headers.etag = etag;
    headers['cache-control'] = 'private, max-age=60, s-maxage=60';
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      this.stats.notModified += 1;
      return { status: 304, headers };
    }
    return { ...response, headers };
  }

  private route(req: ApiRequest): ApiResponse {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return {
        status: 405,
        headers: {},
        body: {
          message: `The demo GitHub is read-only: ${req.method} is not supported`,
          documentation_url: DOCS,
        },
      };
    }
    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    if (!token) {
      return {
        status: 401,
        headers: {},
        body: { message: 'Requires authentication', documentation_url: DOCS },
      };
    }
    if (token !== this.options.token) {
      return {
        status: 401,
        headers: {},
        body: { message: 'Bad credentials', documentation_url: DOCS },
      };
    }
    let segments: string[];
    try {
      segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return notFound();
    }
    if (segments[0] !== 'repos' || segments.length < 3) return notFound();
    const repo = this.data.repositories.get(
      `${segments[1]}/${segments[2]}`.toLowerCase(),
    );
    if (!repo) return notFound();
    const ctx: ServeContext = {
      apiBase: req.apiBase,
      host: this.options.host,
      now: this.data.now,
    };
    const [area, ...rest] = segments.slice(3);
    const handler = area === undefined ? ROUTES[''] : ROUTES[area];
    if (!handler) return notFound();
    const key = `${area ?? 'repository'}${
      rest.length ? `/${rest.length}` : ''
    }`;
    this.stats.byRoute[key] = (this.stats.byRoute[key] ?? 0) + 1;
    return handler(repo, rest, req, ctx);
  }
}
