import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** A repository on a GitHub host. */
export interface GithubRepoRef {
  host: string;
  owner: string;
  name: string;
}

export interface GithubClientOptions {
  /** Retries after a primary or secondary rate limit before giving up. */
  rateLimitRetries: number;
  /** Retries of a 5xx / network error before giving up. */
  serverErrorRetries: number;
  /** Longest wait for a rate-limit reset before giving up, in seconds. */
  maxRateLimitWaitSeconds: number;
  /** Base of the quadratic back-off between 5xx retries, in ms. */
  serverErrorRetryBaseMs: number;
}

export const DEFAULT_GITHUB_CLIENT_OPTIONS: GithubClientOptions = {
  rateLimitRetries: 3,
  serverErrorRetries: 3,
  maxRateLimitWaitSeconds: 15 * 60,
  serverErrorRetryBaseMs: 1000,
};

/** Thrown when no credential exists for a host/owner: never call anonymously. */
export class MissingGithubCredentialsError extends Error {
  name = 'MissingGithubCredentialsError';
}

const ThrottledOctokit = Octokit.plugin(throttling, retry);
/** The REST client; throttling and retry act inside its requests. */
export type GithubClient = Octokit;

/**
 * Creates Octokit clients from Backstage's `integrations.github` config:
 * tokens and GitHub Apps via `DefaultGithubCredentialsProvider`, the
 * integration's `apiBaseUrl` (GitHub Enterprise, or a local fake), primary
 * and secondary rate limits obeyed (no retry before the reset time, bounded
 * retries), 5xx retried a bounded number of times.
 *
 * The token is fetched per request rather than per client, so an App
 * installation token that expires during a long sync is renewed.
 */
export class GithubClientFactory {
  static fromConfig(
    config: Config,
    options: { logger: LoggerService } & Partial<GithubClientOptions>,
  ): GithubClientFactory {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubClientFactory(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      options.logger,
      { ...DEFAULT_GITHUB_CLIENT_OPTIONS, ...options },
    );
  }

  private readonly clients = new Map<string, GithubClient>();

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentials: GithubCredentialsProvider,
    private readonly logger: LoggerService,
    private readonly options: GithubClientOptions = DEFAULT_GITHUB_CLIENT_OPTIONS,
  ) {}

  /** The integration config for a host, or an error naming the host. */
  integrationFor(host: string): GithubIntegrationConfig {
    const integration = this.integrations.github.byHost(host);
    if (!integration) {
      throw new MissingGithubCredentialsError(
        `No integrations.github entry for host '${host}'`,
      );
    }
    return integration.config;
  }

  /**
   * A client for the repository's owner. Throws before any request when the
   * owner has no credential (e.g. outside the App's installations).
   */
  async forOwner(host: string, owner: string): Promise<GithubClient> {
    const integration = this.integrationFor(host);
    const url = `https://${host}/${owner}`;
    await this.tokenFor(url);
    const key = `${host}/${owner}`.toLowerCase();
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(integration, url);
      this.clients.set(key, client);
    }
    return client;
  }

  forRepository(repo: GithubRepoRef): Promise<GithubClient> {
    return this.forOwner(repo.host, repo.owner);
  }

  private async tokenFor(url: string): Promise<string> {
    const { token } = await this.credentials.getCredentials({ url });
    if (!token) {
      throw new MissingGithubCredentialsError(
        `No GitHub credentials for ${url}: configure a token or a GitHub App installed on that owner under integrations.github`,
      );
    }
    return token;
  }

  private create(integration: GithubIntegrationConfig, url: string) {
    const { logger, options } = this;
    const tokenFor = (u: string) => this.tokenFor(u);
    const onLimit =
      (kind: string) =>
      (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        const giveUp =
          retryCount >= options.rateLimitRetries ||
          retryAfter > options.maxRateLimitWaitSeconds;
        logger.warn(
          `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${
            giveUp
              ? 'giving up'
              : `retry ${retryCount + 1}/${options.rateLimitRetries} in ${retryAfter}s`
          }`,
        );
        return !giveUp;
      };
    const client: GithubClient = new ThrottledOctokit({
      baseUrl: integration.apiBaseUrl ?? 'https://api.github.com',
      authStrategy: () => ({
        // Octokit's auth hook: a fresh (cached by the provider) token per request.
        async auth() {
          return { type: 'token', token: await tokenFor(url) };
        },
        async hook(request: any, route: any, parameters?: any) {
          const endpoint = request.endpoint.merge(route, parameters);
          endpoint.headers.authorization = `token ${await tokenFor(url)}`;
          return request(endpoint);
        },
      }),
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
      retry: {
        retries: options.serverErrorRetries,
        retryAfterBaseValue: options.serverErrorRetryBaseMs,
      },
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => logger.warn(message),
        // @octokit/plugin-request-log reports every non-2xx response as an
        // error; a 304 (a conditional request that found nothing new) and a
        // 404 are answers the caller handles, not failures.
        error: (message: string) =>
          / - (304|404) with id /.test(message)
            ? logger.debug(message)
            : logger.error(message),
      },
    });
    return client;
  }
}
