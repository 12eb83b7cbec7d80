import { createBackend } from '@backstage/backend-defaults';
import { ConfigSources } from '@backstage/config-loader';
import { checkDatabaseConfig } from './checkDatabaseConfig';

async function assertValidDatabaseConfig() {
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
assertValidDatabaseConfig()
  .then(() => backend.start())
  .catch(error => {
    // eslint-disable-next-line no-console
    console.error(`Backend failed to start: ${error.message}`);
    process.exit(1);
  });
