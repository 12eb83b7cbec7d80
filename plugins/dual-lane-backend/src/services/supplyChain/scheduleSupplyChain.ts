import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { GithubArtifactSource } from './GithubArtifactSource';
import { Reverifier } from './Reverifier';

function readSchedule(
  config: RootConfigService,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : fallback;
}

/**
 * Two tasks: `dual-lane:supply-chain-sync` pulls release assets and
 * attestations from GitHub (`dualLane.sync.artifacts.schedule`, default
 * every 30 minutes), `dual-lane:supply-chain-reverify` re-verifies what was
 * verified under another policy (`dualLane.verification.reverify.schedule`,
 * default hourly, first 15 s after start so a changed policy applies at once).
 */
export async function scheduleSupplyChain(deps: {
  config: RootConfigService;
  scheduler: SchedulerService;
  source: GithubArtifactSource;
  reverifier: Reverifier;
  logger: LoggerService;
  syncEnabled: boolean;
}) {
  if (deps.syncEnabled) {
    await deps.scheduler.scheduleTask({
      id: 'dual-lane:supply-chain-sync',
      scope: 'global',
      ...readSchedule(deps.config, 'dualLane.sync.artifacts.schedule', {
        frequency: { minutes: 30 },
        timeout: { minutes: 15 },
        initialDelay: { minutes: 1 },
      }),
      fn: async () => {
        await deps.source.syncAll();
      },
    });
  }
  await deps.scheduler.scheduleTask({
    id: 'dual-lane:supply-chain-reverify',
    scope: 'global',
    ...readSchedule(deps.config, 'dualLane.verification.reverify.schedule', {
      frequency: { hours: 1 },
      timeout: { minutes: 15 },
      initialDelay: { seconds: 15 },
    }),
    fn: async () => {
      await deps.reverifier.reverify();
    },
  });
}
