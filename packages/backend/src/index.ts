import { createBackend } from '@backstage/backend-defaults';
import { ConfigSources } from '@backstage/config-loader';
import { checkDatabaseConfig } from './checkDatabaseConfig';

/**
 * Reads the config the backend will start with: refuses a malformed
 * database block, and says whether the offline demo's GitHub is served.
 */
async function readStartupConfig(): Promise<{ demoGithub: boolean }> {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({ argv: process.argv }),
  );
  try {
    const problems = checkDatabaseConfig(config);
    if (problems.length > 0) {
      throw new Error(
        `Invalid database configuration:\n  ${problems.join('\n  ')}`,
      );
    }
    return {
      demoGithub: config.getOptionalBoolean('demoGithub.enabled') ?? false,
    };
  } finally {
    config.close();
  }
}

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));

backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@dual-lane/plugin-dual-lane-backend'));
backend.add(import('@dual-lane/plugin-scaffolder-backend-module-dual-lane'));

readStartupConfig()
  .then(({ demoGithub }) => {
    // The offline demo organisation's GitHub at /api/demo-github
    // (app-config.yaml; app-config.github.yaml and production turn it off).
    if (demoGithub && process.env.NODE_ENV !== 'production') {
      backend.add(import('@dual-lane/demo'));
    }
    return backend.start();
  })
  .catch(error => {
    // eslint-disable-next-line no-console
    console.error(`Backend failed to start: ${error.message}`);
    process.exit(1);
  });
