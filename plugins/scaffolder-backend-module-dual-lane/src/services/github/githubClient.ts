import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { RepoTarget } from './repoNaming';

const DualLaneOctokit = Octokit.plugin(retry, throttling);

/** The Octokit client the action uses: REST methods, retries and throttling. */
export type GithubClient = Octokit;

/** Overrides for tests (e.g. no write throttling, no retry delays). */
export interface GithubClientOptions {
  /** @octokit/plugin-throttling options, e.g. `{ enabled: false }`. */
  throttle?: {
    enabled?: boolean;
    retryAfterBaseValue?: number;
    fallbackSecondaryRateRetryAfter?: number;
  };
  /** @octokit/plugin-retry options, e.g. `{ retryAfterBaseValue: 1 }`. */
  retry?: { enabled?: boolean; retries?: number; retryAfterBaseValue?: number };
}

/**
 * Resolves the token for the target: the user's token passed by the
 * template wins, then `integrations.github` (token or GitHub App). No
 * credential is an error, never an anonymous call.
 */
export async function resolveGithubToken(options: {
  integrations: ScmIntegrationRegistry;
  target: RepoTarget;
  inputToken?: string;
}): Promise<string> {
  const { integrations, target, inputToken } = options;
  if (inputToken) {
    return inputToken;
  }
  const provider =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const { token } = await provider.getCredentials({
    url: `https://${target.host}/${encodeURIComponent(target.owner)}`,
  });
  if (!token) {
    throw new NotAllowedError(
      `No GitHub credentials for ${target.host}/${target.owner}: configure a token or a GitHub App installed in '${target.owner}' under integrations.github, or pass the user's token to the action`,
    );
  }
  return token;
}

/**
 * Creates the client. Rate limits are obeyed (at most two waits of up to a
 * minute each, then the task fails and can be retried); server errors are
 * retried by @octokit/plugin-retry, client errors never are.
 */
export function createGithubClient(options: {
  token: string;
  baseUrl: string;
  logger: LoggerService;
  overrides?: GithubClientOptions;
  /** Aborts every request when the task is cancelled. */
  signal?: AbortSignal;
}): GithubClient {
  const { token, baseUrl, logger, overrides, signal } = options;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const wait = retryCount < 2 && retryAfter <= 60;
      logger.warn(
        `GitHub ${kind} limit hit for ${request.method} ${request.url}; ${
          wait ? `retrying after ${retryAfter}s` : 'giving up'
        }`,
      );
      return wait;
    };
  return new DualLaneOctokit({
    auth: token,
    baseUrl,
    userAgent: 'dual-lane-scaffolder',
    // Octokit logs every non-2xx answer as an error; many are expected here
    // (404 while probing) and the action reports real failures itself.
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.debug(message),
    },
    throttle: {
      onRateLimit: onLimit('rate'),
      onSecondaryRateLimit: onLimit('secondary rate'),
      ...overrides?.throttle,
    },
    retry: overrides?.retry,
    request: signal ? { signal } : undefined,
  });
}
