import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import path from 'node:path';

export const DEFAULT_DEMO_HOST = 'github.demo.internal';

export interface DemoGithubConfig {
  enabled: boolean;
  dataDirectory: string;
  host: string;
  token: string;
}

/** The repository's `examples/demo`, where `yarn demo:generate` writes. */
export function defaultDataDirectory(): string {
  return path.resolve(
    resolvePackagePath('@dual-lane/demo'),
    '../../examples/demo',
  );
}

/** Reads `demoGithub.*`; a missing token is an error when the demo is enabled. */
export function readDemoGithubConfig(config: Config): DemoGithubConfig {
  const enabled = config.getOptionalBoolean('demoGithub.enabled') ?? false;
  const token = config.getOptionalString('demoGithub.token') ?? '';
  if (enabled && !token) {
    throw new Error(
      "demoGithub.token must be set when demoGithub.enabled is true: it is the token the demo host's integrations.github entry sends",
    );
  }
  const dir = config.getOptionalString('demoGithub.dataDirectory');
  return {
    enabled,
    token,
    host: config.getOptionalString('demoGithub.host') ?? DEFAULT_DEMO_HOST,
    dataDirectory: dir ? path.resolve(dir) : defaultDataDirectory(),
  };
}
