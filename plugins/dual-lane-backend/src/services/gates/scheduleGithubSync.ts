import { SchedulerService } from '@backstage/backend-plugin-api';
import { GithubSyncConfig } from './gatesConfig';
import { GithubGateSync, GithubSyncFailedError } from './GithubGateSync';

export const GITHUB_SYNC_TASK_ID = 'dual-lane:github-gates-sync';

/**
 * The scheduled GitHub sync (global scope: one instance runs it at a
 * time). A run in which any repository failed ends with an error, so the
 * scheduler records the failure; the other repositories were synced.
 */
export async function scheduleGithubSync(deps: {
  scheduler: SchedulerService;
  sync: GithubSyncConfig;
  gateSync: GithubGateSync;
}) {
  await deps.scheduler.scheduleTask({
    id: GITHUB_SYNC_TASK_ID,
    scope: 'global',
    ...deps.sync.schedule,
    fn: async signal => {
      const summary = await deps.gateSync.syncAll({ signal });
      if (summary.failed > 0) throw new GithubSyncFailedError(summary);
    },
  });
}
