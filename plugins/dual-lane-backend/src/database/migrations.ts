import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@dual-lane/plugin-dual-lane-backend',
  'migrations',
);

const MIGRATIONS_TABLE = 'dual_lane__knex_migrations';

function migrationConfig(): Knex.MigratorConfig {
  return {
    directory: migrationsDir,
    tableName: MIGRATIONS_TABLE,
    loadExtensions: ['.js'],
  };
}

/** Applies pending migrations; a second call is a no-op. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest(migrationConfig());
}

/** Reverts every migration, newest first (used by tests of `down`). */
export async function rollbackAllMigrations(knex: Knex): Promise<void> {
  await knex.migrate.rollback(migrationConfig(), true);
}

export interface SchemaVersion {
  /** The newest applied migration, or undefined before any ran. */
  version?: string;
  applied: number;
}

export async function readSchemaVersion(knex: Knex): Promise<SchemaVersion> {
  const [completed] = (await knex.migrate.list(migrationConfig())) as [
    Array<{ name: string } | string>,
    unknown,
  ];
  const names = completed
    .map(m => (typeof m === 'string' ? m : m.name))
    .sort();
  return { version: names[names.length - 1], applied: names.length };
}
