// @ts-check

/**
 * Webhooks and refreshes find pull requests by lane slug and by merge
 * commit; without these indexes both scan a repository's pull requests.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('pull_requests', table => {
    table.index(['repository_id', 'lane_slug'], 'pull_requests_repo_lane_idx');
    table.index(['repository_id', 'merge_commit_sha'], 'pull_requests_repo_merge_sha_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('pull_requests', table => {
    table.dropIndex(['repository_id', 'lane_slug'], 'pull_requests_repo_lane_idx');
    table.dropIndex(['repository_id', 'merge_commit_sha'], 'pull_requests_repo_merge_sha_idx');
  });
};
