/***/
/**
 * The dual-lane backend module for the scaffolder plugin.
 *
 * @packageDocumentation
 */

export { scaffolderModuleDualLane as default } from './module';
