import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations } from './migrations';

const databases = createTestDatabases();

const MIGRATION = '20261129000000_drop_duplicate_pull_request_lane_index.js';

/** Index name → its columns, of one table, on either engine. */
async function indexesOf(knex: Knex, table: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      `SELECT i.relname AS name, a.attname AS col, k.n
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) ON true
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace
        ORDER BY i.relname, k.n`,
      [table],
    );
    for (const r of rows) out.set(r.name, [...(out.get(r.name) ?? []), r.col]);
    return out;
  }
  for (const index of await knex.raw(`PRAGMA index_list('${table}')`)) {
    const info = await knex.raw(`PRAGMA index_info('${index.name}')`);
    out.set(
      index.name,
      info.sort((a: any, b: any) => a.seqno - b.seqno).map((c: any) => c.name),
    );
  }
  return out;
}

function onLaneSlug(indexes: Map<string, string[]>) {
  return [...indexes]
    .filter(([, cols]) => cols.join(',') === 'repository_id,lane_slug')
    .map(([name]) => name)
    .sort();
}

describe.each(databases.eachSupportedId())('pull request indexes on %p', id => {
  it('keep one index on (repository_id, lane_slug); the down migration restores the duplicate', async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    expect(onLaneSlug(await indexesOf(knex, 'pull_requests'))).toEqual([
      'pull_requests_repo_slug_idx',
    ]);

    const config = {
      directory: resolvePackagePath('@dual-lane/plugin-dual-lane-backend', 'migrations'),
      tableName: 'dual_lane__knex_migrations',
      loadExtensions: ['.js'],
    };
    // Every migration after this one first, then this one.
    const [done] = (await knex.migrate.list(config)) as [Array<{ name: string }>, unknown];
    for (const { name } of [...done].reverse()) {
      await knex.migrate.down({ ...config, name });
      if (name === MIGRATION) break;
    }
    expect(onLaneSlug(await indexesOf(knex, 'pull_requests'))).toEqual([
      'pull_requests_repo_lane_idx',
      'pull_requests_repo_slug_idx',
    ]);
    await applyDatabaseMigrations(knex);
    expect(onLaneSlug(await indexesOf(knex, 'pull_requests'))).toEqual([
      'pull_requests_repo_slug_idx',
    ]);
  });
});
