import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { CatalogEntitySync } from './CatalogEntitySync';

const CONFIG_KEY = 'dualLane.sync.catalog.schedule';

/**
 * Mirrors the catalog's dual-lane entities on a schedule
 * (`dualLane.sync.catalog.schedule`, default every 10 minutes).
 */
export async function scheduleCatalogSync(deps: {
  config: RootConfigService;
  scheduler: SchedulerService;
  catalogSync: CatalogEntitySync;
  logger: LoggerService;
}) {
  const schedule = deps.config.has(CONFIG_KEY)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        deps.config.getConfig(CONFIG_KEY),
      )
    : {
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 10 },
      };
  await deps.scheduler.scheduleTask({
    id: 'dual-lane:catalog-sync',
    scope: 'global',
    ...schedule,
    fn: async () => {
      await deps.catalogSync.syncAll();
    },
  });
}
