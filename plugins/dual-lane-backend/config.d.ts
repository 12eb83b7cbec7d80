import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  dualLane?: {
    sync?: {
      catalog?: {
        /**
         * How often the catalog's dual-lane entities (those with
         * `github.com/project-slug`) are mirrored into the plugin's
         * database. Default: every 10 minutes, first run 10 s after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
