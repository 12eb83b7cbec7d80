/*
 * A policy version belongs to the repository that published it. Keyed on
 * the digest alone, the same `policies.tar.gz` ingested by a second
 * repository overwrote the first one's repository, name and version. Now
 * unique per (repository_id, digest), with a plain index on the digest for
 * the policy gate's lookup of the bundle it ran against.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('policy_versions', table => {
    table.dropUnique(['digest'], 'policy_versions_digest_uq');
  });
  await knex.schema.alterTable('policy_versions', table => {
    table.unique(['repository_id', 'digest'], {
      indexName: 'policy_versions_repo_digest_uq',
    });
    table.index(['digest'], 'policy_versions_digest_idx');
  });
};

/**
 * Back to one row per digest: where several repositories hold the same
 * digest, the oldest row (lowest id) stays and the others are deleted with
 * their verifications and materials, since the old schema cannot hold them.
 * (Deleted explicitly: SQLite enforces ON DELETE CASCADE only with
 * foreign keys switched on.)
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const extra = knex('policy_versions')
    .select('id')
    .whereNotIn('id', knex('policy_versions').min('id').groupBy('digest'));
  await knex('verifications').whereIn('policy_version_id', extra).delete();
  await knex('verification_materials')
    .whereIn('policy_version_id', extra)
    .delete();
  await knex('policy_versions')
    .whereNotIn('id', knex('policy_versions').min('id').groupBy('digest'))
    .delete();
  await knex.schema.alterTable('policy_versions', table => {
    table.dropIndex(['digest'], 'policy_versions_digest_idx');
    table.dropUnique(
      ['repository_id', 'digest'],
      'policy_versions_repo_digest_uq',
    );
  });
  await knex.schema.alterTable('policy_versions', table => {
    table.unique(['digest'], { indexName: 'policy_versions_digest_uq' });
  });
};
