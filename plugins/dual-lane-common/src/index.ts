/**
 * Shared types, permissions and rules of the dual-lane plugins, evaluated the
 * same way by the backend and the frontend.
 *
 * @packageDocumentation
 */
export * from './constants';
export * from './labels';
export * from './permissions';
export * from './types';
export * from './gates';
export * from './supplyChain';
export * from './compliance';
