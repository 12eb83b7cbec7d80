import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations } from './migrations';

const databases = createTestDatabases();

const MIGRATION = '20261129000001_gate_runs_ingest_source_per_caller.js';
const config = {
  directory: resolvePackagePath(
    '@dual-lane/plugin-dual-lane-backend',
    'migrations',
  ),
  tableName: 'dual_lane__knex_migrations',
  loadExtensions: ['.js'],
};

/** Reverts every migration newer than `name`, and `name` itself. */
async function downThrough(knex: Knex, name: string) {
  const [done] = (await knex.migrate.list(config)) as [
    Array<{ name: string }>,
    unknown,
  ];
  for (const m of [...done].reverse()) {
    await knex.migrate.down({ ...config, name: m.name });
    if (m.name === name) return;
  }
}

function gateRun(
  repositoryId: number,
  source: string,
  externalId: string,
  appSlug: string | null,
) {
  return {
    repository_id: repositoryId,
    source,
    external_id: externalId,
    gate_name: 'SLSA Verification / Verify SLSA Provenance',
    check_name: 'Verify SLSA Provenance',
    head_sha: 'a'.repeat(40),
    status: 'completed',
    conclusion: 'success',
    app_slug: appSlug,
    updated_at: '2025-01-19T10:00:00.000Z',
  };
}

async function sources(knex: Knex) {
  return (
    await knex('gate_runs').orderBy('id').select('source', 'external_id')
  ).map(r => `${r.source} ${r.external_id}`);
}

describe.each(databases.eachSupportedId())('migration %s on %p', id => {
  it(`${MIGRATION} keys ingested runs by their caller, and back`, async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    await downThrough(knex, MIGRATION);
    const [{ id: repositoryId }] = await knex('repositories')
      .insert({
        host: 'github.com',
        owner: 'acme',
        name: 'widget',
        created_at: '2025-01-19T10:00:00.000Z',
        updated_at: '2025-01-19T10:00:00.000Z',
      })
      .returning('id');
    await knex('gate_runs').insert([
      gateRun(repositoryId, 'github', '1', 'github-actions'),
      gateRun(repositoryId, 'ingest', 'build-7', 'ingest:external:ci-a'),
    ]);

    await applyDatabaseMigrations(knex);
    expect(await sources(knex)).toEqual([
      'github 1',
      'ingest:external:ci-a build-7',
    ]);
    // Now another caller may use the same external id.
    await knex('gate_runs').insert(
      gateRun(
        repositoryId,
        'ingest:external:ci-b',
        'build-7',
        'ingest:external:ci-b',
      ),
    );

    await downThrough(knex, MIGRATION);
    // Only one of the two fits the old key: the newest stays.
    expect(await sources(knex)).toEqual(['github 1', 'ingest build-7']);
    expect(
      await knex('gate_runs').where('source', 'ingest').pluck('app_slug'),
    ).toEqual(['ingest:external:ci-b']);
    await applyDatabaseMigrations(knex);
  });
});
