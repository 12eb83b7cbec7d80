import { InputError, NotFoundError } from '@backstage/errors';
import {
  ARTIFACT_BUNDLE_CHECKS,
  ARTIFACT_CHECKS,
  ArtifactKind,
  ArtifactSource,
  artifactStatusFrom,
  Repository,
  VerificationCheck,
  VerificationOutcome,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import {
  VerificationInput,
  VerificationMaterial,
} from '../../database/SupplyChainStore';
import {
  ArtifactFacts,
  incompleteBundleReason,
  readArtifactBundle,
  rejectedArtifactFacts,
} from '../verification/artifactBundleReader';
import { VerificationLimits } from '../verification/config';
import {
  InTotoStatement,
  statementFromAttestationFile,
} from '../verification/inToto';
import { IdentityRegistry } from '../verification/identityRegistry';
import { checkProvenance } from '../verification/provenanceChecker';
import {
  sha256Digest,
  SignatureVerifier,
} from '../verification/signatureVerifier';
import { chooseBundle } from './bundleChoice';
import { checkStoredSignature, signatureDetails } from './storedSignature';
import { VerificationRecorder, VerificationRun } from './VerificationRecorder';

/** An artifact handed to verification by a source (release asset, attestation, ingest). */
export interface ArtifactSubmission {
  repository: Repository;
  name: string;
  kind: ArtifactKind;
  source: ArtifactSource;
  sourceUrl?: string;
  /** The artifact bytes; without them `digest` must be given (e.g. an image). */
  bytes?: Buffer;
  digest?: string;
  /** The Sigstore bundle; undefined for an unsigned artifact. */
  bundle?: unknown;
  /** Why no usable bundle was found (e.g. an unreadable attestation): unverified rather than unsigned. */
  bundleProblem?: string;
  /** Why the artifact was refused before it was read (e.g. over the size limit): recorded as failed. */
  rejectedReason?: string;
  /** The commit the artifact was built from (the pull request's head). */
  commitSha?: string;
  pullRequestNumber?: number;
}

/**
 * Verifies artifacts and records the outcome of each check (signature,
 * provenance, SBOM) with its reason, signer, transparency log index,
 * trusted root and the exact policy used; re-verifies a stored artifact
 * from its material when the policy changed.
 */
export class ArtifactVerification {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      signatures: SignatureVerifier;
      registry: IdentityRegistry;
      recorder: VerificationRecorder;
      limits: VerificationLimits;
    },
  ) {}

  /**
   * Reads, stores and verifies an artifact. Submitting one that is stored
   * already never makes it worse: a missing or non-verifying bundle does
   * not replace one that verified, and an artifact refused this time (not
   * downloaded) is verified from what was stored before.
   */
  async submitArtifact(sub: ArtifactSubmission): Promise<VerificationRun> {
    const { store } = this.deps;
    if (!sub.bytes && !sub.digest) {
      throw new TypeError('An artifact needs its bytes or its digest');
    }
    const { pullRequestId, commitSha } = await this.commitFor(sub);
    const digest = sub.bytes
      ? sha256Digest(sub.bytes)
      : sub.digest!.toLowerCase();
    const existing = await store.supplyChain.findArtifact(
      sub.repository.id,
      digest,
    );
    const stored = existing
      ? await store.supplyChain.getMaterial({ artifactId: existing.id })
      : undefined;
    const notes: string[] = [];

    let read: Pick<VerificationMaterial, 'attestation' | 'mergeBaseSha'> & {
      facts: ArtifactFacts;
      fresh: boolean;
    } = { facts: {}, fresh: true };
    const storedFacts = stored?.facts as ArtifactFacts | undefined;
    if (sub.rejectedReason && storedFacts && !storedFacts.rejectedReason) {
      read = {
        facts: storedFacts,
        attestation: stored!.attestation,
        mergeBaseSha: stored!.mergeBaseSha,
        fresh: false,
      };
      notes.push(
        `${sub.rejectedReason}; what was stored from an earlier submission is verified instead`,
      );
    } else if (sub.rejectedReason) {
      const rejected = rejectedArtifactFacts(sub.rejectedReason);
      read.facts = {
        rejectedReason: sub.rejectedReason,
        contents: rejected.contents,
        sbom: sub.kind === 'artifact-bundle' ? rejected.sbom : undefined,
      };
    } else if (sub.kind === 'artifact-bundle' && sub.bytes) {
      read = {
        ...(await readArtifactBundle(sub.bytes, this.deps.limits)),
        fresh: true,
      };
    }

    const bytes = sub.bytes ?? (read.fresh ? undefined : stored?.payload);
    const chosen = await chooseBundle({
      signatures: this.deps.signatures,
      submitted: sub.bundle,
      stored,
      storedSignature: existing
        ? (
            await this.deps.recorder.current({ artifactIds: [existing.id] })
          ).get('signature')
        : undefined,
      subject: { digest, bytes },
    });
    if (chosen.note) notes.push(chosen.note);
    const facts: ArtifactFacts = {
      ...read.facts,
      bundleProblem:
        chosen.bundle === undefined ? sub.bundleProblem : undefined,
    };

    const ids = await store.supplyChain.upsertArtifacts([
      {
        repositoryId: sub.repository.id,
        pullRequestId,
        digest,
        name: sub.name,
        kind: sub.kind,
        sizeBytes: sub.bytes?.length,
        source: sub.source,
        sourceUrl: sub.sourceUrl,
        commitSha,
        mergeBaseSha: read.mergeBaseSha,
        contents: read.fresh ? facts.contents : undefined,
        sbomSummary: read.fresh ? facts.sbom?.summary : undefined,
      },
    ]);
    const id = ids.get(`${sub.repository.id}#${digest}`)!;
    const material: VerificationMaterial = {
      bundle: chosen.bundle,
      bundleDigest: chosen.bundleDigest,
      attestation: read.attestation,
      mergeBaseSha: read.mergeBaseSha,
      payload: sub.bytes ? keepPayload(sub, this.deps.limits) : stored?.payload,
      payloadSize: sub.bytes?.length ?? stored?.payloadSize,
      facts,
    };
    await store.supplyChain.saveMaterial({ artifactId: id }, material);
    const run = await this.verifyArtifact(id, { material, bytes });
    return notes.length ? { ...run, notes } : run;
  }

  /**
   * The commit the replay check compares the provenance with. With a pull
   * request it is the pull request's head commit as synced from GitHub: a
   * caller could otherwise name the commit of a provenance it replays.
   */
  private async commitFor(
    sub: ArtifactSubmission,
  ): Promise<{ pullRequestId?: number; commitSha?: string }> {
    const claimed = sub.commitSha?.toLowerCase();
    if (sub.pullRequestNumber === undefined) {
      return { commitSha: claimed };
    }
    const { owner, name } = sub.repository;
    const pr = await this.deps.store.gates.getPullRequest(
      sub.repository.id,
      sub.pullRequestNumber,
    );
    if (!pr) {
      throw new NotFoundError(
        `Pull request #${sub.pullRequestNumber} of ${owner}/${name} is not known to dual-lane (not synced yet?): its head commit is what the replay check compares with`,
      );
    }
    const head = pr.headSha.toLowerCase();
    if (claimed !== undefined && claimed !== head) {
      throw new InputError(
        `commitSha ${claimed} is not the head commit ${head} of pull request #${pr.number} of ${owner}/${name}: with pullRequest the replay check uses the pull request's head commit, so leave commitSha out or send that commit`,
      );
    }
    return { pullRequestId: pr.id, commitSha: head };
  }

  /**
   * (Re-)verifies a stored artifact from its material under the policy in
   * force; a check whose result did not change keeps its current row.
   */
  async verifyArtifact(
    artifactId: number,
    options: {
      material?: VerificationMaterial;
      bytes?: Buffer;
    } = {},
  ): Promise<VerificationRun> {
    const { store } = this.deps;
    const artifact = (await store.supplyChain.getArtifact(artifactId))!;
    const repository = (await store.repositories.getRepository(
      artifact.repositoryId,
    ))!;
    const material =
      options.material ??
      (await store.supplyChain.getMaterial({ artifactId })) ??
      {};
    const facts = (material.facts ?? {}) as ArtifactFacts;
    const current = await this.deps.recorder.current({
      artifactIds: [artifactId],
    });

    const signature = await checkStoredSignature(
      this.deps.signatures,
      material,
      facts,
      {
        digest: artifact.digest,
        bytes: options.bytes ?? material.payload,
      },
    );
    const policyBase = {
      policyHash: signature.policyHash,
      policy: signature.policy,
      trustedRoot: signature.trustedRoot,
    };
    const rejected = facts.contents?.rejectedReason;
    let statement: InTotoStatement | undefined = signature.statement;
    let statementSource: 'signed-bundle' | 'attestation.intoto' =
      'signed-bundle';
    let statementProblem: string | undefined;
    if (!statement && material.attestation) {
      statementSource = 'attestation.intoto';
      try {
        statement = statementFromAttestationFile(material.attestation);
      } catch (error) {
        statementProblem = (error as Error).message;
      }
    }
    const incomplete =
      artifact.kind === 'artifact-bundle'
        ? incompleteBundleReason(facts)
        : undefined;
    let refusal: string | undefined;
    if (rejected) refusal = `artifact bundle rejected: ${rejected}`;
    else if (incomplete) refusal = incomplete;
    const provenance = refusal
      ? {
          outcome: 'failed' as const,
          reason: refusal,
          slsaLevel: 0,
          facts: {},
        }
      : checkProvenance({
          statement,
          statementSource,
          subjectDigests: [artifact.digest, facts.changesPatchDigest].filter(
            (d): d is string => Boolean(d),
          ),
          repository,
          expectedCommits: [artifact.mergeBaseSha, artifact.commitSha].filter(
            (c): c is string => Boolean(c),
          ),
          builders: this.deps.registry.builders,
          buildTypes: this.deps.registry.buildTypes,
          signature,
          certificate: signature.certificate,
        });
    if (statementProblem && signature.outcome === 'verified' && !statement) {
      // Say why attestation.intoto could not be read, not just that it is missing.
      provenance.reason = statementProblem;
    }

    const now = new Date().toISOString();
    const records: VerificationInput[] = [
      {
        artifactId,
        check: 'signature',
        outcome: signature.outcome,
        reason: signature.reason,
        signerIdentity: signature.signerIdentity,
        signerIssuer: signature.signerIssuer,
        tlogIndex: signature.tlogIndex,
        ...policyBase,
        details: signatureDetails(signature),
        verifiedAt: now,
      },
      {
        artifactId,
        check: 'provenance',
        outcome: provenance.outcome,
        reason: provenance.reason,
        signerIdentity: signature.signerIdentity,
        signerIssuer: signature.signerIssuer,
        tlogIndex: signature.tlogIndex,
        ...policyBase,
        slsaLevel: provenance.slsaLevel,
        details: provenance.facts,
        verifiedAt: now,
      },
    ];
    if (artifact.kind === 'artifact-bundle' && facts.sbom) {
      records.push({
        artifactId,
        check: 'sbom',
        outcome: facts.sbom.outcome,
        reason: facts.sbom.reason,
        policyHash: 'cyclonedx-1.5',
        policy: { schema: 'CycloneDX 1.5 JSON', uniqueBomRefs: true },
        details: facts.sbom.summary
          ? { componentCount: facts.sbom.summary.componentCount }
          : undefined,
        verifiedAt: now,
      });
    }
    const run = await this.deps.recorder.record(records, current);
    const outcomes: Partial<Record<VerificationCheck, VerificationOutcome>> =
      {};
    for (const v of run.verifications) outcomes[v.check] = v.outcome;
    const status = artifactStatusFrom(
      artifact.kind === 'artifact-bundle'
        ? ARTIFACT_BUNDLE_CHECKS
        : ARTIFACT_CHECKS,
      outcomes,
    );
    if (status !== artifact.status) {
      await store.supplyChain.setArtifactStatus(artifactId, status);
    }
    return {
      id: artifactId,
      digest: artifact.digest,
      name: artifact.name,
      status,
      ...run,
    };
  }
}

function keepPayload(sub: ArtifactSubmission, limits: VerificationLimits) {
  return sub.bytes && sub.bytes.length <= limits.maxStoredPayloadBytes
    ? sub.bytes
    : undefined;
}
