import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { EventsService } from '@backstage/plugin-events-node';
import { GithubSyncConfig } from './gatesConfig';
import { GithubWebhookHandler } from './GithubWebhookHandler';
import { GITHUB_TOPICS } from './webhookPayloads';

/**
 * Whether `@backstage/plugin-events-backend-module-github` checks
 * `x-hub-signature-256`: it does only with `events.modules.github.webhookSecret`
 * or a GitHub App `webhookSecret` under `integrations.github`; with neither
 * it publishes whatever is posted to `/api/events/http/github`.
 */
export function githubWebhooksAreSigned(config: Config): boolean {
  if (config.getOptionalString('events.modules.github.webhookSecret')) {
    return true;
  }
  for (const integration of config.getOptionalConfigArray('integrations.github') ?? []) {
    for (const app of integration.getOptionalConfigArray('apps') ?? []) {
      if (app.getOptionalString('webhookSecret')) return true;
    }
  }
  return false;
}

/**
 * Subscribes the handler to the GitHub topics, unless webhooks are
 * disabled or unsigned. Unsigned events are refused: anyone who can reach
 * the backend could forge gate results. `dualLane.sync.github.webhooks.allowUnsigned`
 * lifts that for development only; it is ignored when NODE_ENV is
 * `production`. Returns whether it subscribed.
 */
export async function subscribeToGithubWebhooks(options: {
  events: EventsService;
  config: Config;
  sync: GithubSyncConfig;
  handler: GithubWebhookHandler;
  logger: LoggerService;
}): Promise<boolean> {
  const { events, config, sync, handler, logger } = options;
  if (!sync.webhooks.enabled) {
    logger.info('GitHub webhooks for dual-lane gates are disabled (dualLane.sync.github.webhooks.enabled: false)');
    return false;
  }
  if (!githubWebhooksAreSigned(config)) {
    const production = process.env.NODE_ENV === 'production';
    if (!sync.webhooks.allowUnsigned || production) {
      logger.error(
        `Not subscribing to GitHub webhook events for dual-lane gates: no webhook secret is configured (events.modules.github.webhookSecret or integrations.github[].apps[].webhookSecret), so their signatures are not checked and anyone could forge gate results. Configure a secret${
          production
            ? ''
            : ', or set dualLane.sync.github.webhooks.allowUnsigned: true for local development'
        }. The scheduled sync still runs.`,
      );
      return false;
    }
    logger.warn(
      'Subscribing to UNSIGNED GitHub webhook events for dual-lane gates (dualLane.sync.github.webhooks.allowUnsigned); never do this outside development',
    );
  }
  await events.subscribe({
    id: 'dual-lane-gates',
    topics: GITHUB_TOPICS,
    onEvent: params => handler.onEvent(params),
  });
  logger.info(`Dual-lane gates subscribed to ${GITHUB_TOPICS.join(', ')}`);
  return true;
}
