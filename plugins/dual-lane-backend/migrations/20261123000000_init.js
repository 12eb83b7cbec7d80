// @ts-check

/**
 * The dual-lane domain: repositories and the catalog entities that point at
 * them, pull requests with their gate runs, lane events, verdicts, rework
 * cycles and labels, signed artifacts with their verifications, policy
 * versions, drift incidents, negative tests, and compliance over time.
 *
 * Timestamps are stored as ISO-8601 strings on SQLite and timestamptz on
 * PostgreSQL; JSON is stored as text so both engines read it back the same.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('repositories', table => {
    table.comment('A source repository that at least one catalog entity points at');
    table.increments('id').primary();
    table.string('host').notNullable().comment('e.g. github.com');
    table.string('owner').notNullable();
    table.string('name').notNullable();
    table.string('default_branch').nullable();
    table.string('default_branch_sha').nullable().comment('Head of the default branch at the last sync');
    table.bigInteger('external_id').nullable().comment('Numeric repository id on the host');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['host', 'owner', 'name'], { indexName: 'repositories_host_owner_name_uq' });
  });

  await knex.schema.createTable('entities', table => {
    table.comment('Catalog entities taking part in dual-lane (they have github.com/project-slug)');
    table.string('entity_ref').primary().comment('kind:namespace/name, lower-case');
    table.string('kind').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.string('title').nullable();
    table.string('owner_ref').nullable();
    table.string('system_ref').nullable();
    table
      .integer('repository_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('repositories')
      .onDelete('SET NULL');
    table.text('annotations').notNullable().defaultTo('{}').comment('The dual-lane/* annotations, JSON');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['repository_id'], 'entities_repository_idx');
    table.index(['owner_ref'], 'entities_owner_idx');
    table.index(['system_ref'], 'entities_system_idx');
  });

  await knex.schema.createTable('sync_state', table => {
    table.comment('Cursors and ETags of incremental syncs, one row per resource');
    table.string('key').primary().comment('e.g. github:pulls:acme/widget');
    table.string('etag').nullable();
    table.string('cursor').nullable().comment('e.g. the newest updated_at seen');
    table.text('data').nullable().comment('Source-specific JSON');
    table.timestamp('last_synced_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('pull_requests', table => {
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table.integer('number').notNullable();
    table.bigInteger('external_id').nullable();
    table.text('title').notNullable();
    table.string('state').notNullable().comment('open | closed | merged');
    table.boolean('draft').notNullable().defaultTo(false);
    table.string('author').nullable();
    table.string('head_ref').notNullable();
    table.string('head_sha').notNullable();
    table.string('base_ref').notNullable();
    table.string('lane_slug').nullable().comment('<slug> of feature/<slug>');
    table.string('merge_commit_sha').nullable();
    table.string('merged_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true }).nullable();
    table.timestamp('merged_at', { useTz: true }).nullable();
    table.string('expected_label').nullable().comment('Label the lane state machine expects');
    table.text('conformance').nullable().comment('Required-check conformance of a merge, JSON');
    table.unique(['repository_id', 'number'], { indexName: 'pull_requests_repo_number_uq' });
    table.index(['repository_id', 'updated_at'], 'pull_requests_repo_updated_idx');
    table.index(['head_sha'], 'pull_requests_head_sha_idx');
  });

  await knex.schema.createTable('pull_request_labels', table => {
    table
      .integer('pull_request_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('CASCADE');
    table.string('name').notNullable();
    table.primary(['pull_request_id', 'name']);
  });

  await knex.schema.createTable('gate_runs', table => {
    table.comment('One check run of a required gate on one commit');
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table
      .integer('pull_request_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('SET NULL');
    table.string('source').notNullable().comment('github | ingest');
    table.string('external_id').notNullable().comment('Check run id, or the run id of the CI system');
    table.string('gate_name').notNullable().comment('The configured gate this run counts for');
    table.string('check_name').notNullable().comment('The name the run was reported under');
    table.string('head_sha').notNullable();
    table.string('status').notNullable().comment('queued | in_progress | completed');
    table.string('conclusion').nullable().comment('success | failure | neutral | cancelled | skipped | timed_out | action_required | stale');
    table.bigInteger('app_id').nullable().comment('GitHub App that reported the run');
    table.string('app_slug').nullable();
    table.string('details_url', 2048).nullable();
    table.string('policy_digest').nullable().comment('sha256 of the policy bundle a policy gate ran against');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('completed_at', { useTz: true }).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['repository_id', 'source', 'external_id'], { indexName: 'gate_runs_source_uq' });
    table.index(['pull_request_id'], 'gate_runs_pull_request_idx');
    table.index(['repository_id', 'head_sha'], 'gate_runs_repo_sha_idx');
  });

  await knex.schema.createTable('lane_events', table => {
    table.comment('A [CODEX-READY:<slug>] or [CLAUDE-APPLIED:<slug>] marker on a commit');
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table
      .integer('pull_request_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('SET NULL');
    table.string('kind').notNullable().comment('codex-ready | claude-applied');
    table.string('slug').notNullable();
    table.string('branch').nullable();
    table.string('commit_sha').notNullable();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.unique(['repository_id', 'commit_sha', 'kind', 'slug'], { indexName: 'lane_events_uq' });
    table.index(['pull_request_id'], 'lane_events_pull_request_idx');
    table.index(['repository_id', 'slug'], 'lane_events_repo_slug_idx');
  });

  await knex.schema.createTable('verdicts', table => {
    table.comment('The supervisor (PLAN) decisions on a pull request');
    table.increments('id').primary();
    table
      .integer('pull_request_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('CASCADE');
    table.string('source').notNullable().comment('review | comment | api');
    table.string('external_id').notNullable();
    table.string('verdict').notNullable().comment('approved | changes-requested | rejected');
    table.string('author').nullable();
    table.text('body').nullable();
    table.string('commit_sha').nullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.unique(['pull_request_id', 'source', 'external_id'], { indexName: 'verdicts_source_uq' });
  });

  await knex.schema.createTable('rework_cycles', table => {
    table.comment('One builder → enforcer → supervisor round on a pull request');
    table
      .integer('pull_request_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('CASCADE');
    table.integer('cycle').notNullable().comment('1 for the first round');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('ended_at', { useTz: true }).nullable();
    table.string('verdict').nullable().comment('The verdict that closed the round');
    table.primary(['pull_request_id', 'cycle']);
  });

  await knex.schema.createTable('artifacts', table => {
    table.comment('A build output identified by its sha256 digest');
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table
      .integer('pull_request_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('SET NULL');
    table.string('digest').notNullable().comment('sha256:<hex>');
    table.string('name').notNullable();
    table.string('kind').notNullable().comment('artifact-bundle | image | file');
    table.bigInteger('size_bytes').nullable();
    table.string('source').notNullable().comment('github-attestation | release-asset | ingest');
    table.string('source_url', 2048).nullable();
    table.string('commit_sha').nullable();
    table.string('merge_base_sha').nullable();
    table.text('sbom_summary').nullable().comment('CycloneDX summary, JSON');
    table.text('contents').nullable().comment('Entries of the artifact bundle, JSON');
    table.string('status').notNullable().defaultTo('unverified').comment('verified | failed | unverified');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['repository_id', 'digest'], { indexName: 'artifacts_repo_digest_uq' });
    table.index(['repository_id', 'status'], 'artifacts_repo_status_idx');
  });

  await knex.schema.createTable('policy_versions', table => {
    table.comment('A signed policies.tar.gz bundle of Kyverno/OPA policies');
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('repositories')
      .onDelete('SET NULL')
      .comment('Where the bundle was published');
    table.string('name').notNullable();
    table.string('version').notNullable();
    table.string('digest').notNullable().comment('sha256:<hex>');
    table.string('signer_identity').nullable();
    table.text('policies').notNullable().defaultTo('[]').comment('[{name, kind, engine}] JSON');
    table.string('source_url', 2048).nullable();
    table.string('status').notNullable().defaultTo('unverified').comment('verified | failed | tampered | unverified');
    table.timestamp('published_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['digest'], { indexName: 'policy_versions_digest_uq' });
    table.index(['name', 'version'], 'policy_versions_name_version_idx');
  });

  await knex.schema.createTable('verifications', table => {
    table.comment('One recorded check of the signature, provenance or SBOM of an artifact or policy bundle');
    table.increments('id').primary();
    table
      .integer('artifact_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('artifacts')
      .onDelete('CASCADE');
    table
      .integer('policy_version_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('policy_versions')
      .onDelete('CASCADE');
    table.string('check').notNullable().comment('signature | provenance | sbom');
    table.string('outcome').notNullable().comment('verified | failed | unverified');
    table.text('reason').nullable();
    table.string('signer_identity').nullable();
    table.string('signer_issuer').nullable();
    table.bigInteger('tlog_index').nullable();
    table.string('trusted_root').nullable().comment('Which trusted root / key set was used');
    table.string('policy_hash').nullable().comment('sha256 of the canonical policy JSON');
    table.text('policy').nullable().comment('The exact verification policy, JSON');
    table.integer('slsa_level').nullable();
    table.text('details').nullable().comment('Check-specific JSON');
    table.boolean('current').notNullable().defaultTo(true).comment('False once superseded by a re-verification');
    table.timestamp('verified_at', { useTz: true }).notNullable();
    table.index(['artifact_id', 'check', 'current'], 'verifications_artifact_idx');
    table.index(['policy_version_id', 'check', 'current'], 'verifications_policy_idx');
    table.index(['signer_identity'], 'verifications_signer_idx');
    table.index(['policy_hash'], 'verifications_policy_hash_idx');
  });

  await knex.schema.createTable('drift_incidents', table => {
    table.comment('AGENTS.md and CLAUDE.md of one repository disagreeing on gate names or thresholds');
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table.string('commit_sha').notNullable().comment('Default-branch commit the files were read at');
    table.string('agents_sha').nullable().comment('Blob sha of AGENTS.md');
    table.string('claude_sha').nullable().comment('Blob sha of CLAUDE.md');
    table.text('differences').notNullable().comment('[{kind, agents, claude}] JSON');
    table.timestamp('detected_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.unique(['repository_id', 'agents_sha', 'claude_sha'], { indexName: 'drift_incidents_blobs_uq' });
  });

  await knex.schema.createTable('negative_tests', table => {
    table.comment('A deliberately bad input a gate must block, and whether it did');
    table.increments('id').primary();
    table
      .integer('repository_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('repositories')
      .onDelete('CASCADE');
    table
      .integer('pull_request_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('pull_requests')
      .onDelete('SET NULL');
    table.string('test_name').notNullable().comment('unsigned-image | non-digest-image | provenance-replay | policy-tampering');
    table.string('environment').notNullable().comment('ci | staging | production');
    table.string('commit_sha').notNullable();
    table.boolean('blocked').notNullable();
    table.string('evidence_url', 2048).nullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.unique(['repository_id', 'commit_sha', 'test_name', 'environment'], { indexName: 'negative_tests_uq' });
  });

  await knex.schema.createTable('compliance_results', table => {
    table.comment('The current go/no-go of each entity, precomputed for the org-wide list');
    table
      .string('entity_ref')
      .primary()
      .references('entity_ref')
      .inTable('entities')
      .onDelete('CASCADE');
    table.string('verdict').notNullable().comment('go | no-go | no-data');
    table.integer('failing_count').notNullable().defaultTo(0);
    table.text('criteria').notNullable().comment('Per-criterion results with explanations, JSON');
    table.text('kpis').notNullable().comment('KPI values over the window, JSON');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.index(['verdict'], 'compliance_results_verdict_idx');
  });

  await knex.schema.createTable('kpi_snapshots', table => {
    table.comment('A daily snapshot of the KPIs and verdict of each entity, for trends');
    table
      .string('entity_ref')
      .notNullable()
      .references('entity_ref')
      .inTable('entities')
      .onDelete('CASCADE');
    table.string('day').notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('verdict').notNullable();
    table.text('kpis').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'day']);
    table.index(['day'], 'kpi_snapshots_day_idx');
  });

  await knex.schema.createTable('waivers', table => {
    table.comment('A time-boxed exemption of one entity from one criterion; rows are never deleted');
    table.increments('id').primary();
    table.string('entity_ref').notNullable();
    table.string('criterion').notNullable();
    table.text('reason').notNullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('revoked_by').nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'criterion'], 'waivers_entity_criterion_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'waivers',
    'kpi_snapshots',
    'compliance_results',
    'negative_tests',
    'drift_incidents',
    'verifications',
    'policy_versions',
    'artifacts',
    'rework_cycles',
    'verdicts',
    'lane_events',
    'gate_runs',
    'pull_request_labels',
    'pull_requests',
    'sync_state',
    'entities',
    'repositories',
  ]) {
    await knex.schema.dropTable(table);
  }
};
