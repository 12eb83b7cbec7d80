import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DualLaneStore } from '../database';
import { applyDatabaseMigrations } from '../database/migrations';

/**
 * The engines every store-touching test runs on. PostgreSQL is reached
 * through BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (set by
 * .ci/run, which also sets DUAL_LANE_REQUIRE_POSTGRES so a missing server
 * fails instead of being skipped); Docker is never tried.
 */
export const TEST_DATABASE_IDS: TestDatabaseId[] = ['POSTGRES_15', 'SQLITE_3'];

export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({
    ids: TEST_DATABASE_IDS,
    disableDocker: true,
  });
  if (
    process.env.DUAL_LANE_REQUIRE_POSTGRES &&
    !process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  ) {
    throw new Error(
      'DUAL_LANE_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not: the store tests would silently skip PostgreSQL',
    );
  }
  return databases;
}

/** A migrated, empty store on a fresh logical database of the given engine. */
export async function createTestStore(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<{ knex: Knex; store: DualLaneStore }> {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  return { knex, store: new DualLaneStore(knex) };
}
