import { LoggerService } from '@backstage/backend-plugin-api';
import { VerdictConvention } from '@dual-lane/plugin-dual-lane-common';
import { GateSyncDeps } from './syncDeps';

/**
 * Says at start when PLAN's verdicts are not tied to supervisors: then
 * any account but a pull request's author gives them.
 */
export function warnAboutVerdictSettings(
  verdicts: VerdictConvention,
  logger: LoggerService,
) {
  if (verdicts.supervisors.length > 0) return;
  logger.warn(
    'dualLane.verdicts.supervisors is not configured: a PLAN verdict from any GitHub account except the pull request author counts. List the supervisors (PLAN) there so that only they can approve.',
  );
}

/**
 * Removes stored verdicts the current settings do not count (recorded
 * before the author was excluded, or under other supervisors) and
 * recomputes the derived state of the pull requests concerned. Verdicts
 * are filtered when they are read from GitHub; this catches up the ones
 * stored earlier, which the incremental sync would otherwise keep until
 * their pull request changes. Returns the number of pull requests touched.
 */
export async function pruneUncountedVerdicts(
  deps: Pick<GateSyncDeps, 'store' | 'config' | 'derived'>,
): Promise<number> {
  const touched = await deps.store.gates.deleteUncountedVerdicts(
    deps.config.verdicts.supervisors,
  );
  const byRepository = new Map<number, number[]>();
  for (const t of touched) {
    byRepository.set(t.repositoryId, [
      ...(byRepository.get(t.repositoryId) ?? []),
      t.number,
    ]);
  }
  for (const [repositoryId, numbers] of byRepository) {
    const repo = await deps.store.repositories.getRepository(repositoryId);
    if (repo) await deps.derived.update(repo, numbers);
  }
  return touched.length;
}
