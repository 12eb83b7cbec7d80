/**
 * Node.js library of the dual-lane plugins: config readers and the GitHub
 * client shared by the backend plugin and its modules (the scaffolder module
 * among them).
 *
 * @packageDocumentation
 */
export * from './config';
export * from './github';
