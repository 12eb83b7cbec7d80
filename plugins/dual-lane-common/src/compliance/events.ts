/**
 * Events-service topic any part of dual-lane (or a module) may publish to
 * after writing facts outside the GitHub sync, so that the affected
 * entities are re-evaluated by the next incremental pass instead of the
 * next daily one. Payload: {@link RepositoriesChangedEvent}.
 */
export const DUAL_LANE_REPOSITORIES_CHANGED_TOPIC =
  'dual-lane.repositories-changed';

export interface RepositoriesChangedEvent {
  /** `repositories.id` of the plugin's database. */
  repositoryIds: number[];
}
