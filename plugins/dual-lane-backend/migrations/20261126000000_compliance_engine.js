// @ts-check

/**
 * The compliance engine's own tables and the indexes its queries need:
 *
 * - compliance_results gains what the org-wide list filters and sorts on
 *   without reading the criteria JSON: a severity (verdict, then failing
 *   count), one bit per criterion for failing / no-data / waived, a compact
 *   per-criterion summary, and what the result was computed from (the
 *   repository and the entity's annotations) so changes are noticed;
 * - the catalog's group hierarchy, mirrored with its transitive closure,
 *   for owner rollups and owner filters through nested groups;
 * - the drift check's state per repository (ETags, blob shas, the file
 *   texts), so it only reads AGENTS.md / CLAUDE.md when the branch moved;
 * - repositories announced as changed, for the next incremental pass;
 * - indexes on the sync-time columns the incremental pass watches, and on
 *   what the KPI queries look up per pull request.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('compliance_results', table => {
    table.integer('repository_id').nullable().comment('Repository the KPIs came from');
    table
      .integer('severity')
      .notNullable()
      .defaultTo(0)
      .comment('Sort key: verdict rank (no-go 2, no-data 1, go 0) * 16 + failing count');
    table.integer('failing_mask').notNullable().defaultTo(0).comment('Bit per criterion (common GO_NO_GO_CRITERION_IDS order)');
    table.integer('no_data_mask').notNullable().defaultTo(0);
    table.integer('waived_mask').notNullable().defaultTo(0);
    table.text('criteria_summary').notNullable().defaultTo('[]').comment('[{criterion, status, value, threshold, gap}] JSON');
    table.text('reasons').notNullable().defaultTo('[]').comment('Why the verdict, JSON');
    table.text('thresholds').notNullable().defaultTo('{}').comment('Thresholds applied, with sources and annotation errors, JSON');
    table.text('annotations').nullable().comment('The entity annotations the result was computed with, JSON');
    table.timestamp('next_change_at', { useTz: true }).nullable().comment('First waiver expiry in effect');
    table.index(['severity', 'entity_ref'], 'compliance_results_severity_idx');
    table.index(['failing_count', 'entity_ref'], 'compliance_results_failing_idx');
    table.index(['next_change_at'], 'compliance_results_next_change_idx');
  });

  await knex.schema.createTable('compliance_groups', table => {
    table.comment('Catalog groups (kind Group) and their parents, mirrored for rollups');
    table.string('group_ref').primary().comment('group:namespace/name, lower-case');
    table.string('parent_ref').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['parent_ref'], 'compliance_groups_parent_idx');
  });

  await knex.schema.createTable('compliance_group_closure', table => {
    table.comment('Every (ancestor, descendant) pair of the group hierarchy, self included at depth 0');
    table.string('ancestor_ref').notNullable();
    table.string('descendant_ref').notNullable();
    table.integer('depth').notNullable();
    table.primary(['ancestor_ref', 'descendant_ref']);
    table.index(['descendant_ref'], 'compliance_group_closure_descendant_idx');
  });

  await knex.schema.createTable('compliance_drift_checks', table => {
    table.comment('The drift check state of one repository: what was read, when, and its ETags');
    table
      .integer('repository_id')
      .unsigned()
      .primary()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table.string('default_branch').nullable();
    table.string('branch_etag').nullable();
    table.string('commit_sha').nullable().comment('Default-branch head the files were last read at');
    table.string('agents_etag').nullable();
    table.string('agents_sha').nullable().comment('Git blob sha of AGENTS.md; NULL when absent');
    table.text('agents_text').nullable();
    table.string('claude_etag').nullable();
    table.string('claude_sha').nullable();
    table.text('claude_text').nullable();
    table.integer('differences').nullable().comment('Differences found at commit_sha');
    table.timestamp('checked_at', { useTz: true }).nullable().comment('Last successful check');
    table.timestamp('compared_at', { useTz: true }).nullable().comment('Last time the files were compared');
    table.text('last_error').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('compliance_pending', table => {
    table.comment('Repositories announced as changed, evaluated by the next incremental pass');
    table
      .integer('repository_id')
      .unsigned()
      .primary()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table.timestamp('marked_at', { useTz: true }).notNullable();
  });

  await knex.schema.alterTable('pull_requests', table => {
    table.index(['updated_at'], 'pull_requests_updated_idx');
    table.index(['repository_id', 'lane_slug'], 'pull_requests_repo_slug_idx');
  });
  await knex.schema.alterTable('gate_runs', table => {
    table.index(['updated_at'], 'gate_runs_updated_idx');
  });
  await knex.schema.alterTable('artifacts', table => {
    table.index(['updated_at'], 'artifacts_updated_idx');
    table.index(['repository_id', 'created_at'], 'artifacts_repo_created_idx');
  });
  await knex.schema.alterTable('verifications', table => {
    table.index(['verified_at'], 'verifications_verified_idx');
  });
  await knex.schema.alterTable('lane_events', table => {
    table.index(['occurred_at'], 'lane_events_occurred_idx');
  });
  await knex.schema.alterTable('verdicts', table => {
    table.index(['recorded_at'], 'verdicts_recorded_idx');
  });
  await knex.schema.alterTable('negative_tests', table => {
    table.index(['observed_at'], 'negative_tests_observed_idx');
  });
  await knex.schema.alterTable('waivers', table => {
    table.index(['created_at'], 'waivers_created_idx');
    table.index(['expires_at'], 'waivers_expires_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('waivers', table => {
    table.dropIndex([], 'waivers_created_idx');
    table.dropIndex([], 'waivers_expires_idx');
  });
  await knex.schema.alterTable('negative_tests', table => {
    table.dropIndex([], 'negative_tests_observed_idx');
  });
  await knex.schema.alterTable('verdicts', table => {
    table.dropIndex([], 'verdicts_recorded_idx');
  });
  await knex.schema.alterTable('lane_events', table => {
    table.dropIndex([], 'lane_events_occurred_idx');
  });
  await knex.schema.alterTable('verifications', table => {
    table.dropIndex([], 'verifications_verified_idx');
  });
  await knex.schema.alterTable('artifacts', table => {
    table.dropIndex([], 'artifacts_updated_idx');
    table.dropIndex([], 'artifacts_repo_created_idx');
  });
  await knex.schema.alterTable('gate_runs', table => {
    table.dropIndex([], 'gate_runs_updated_idx');
  });
  await knex.schema.alterTable('pull_requests', table => {
    table.dropIndex([], 'pull_requests_updated_idx');
    table.dropIndex([], 'pull_requests_repo_slug_idx');
  });
  await knex.schema.dropTable('compliance_pending');
  await knex.schema.dropTable('compliance_drift_checks');
  await knex.schema.dropTable('compliance_group_closure');
  await knex.schema.dropTable('compliance_groups');
  await knex.schema.alterTable('compliance_results', table => {
    table.dropIndex([], 'compliance_results_severity_idx');
    table.dropIndex([], 'compliance_results_failing_idx');
    table.dropIndex([], 'compliance_results_next_change_idx');
  });
  await knex.schema.alterTable('compliance_results', table => {
    table.dropColumns(
      'repository_id',
      'severity',
      'failing_mask',
      'no_data_mask',
      'waived_mask',
      'criteria_summary',
      'reasons',
      'thresholds',
      'annotations',
      'next_change_at',
    );
  });
};
