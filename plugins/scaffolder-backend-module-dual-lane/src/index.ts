/**
 * The dual-lane module for the scaffolder: the `dual-lane:repo:create` and
 * `dual-lane:config:read` actions and the `dual-lane-repository` template.
 *
 * @packageDocumentation
 */

export { scaffolderModuleDualLane as default } from './module';
export {
  createDualLaneRepoAction,
  DUAL_LANE_REPO_CREATE_ACTION_ID,
} from './actions/createDualLaneRepoAction';
export {
  createDualLaneConfigReadAction,
  DUAL_LANE_CONFIG_READ_ACTION_ID,
} from './actions/createDualLaneConfigReadAction';
