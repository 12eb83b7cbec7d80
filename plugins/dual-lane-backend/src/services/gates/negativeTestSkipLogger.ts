import { LoggerService } from '@backstage/backend-plugin-api';
import { Repository } from '@dual-lane/plugin-dual-lane-common';

/**
 * Logs a negative-test check that was not recorded (an ambiguous or
 * refused environment), and why, so a misconfigured report is visible.
 */
export function negativeTestSkipLogger(
  logger: LoggerService | undefined,
  repo: Pick<Repository, 'owner' | 'name'>,
) {
  return (run: { id: number; name: string }, reason: string) =>
    logger?.warn(
      `Negative-test check '${run.name}' (run ${run.id}) of ${repo.owner}/${repo.name} was not recorded: ${reason}`,
    );
}
