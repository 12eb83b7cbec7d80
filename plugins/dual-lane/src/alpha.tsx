/**
 * The dual-lane plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
export { default } from './alpha/index';
export * from './alpha/index';
