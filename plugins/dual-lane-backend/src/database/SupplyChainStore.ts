import { Knex } from 'knex';
import {
  Artifact,
  PolicyVersion,
  Verification,
  VerificationCheck,
} from '@dual-lane/plugin-dual-lane-common';
import { RepositoryChanges } from './RepositoryChanges';
import { batchUpsert, keepStoredWhenNull } from './batch';
import {
  fromDbBool,
  fromDbJson,
  fromDbNumber,
  fromDbString,
  fromDbTime,
  fromDbTimeRequired,
  toDbJson,
  toDbTime,
  toOptionalDbTime,
} from './conversions';

export type ArtifactInput = Omit<
  Artifact,
  'id' | 'createdAt' | 'updatedAt' | 'status'
> & { status?: Artifact['status'] };
export type PolicyVersionInput = Omit<
  PolicyVersion,
  'id' | 'createdAt' | 'updatedAt' | 'status'
> & { status?: PolicyVersion['status'] };
export type VerificationInput = Omit<Verification, 'id' | 'current'>;

/** The artifact or policy bundle a verification or material belongs to. */
export type VerificationSubject =
  | { artifactId: number; policyVersionId?: undefined }
  | { policyVersionId: number; artifactId?: undefined };

/** What re-verification needs of an artifact or policy bundle, kept from ingest. */
export interface VerificationMaterial {
  /** The Sigstore bundle JSON as received; undefined when unsigned. */
  bundle?: unknown;
  bundleDigest?: string;
  /** `attestation.intoto` of an artifact bundle, as text. */
  attestation?: string;
  mergeBaseSha?: string;
  /** The signed bytes, for message signatures (up to a size limit). */
  payload?: Buffer;
  payloadSize?: number;
  /** What the archive and SBOM checks found. */
  facts?: unknown;
  updatedAt?: string;
}

/** The last run of a repository's policy gate that named a policy bundle. */
export interface PolicyGateRunRow {
  id: number;
  repositoryId: number;
  gateName: string;
  headSha: string;
  policyDigest: string;
  conclusion?: string;
  completedAt?: string;
}

/** Tries of a verification insert that lost a race for the current row. */
const RECORD_ATTEMPTS = 5;

/** A unique-constraint violation on PostgreSQL (23505) or SQLite. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function subjectColumns(subject: VerificationSubject) {
  return subject.artifactId !== undefined
    ? { artifact_id: subject.artifactId }
    : { policy_version_id: subject.policyVersionId };
}

function toArtifact(row: any): Artifact {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id)!,
    pullRequestId: fromDbNumber(row.pull_request_id),
    digest: row.digest,
    name: row.name,
    kind: row.kind,
    sizeBytes: fromDbNumber(row.size_bytes),
    source: row.source,
    sourceUrl: fromDbString(row.source_url),
    commitSha: fromDbString(row.commit_sha),
    mergeBaseSha: fromDbString(row.merge_base_sha),
    sbomSummary: fromDbJson(row.sbom_summary),
    contents: fromDbJson(row.contents),
    status: row.status,
    createdAt: fromDbTimeRequired(row.created_at),
    updatedAt: fromDbTimeRequired(row.updated_at),
  };
}

function toPolicyVersion(row: any): PolicyVersion {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id),
    name: row.name,
    version: row.version,
    digest: row.digest,
    signerIdentity: fromDbString(row.signer_identity),
    policies: fromDbJson(row.policies) ?? [],
    sourceUrl: fromDbString(row.source_url),
    status: row.status,
    publishedAt: fromDbTime(row.published_at),
    createdAt: fromDbTimeRequired(row.created_at),
    updatedAt: fromDbTimeRequired(row.updated_at),
  };
}

function toVerification(row: any): Verification {
  return {
    id: fromDbNumber(row.id)!,
    artifactId: fromDbNumber(row.artifact_id),
    policyVersionId: fromDbNumber(row.policy_version_id),
    check: row.check,
    outcome: row.outcome,
    reason: fromDbString(row.reason),
    signerIdentity: fromDbString(row.signer_identity),
    signerIssuer: fromDbString(row.signer_issuer),
    tlogIndex: fromDbNumber(row.tlog_index),
    trustedRoot: fromDbString(row.trusted_root),
    policyHash: fromDbString(row.policy_hash),
    policy: fromDbJson(row.policy),
    slsaLevel: fromDbNumber(row.slsa_level),
    details: fromDbJson(row.details),
    current: fromDbBool(row.current),
    verifiedAt: fromDbTimeRequired(row.verified_at),
  };
}

/** Signed artifacts, policy bundles and the verifications recorded for them. */
export class SupplyChainStore {
  constructor(
    private readonly db: Knex,
    private readonly changes: RepositoryChanges = new RepositoryChanges(),
  ) {}

