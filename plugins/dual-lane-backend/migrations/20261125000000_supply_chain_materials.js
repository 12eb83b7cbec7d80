/*
 * What re-verification needs without fetching again: the Sigstore bundle
 * an artifact or policy bundle was verified with, the provenance statement
 * found inside an artifact bundle, and (for message signatures, which sign
 * the bytes themselves) the artifact bytes up to a configured size.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('verification_materials', table => {
    table.comment('The inputs of the latest verification of an artifact or policy bundle');
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
    table.text('bundle').nullable().comment('The Sigstore bundle JSON; NULL when the subject was unsigned');
    table.string('bundle_digest').nullable().comment('sha256 of the bundle JSON as received');
    table.text('attestation').nullable().comment('attestation.intoto of an artifact bundle');
    table.string('merge_base_sha').nullable().comment('merge-base.sha of an artifact bundle');
    table.binary('payload').nullable().comment('The signed bytes, kept for message signatures up to a size limit');
    table.bigInteger('payload_size').nullable();
    table.text('facts').nullable().comment('What the archive and SBOM checks found, JSON');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['artifact_id'], { indexName: 'verification_materials_artifact_uq' });
    table.unique(['policy_version_id'], { indexName: 'verification_materials_policy_uq' });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('verification_materials');
};
