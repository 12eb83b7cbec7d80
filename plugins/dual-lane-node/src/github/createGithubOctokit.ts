import { LoggerService } from '@backstage/backend-plugin-api';
import { GithubCredentialsProvider } from '@backstage/integration';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/** How patient a client is with GitHub before it gives up. */
export interface GithubLimits {
  /** Retries after a primary or secondary rate limit. */
  rateLimitRetries: number;
  /** Longest wait for a rate-limit reset, in seconds; longer gives up. */
  maxRateLimitWaitSeconds: number;
  /** Retries of a 5xx or network error. */
  serverErrorRetries: number;
  /** Base of the quadratic back-off between 5xx retries, in ms. */
  serverErrorRetryBaseMs: number;
}

export const DEFAULT_GITHUB_LIMITS: GithubLimits = {
  rateLimitRetries: 3,
  maxRateLimitWaitSeconds: 15 * 60,
  serverErrorRetries: 3,
  serverErrorRetryBaseMs: 1000,
};

export interface CreateGithubOctokitOptions {
  /** The integration's `apiBaseUrl`. */
  baseUrl: string;
  /**
   * A token, or a function asked before every request (so a GitHub App
   * installation token that expires during a long run is renewed).
   */
  token: string | (() => Promise<string>);
  logger: LoggerService;
  limits?: Partial<GithubLimits>;
  /**
   * Response statuses the caller handles itself (a 304 of a conditional
   * request, a 404 while probing): logged at debug instead of error.
   */
  expectedStatuses?: number[];
  userAgent?: string;
  /** Aborts every request, e.g. when a task is cancelled. */
  signal?: AbortSignal;
  /** For tests: e.g. `{ enabled: false }` to skip write throttling. */
  throttle?: {
    enabled?: boolean;
    retryAfterBaseValue?: number;
    fallbackSecondaryRateRetryAfter?: number;
  };
  /** For tests: `{ enabled: false }` to fail at the first 5xx. */
  retry?: { enabled?: boolean };
}

const DualLaneOctokit = Octokit.plugin(throttling, retry);

/**
 * An Octokit REST client that obeys GitHub's primary and secondary rate
 * limits (never retrying before the reset, a bounded number of times),
 * retries 5xx a bounded number of times and never 4xx, and logs through
 * Backstage's logger.
 */
export function createGithubOctokit(options: CreateGithubOctokitOptions): Octokit {
  const limits = { ...DEFAULT_GITHUB_LIMITS, ...options.limits };
  const { logger, token } = options;
  const expected = options.expectedStatuses ?? [304, 404];
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const giveUp =
        retryCount >= limits.rateLimitRetries ||
        retryAfter > limits.maxRateLimitWaitSeconds;
      logger.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${
          giveUp
            ? 'giving up'
            : `retry ${retryCount + 1}/${limits.rateLimitRetries} in ${retryAfter}s`
        }`,
      );
      return !giveUp;
    };
  const quiet = new RegExp(` - (${expected.join('|')}) with id `);
  const auth =
    typeof token === 'string'
      ? { auth: token }
      : {
          authStrategy: () => ({
            async auth() {
              return { type: 'token', token: await token() };
            },
            async hook(request: any, route: any, parameters?: any) {
              const endpoint = request.endpoint.merge(route, parameters);
              endpoint.headers.authorization = `token ${await token()}`;
              return request(endpoint);
            },
          }),
        };
  return new DualLaneOctokit({
    ...auth,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...options.throttle,
    },
    retry: {
      retries: limits.serverErrorRetries,
      retryAfterBaseValue: limits.serverErrorRetryBaseMs,
      ...options.retry,
    },
    request: options.signal ? { signal: options.signal } : undefined,
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warn(message),
      // @octokit/plugin-request-log reports every non-2xx answer as an error.
      error: (message: string) =>
        quiet.test(message) ? logger.debug(message) : logger.error(message),
    },
  });
}

/** No credential for a host/owner: a call would be anonymous, so none is made. */
export class MissingGithubCredentialsError extends Error {
  name = 'MissingGithubCredentialsError';
}

/**
 * The token `integrations.github` gives for a URL (a token, or a GitHub App
 * installed on the owner). Throws instead of returning nothing: an owner
 * outside the App's installations would otherwise be called anonymously.
 */
export async function githubTokenFor(
  credentials: GithubCredentialsProvider,
  url: string,
): Promise<string> {
  const { token } = await credentials.getCredentials({ url });
  if (!token) {
    throw new MissingGithubCredentialsError(
      `No GitHub credentials for ${url}: configure a token or a GitHub App installed on that owner under integrations.github`,
    );
  }
  return token;
}
