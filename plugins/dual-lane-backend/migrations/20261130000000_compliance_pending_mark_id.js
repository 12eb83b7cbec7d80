// @ts-check

/**
 * A pending compliance mark was taken (deleted) before the pass that took
 * it stored its results, so a pass that failed or was aborted lost the
 * marks it had not yet evaluated. Marks are now removed in the transaction
 * that stores their repository's results, and only if they were not set
 * again meanwhile: each mark carries an id that every new mark replaces.
 * Rows from before have no id; they are removed by repository.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('compliance_pending', table => {
    table
      .string('mark_id', 36)
      .nullable()
      .comment('Replaced by every new mark; a pass removes only the mark it read');
    table.index(['mark_id'], 'compliance_pending_mark_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('compliance_pending', table => {
    table.dropIndex([], 'compliance_pending_mark_idx');
    table.dropColumn('mark_id');
  });
};
