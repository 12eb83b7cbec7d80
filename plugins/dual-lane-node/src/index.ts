/**
 * Node.js library of the dual-lane plugins: config readers shared by the
 * backend plugin and its modules (the scaffolder module among them).
 *
 * @packageDocumentation
 */
export * from './config';
