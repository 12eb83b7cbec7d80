// @ts-check

/**
 * 20261126000000 already indexes pull_requests (repository_id, lane_slug)
 * as pull_requests_repo_slug_idx; 20261127000000 added the same columns
 * again as pull_requests_repo_lane_idx. Two identical indexes double the
 * write cost for no read benefit: drop the later one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('pull_requests', table => {
    table.dropIndex(['repository_id', 'lane_slug'], 'pull_requests_repo_lane_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('pull_requests', table => {
    table.index(['repository_id', 'lane_slug'], 'pull_requests_repo_lane_idx');
  });
};