  /** Announces the repository of an artifact or policy version that changed. */
  private async subjectChanged(subject: {
    artifactId?: number;
    policyVersionId?: number;
  }) {
    const row =
      subject.artifactId !== undefined
        ? await this.db('artifacts')
            .where({ id: subject.artifactId })
            .first('repository_id')
        : await this.db('policy_versions')
            .where({ id: subject.policyVersionId })
            .first('repository_id');
    await this.changes.notify([fromDbNumber(row?.repository_id)]);
  }

  /** Upserts by (repository, digest); returns ids keyed by `repositoryId#digest`. */
  async upsertArtifacts(
    inputs: ArtifactInput[],
    now: Date = new Date(),
  ): Promise<Map<string, number>> {
    const at = toDbTime(now);
    const written = await batchUpsert(
      this.db,
      'artifacts',
      inputs.map(a => ({
        repository_id: a.repositoryId,
        pull_request_id: a.pullRequestId ?? null,
        digest: a.digest,
        name: a.name,
        kind: a.kind,
        size_bytes: a.sizeBytes ?? null,
        source: a.source,
        source_url: a.sourceUrl ?? null,
        commit_sha: a.commitSha ?? null,
        merge_base_sha: a.mergeBaseSha ?? null,
        sbom_summary: toDbJson(a.sbomSummary),
        contents: toDbJson(a.contents),
        status: a.status ?? 'unverified',
        created_at: at,
        updated_at: at,
      })),
      {
        conflict: ['repository_id', 'digest'],
        merge: {
          ...keepStoredWhenNull(this.db, 'artifacts', [
            'pull_request_id',
            'size_bytes',
            'source_url',
            'commit_sha',
            'merge_base_sha',
            'sbom_summary',
            'contents',
          ]),
          name: this.db.raw('excluded.name'),
          kind: this.db.raw('excluded.kind'),
          source: this.db.raw('excluded.source'),
          updated_at: this.db.raw('excluded.updated_at'),
        },
        returning: ['id', 'repository_id', 'digest'],
      },
    );
    await this.changes.notify(inputs.map(a => a.repositoryId));
    return new Map(
      written.map(r => [
        `${fromDbNumber(r.repository_id)}#${r.digest}`,
        fromDbNumber(r.id)!,
      ]),
    );
  }

  async setArtifactStatus(id: number, status: Artifact['status']) {
    await this.db('artifacts')
      .where({ id })
      .update({ status, updated_at: toDbTime(new Date()) });
    await this.subjectChanged({ artifactId: id });
  }

  async findArtifact(
    repositoryId: number,
    digest: string,
  ): Promise<Artifact | undefined> {
    const row = await this.db('artifacts')
      .where({ repository_id: repositoryId, digest })
      .first();
    return row ? toArtifact(row) : undefined;
  }

  async getArtifact(id: number): Promise<Artifact | undefined> {
    const row = await this.db('artifacts').where({ id }).first();
    return row ? toArtifact(row) : undefined;
  }

