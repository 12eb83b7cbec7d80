import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  createGithubOctokit,
  GithubLimits,
  githubTokenFor,
  MissingGithubCredentialsError,
} from '@dual-lane/plugin-dual-lane-node';
import { Octokit } from '@octokit/rest';

export { MissingGithubCredentialsError };

/** A repository on a GitHub host. */
export interface GithubRepoRef {
  host: string;
  owner: string;
  name: string;
}

/** The REST client; throttling and retry act inside its requests. */
export type GithubClient = Octokit;

/**
 * Octokit clients per owner from Backstage's `integrations.github` config:
 * tokens and GitHub Apps via `DefaultGithubCredentialsProvider`, the
 * integration's `apiBaseUrl` (GitHub Enterprise, or a local fake), rate
 * limits and retries as `createGithubOctokit` sets them. The token is asked
 * for per request, so an App installation token that expires during a long
 * sync is renewed.
 */
export class GithubClientFactory {
  static fromConfig(
    config: Config,
    options: { logger: LoggerService } & Partial<GithubLimits>,
  ): GithubClientFactory {
    const { logger, ...limits } = options;
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubClientFactory(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      logger,
      limits,
    );
  }

  private readonly clients = new Map<string, GithubClient>();

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentials: GithubCredentialsProvider,
    private readonly logger: LoggerService,
    private readonly limits: Partial<GithubLimits> = {},
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
    await githubTokenFor(this.credentials, url);
    const key = `${host}/${owner}`.toLowerCase();
    let client = this.clients.get(key);
    if (!client) {
      client = createGithubOctokit({
        baseUrl: integration.apiBaseUrl ?? 'https://api.github.com',
        token: () => githubTokenFor(this.credentials, url),
        logger: this.logger,
        limits: this.limits,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  forRepository(repo: GithubRepoRef): Promise<GithubClient> {
    return this.forOwner(repo.host, repo.owner);
  }
}
