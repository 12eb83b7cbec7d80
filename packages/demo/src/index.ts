/**
 * The offline dual-lane demo: a local GitHub REST API serving the demo
 * organisation (a backend plugin), and the generator of its data.
 *
 * @packageDocumentation
 */
export { demoGithubPlugin as default } from './plugin';
export { DemoGithubApi } from './github/DemoGithubApi';
export type { ApiRequest, ApiResponse, ApiStats } from './github/DemoGithubApi';
export { loadDemoData } from './github/loadDemoData';
export type { DemoData } from './github/loadDemoData';
export { createDemoGithubRouter } from './github/router';