  /** Sets fields an ingest learnt after the first upsert (never clears them). */
  async updateArtifact(
    id: number,
    fields: Partial<
      Pick<
        Artifact,
        | 'sbomSummary'
        | 'contents'
        | 'mergeBaseSha'
        | 'commitSha'
        | 'pullRequestId'
        | 'sizeBytes'
      >
    >,
  ): Promise<void> {
    const update: Record<string, unknown> = {
      updated_at: toDbTime(new Date()),
    };
    if (fields.sbomSummary !== undefined)
      update.sbom_summary = toDbJson(fields.sbomSummary);
    if (fields.contents !== undefined)
      update.contents = toDbJson(fields.contents);
    if (fields.mergeBaseSha !== undefined)
      update.merge_base_sha = fields.mergeBaseSha;
    if (fields.commitSha !== undefined) update.commit_sha = fields.commitSha;
    if (fields.pullRequestId !== undefined)
      update.pull_request_id = fields.pullRequestId;
    if (fields.sizeBytes !== undefined) update.size_bytes = fields.sizeBytes;
    await this.db('artifacts').where({ id }).update(update);
    await this.subjectChanged({ artifactId: id });
  }

  async listArtifacts(repositoryIds: number[]): Promise<Artifact[]> {
    const rows = await this.db('artifacts')
      .whereIn('repository_id', repositoryIds)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(toArtifact);
  }

  /**
   * Upserts by (repository, digest): the same bundle published by another
   * repository is another policy version. The name and version of a
   * version whose signature verified are kept (a later submission cannot
   * relabel a signed bundle); the status is the verification's to set.
   * Returns ids keyed by digest, so one call must not repeat a digest.
   */
  async upsertPolicyVersions(
    inputs: PolicyVersionInput[],
    now: Date = new Date(),
  ): Promise<Map<string, number>> {
    const digests = new Set(inputs.map(p => p.digest));
    if (digests.size !== inputs.length) {
      throw new TypeError(
        'upsertPolicyVersions takes each digest once per call (ids are returned by digest)',
      );
    }
    const at = toDbTime(now);
    const keepWhenSigned = (column: string) =>
      this.db.raw(
        `CASE WHEN ??.?? = 'verified' THEN ??.?? ELSE excluded.?? END`,
        ['policy_versions', 'status', 'policy_versions', column, column],
      );
    const written = await batchUpsert(
      this.db,
      'policy_versions',
      inputs.map(p => ({
        repository_id: p.repositoryId ?? null,
        name: p.name,
        version: p.version,
        digest: p.digest,
        signer_identity: p.signerIdentity ?? null,
        policies: toDbJson(p.policies ?? []),
        source_url: p.sourceUrl ?? null,
        status: p.status ?? 'unverified',
        published_at: toOptionalDbTime(p.publishedAt),
        created_at: at,
        updated_at: at,
      })),
      {
        conflict: ['repository_id', 'digest'],
        merge: {
          ...keepStoredWhenNull(this.db, 'policy_versions', [
            'signer_identity',
            'source_url',
            'published_at',
          ]),
          name: keepWhenSigned('name'),
          version: keepWhenSigned('version'),
          policies: this.db.raw('excluded.policies'),
          updated_at: this.db.raw('excluded.updated_at'),
        },
        returning: ['id', 'digest'],
      },
    );
    await this.changes.notify(inputs.map(p => p.repositoryId));
    return new Map(written.map(r => [String(r.digest), fromDbNumber(r.id)!]));
  }

  async listPolicyVersions(
    options: {
      repositoryIds?: number[];
    } = {},
  ): Promise<PolicyVersion[]> {
    const q = this.db('policy_versions').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    if (options.repositoryIds)
      q.whereIn('repository_id', options.repositoryIds);
    return (await q).map(toPolicyVersion);
  }

  async findPolicyVersion(
    repositoryId: number,
    digest: string,
  ): Promise<PolicyVersion | undefined> {
    const row = await this.db('policy_versions')
      .where({ repository_id: repositoryId, digest })
      .first();
    return row ? toPolicyVersion(row) : undefined;
  }

  async getPolicyVersion(id: number): Promise<PolicyVersion | undefined> {
    const row = await this.db('policy_versions').where({ id }).first();
    return row ? toPolicyVersion(row) : undefined;
  }

