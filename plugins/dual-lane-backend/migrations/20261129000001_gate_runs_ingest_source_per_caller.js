// @ts-check

/**
 * Ingested gate runs were keyed (repository, 'ingest', external id), so one
 * CI system's run could overwrite another's with the same external id. They
 * are now keyed by caller: source `ingest:<subject>`. Existing rows already
 * name their caller in app_slug (`ingest:<subject>`), which becomes their
 * source.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('gate_runs')
    .where('source', 'ingest')
    .where('app_slug', 'like', 'ingest:%')
    .update({ source: knex.ref('app_slug') });
};

/**
 * Back to one `ingest` source. Where two callers used the same external id
 * in a repository only the newest row (highest id) can stay under the old
 * key; the others are deleted.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const rows = await knex('gate_runs')
    .where('source', 'like', 'ingest:%')
    .select('id', 'repository_id', 'external_id')
    .orderBy('id', 'desc');
  const kept = new Set();
  const drop = [];
  for (const row of rows) {
    const key = `${row.repository_id}\u0000${row.external_id}`;
    if (kept.has(key)) drop.push(row.id);
    else kept.add(key);
  }
  for (let i = 0; i < drop.length; i += 500) {
    await knex('gate_runs').whereIn('id', drop.slice(i, i + 500)).delete();
  }
  await knex('gate_runs').where('source', 'like', 'ingest:%').update({ source: 'ingest' });
};
