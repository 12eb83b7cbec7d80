import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  createGithubOctokit,
  CreateGithubOctokitOptions,
  githubTokenFor,
  MissingGithubCredentialsError,
} from '@dual-lane/plugin-dual-lane-node';
import { Octokit } from '@octokit/rest';
import { RepoTarget } from './repoNaming';

/** The Octokit client the action uses: REST methods, retries and throttling. */
export type GithubClient = Octokit;

/** Overrides for tests (e.g. no write throttling, no retry delays). */
export interface GithubClientOptions {
  /** @octokit/plugin-throttling options, e.g. `{ enabled: false }`. */
  throttle?: CreateGithubOctokitOptions['throttle'];
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
  const url = `https://${target.host}/${encodeURIComponent(target.owner)}`;
  try {
    return await githubTokenFor(
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      url,
    );
  } catch (error) {
    if (error instanceof MissingGithubCredentialsError) {
      throw new NotAllowedError(
        `No GitHub credentials for ${target.host}/${target.owner}: configure a token or a GitHub App installed in '${target.owner}' under integrations.github, or pass the user's token to the action`,
      );
    }
    throw error;
  }
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
  return createGithubOctokit({
    token,
    baseUrl,
    logger,
    signal,
    userAgent: 'dual-lane-scaffolder',
    // A task waits at most two minutes for GitHub, then fails and can be
    // retried; the action reports its own failures, so probing answers
    // (404, 409 on an empty repository, 422 already exists) stay at debug.
    limits: {
      rateLimitRetries: 2,
      maxRateLimitWaitSeconds: 60,
      ...(overrides?.retry?.retries !== undefined && {
        serverErrorRetries: overrides.retry.retries,
      }),
      ...(overrides?.retry?.retryAfterBaseValue !== undefined && {
        serverErrorRetryBaseMs: overrides.retry.retryAfterBaseValue,
      }),
    },
    expectedStatuses: [304, 404, 409, 422],
    throttle: overrides?.throttle,
    retry:
      overrides?.retry?.enabled !== undefined
        ? { enabled: overrides.retry.enabled }
        : undefined,
  });
}