  async setPolicyVersionStatus(
    id: number,
    status: PolicyVersion['status'],
    signerIdentity?: string,
  ): Promise<void> {
    const update: Record<string, unknown> = {
      status,
      updated_at: toDbTime(new Date()),
    };
    if (signerIdentity !== undefined) update.signer_identity = signerIdentity;
    await this.db('policy_versions').where({ id }).update(update);
    await this.subjectChanged({ policyVersionId: id });
  }

  /**
   * A policy version with this digest, of any repository: a verified one
   * first, then the oldest (the same bundle may be published by several).
   */
  async getPolicyVersionByDigest(
    digest: string,
  ): Promise<PolicyVersion | undefined> {
    const row = await this.db('policy_versions')
      .where({ digest })
      .orderByRaw(`CASE WHEN status = 'verified' THEN 0 ELSE 1 END`)
      .orderBy('id')
      .first();
    return row ? toPolicyVersion(row) : undefined;
  }

  /**
   * Records a verification as the current one for its subject and check;
   * the previous current row stays as history with `current = false`. A
   * partial unique index allows one current row. On PostgreSQL writers of
   * one subject are serialised by a row lock on it (SQLite serialises all
   * writes); should an insert still conflict, it is retried and supersedes
   * the other row in turn.
   */
  async recordVerification(input: VerificationInput): Promise<Verification> {
    if (
      (input.artifactId === undefined) ===
      (input.policyVersionId === undefined)
    ) {
      throw new TypeError(
        'A verification belongs to exactly one artifact or policy version',
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const recorded = await this.insertCurrent(input);
        await this.subjectChanged(input);
        return recorded;
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS || !isUniqueViolation(error)) {
          throw error;
        }
      }
    }
  }

  private async insertCurrent(input: VerificationInput) {
    return this.db.transaction(async tx => {
      const subject =
        input.artifactId !== undefined
          ? { artifact_id: input.artifactId }
          : { policy_version_id: input.policyVersionId };
      if (tx.client.config.client === 'pg') {
        // Writers of one subject queue here instead of racing to the index.
        await tx(
          input.artifactId !== undefined ? 'artifacts' : 'policy_versions',
        )
          .where({ id: input.artifactId ?? input.policyVersionId })
          .forUpdate()
          .first('id');
      }
      await tx('verifications')
        .where({ ...subject, check: input.check, current: true })
        .update({ current: false });
      const [row] = await tx('verifications')
        .insert({
          artifact_id: input.artifactId ?? null,
          policy_version_id: input.policyVersionId ?? null,
          check: input.check,
          outcome: input.outcome,
          reason: input.reason ?? null,
          signer_identity: input.signerIdentity ?? null,
          signer_issuer: input.signerIssuer ?? null,
          tlog_index: input.tlogIndex ?? null,
          trusted_root: input.trustedRoot ?? null,
          policy_hash: input.policyHash ?? null,
          policy: toDbJson(input.policy),
          slsa_level: input.slsaLevel ?? null,
          details: toDbJson(input.details),
          current: true,
          verified_at: toDbTime(input.verifiedAt),
        })
        .returning('*');
      return toVerification(row);
    });
  }

  /** Moves the time of a verification that was repeated with the same result. */
  async touchVerification(
    id: number,
    verifiedAt: string,
  ): Promise<Verification> {
    const [row] = await this.db('verifications')
      .where({ id })
      .update({ verified_at: toDbTime(verifiedAt) })
      .returning('*');
    return toVerification(row);
  }

  async listVerifications(options: {
    artifactIds?: number[];
    policyVersionIds?: number[];
    check?: VerificationCheck;
    currentOnly?: boolean;
  }): Promise<Verification[]> {
    const q = this.db('verifications').orderBy('id');
    q.where(w => {
      if (options.artifactIds) w.orWhereIn('artifact_id', options.artifactIds);
      if (options.policyVersionIds)
        w.orWhereIn('policy_version_id', options.policyVersionIds);
    });
    if (options.check) q.where('check', options.check);
    if (options.currentOnly) q.where('current', true);
    return (await q).map(toVerification);
  }

  /** Stores (replaces) what re-verifying the subject needs. */
  async saveMaterial(
    subject: VerificationSubject,
    material: VerificationMaterial,
    now: Date = new Date(),
  ): Promise<void> {
    const columns = subjectColumns(subject);
    const row = {
      artifact_id: columns.artifact_id ?? null,
      policy_version_id: columns.policy_version_id ?? null,
      bundle:
        material.bundle === undefined ? null : JSON.stringify(material.bundle),
      bundle_digest: material.bundleDigest ?? null,
      attestation: material.attestation ?? null,
      merge_base_sha: material.mergeBaseSha ?? null,
      payload: material.payload ?? null,
      payload_size: material.payloadSize ?? null,
      facts: toDbJson(material.facts),
      updated_at: toDbTime(now),
    };
    await this.db.transaction(async tx => {
      await tx('verification_materials').where(columns).delete();
      await tx('verification_materials').insert(row);
    });
  }

  async getMaterial(
    subject: VerificationSubject,
  ): Promise<VerificationMaterial | undefined> {
    const row = await this.db('verification_materials')
      .where(subjectColumns(subject))
      .first();
    if (!row) {
      return undefined;
    }
    return {
      bundle: fromDbJson(row.bundle),
      bundleDigest: fromDbString(row.bundle_digest),
      attestation: fromDbString(row.attestation),
      mergeBaseSha: fromDbString(row.merge_base_sha),
      payload:
        row.payload === null || row.payload === undefined
          ? undefined
          : Buffer.from(row.payload),
      payloadSize: fromDbNumber(row.payload_size),
      facts: fromDbJson(row.facts),
      updatedAt: fromDbTime(row.updated_at),
    };
  }

  /** Artifact ids of the given repositories (all when omitted). */
  async listArtifactIds(repositoryIds?: number[]): Promise<number[]> {
    const q = this.db('artifacts').orderBy('id');
    if (repositoryIds) q.whereIn('repository_id', repositoryIds);
    return (await q.pluck('id')).map(id => fromDbNumber(id)!);
  }

  /** Policy version ids of the given repositories (all when omitted). */
  async listPolicyVersionIds(repositoryIds?: number[]): Promise<number[]> {
    const q = this.db('policy_versions').orderBy('id');
    if (repositoryIds) q.whereIn('repository_id', repositoryIds);
    return (await q.pluck('id')).map(id => fromDbNumber(id)!);
  }

  /**
   * The newest gate run per repository that recorded a policy bundle digest:
   * which policy version the policy-verification gate last ran against.
   * Newest by when the run completed (or started), not by when the row was
   * written: a first sync writes a repository's whole history at once.
   */
  async latestPolicyGateRuns(
    repositoryIds: number[],
  ): Promise<Map<number, PolicyGateRunRow>> {
    const result = new Map<number, PolicyGateRunRow>();
    if (repositoryIds.length === 0) {
      return result;
    }
    const rows = await this.db('gate_runs')
      .whereIn('repository_id', repositoryIds)
      .whereNotNull('policy_digest')
      // Raw: knex writes `nulls: 'last'` for SQLite as `(col is null) desc`,
      // which puts NULLs first and drops the column's own order.
      .orderByRaw('?? desc nulls last, ?? desc nulls last, ?? desc, ?? desc', [
        'completed_at',
        'started_at',
        'updated_at',
        'id',
      ]);
    for (const row of rows) {
      const repositoryId = fromDbNumber(row.repository_id)!;
      if (!result.has(repositoryId)) {
        result.set(repositoryId, {
          id: fromDbNumber(row.id)!,
          repositoryId,
          gateName: row.gate_name,
          headSha: row.head_sha,
          policyDigest: row.policy_digest,
          conclusion: fromDbString(row.conclusion),
          completedAt: fromDbTime(row.completed_at),
        });
      }
    }
    return result;
  }
}
