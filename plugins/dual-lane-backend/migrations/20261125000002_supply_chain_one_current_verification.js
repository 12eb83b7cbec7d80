/*
 * At most one current verification per (artifact, check) and per (policy
 * version, check), enforced by the database: partial unique indexes (both
 * PostgreSQL and SQLite have them), so two verifications recorded at the
 * same time cannot both stay current. Rows left current by such races
 * before are repaired first: the newest stays current.
 */

const INDEXES = [
  { name: 'verifications_current_artifact_uq', column: 'artifact_id' },
  { name: 'verifications_current_policy_uq', column: 'policy_version_id' },
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  for (const { name, column } of INDEXES) {
    const newest = knex('verifications')
      .max('id')
      .where('current', true)
      .whereNotNull(column)
      .groupBy(column, 'check');
    await knex('verifications')
      .where('current', true)
      .whereNotNull(column)
      .whereNotIn('id', newest)
      .update({ current: false });
    // `TRUE` is a literal in both engines (SQLite reads it as 1).
    await knex.raw(
      `CREATE UNIQUE INDEX ?? ON ?? (??, ??) WHERE ?? = TRUE AND ?? IS NOT NULL`,
      [name, 'verifications', column, 'check', 'current', column],
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const { name } of INDEXES) {
    await knex.raw('DROP INDEX ??', [name]);
  }
};
