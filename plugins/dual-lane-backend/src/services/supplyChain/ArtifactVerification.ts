import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ARTIFACT_BUNDLE_CHECKS,
  ARTIFACT_BUNDLE_OPTIONAL_ENTRIES,
  ARTIFACT_BUNDLE_REQUIRED_ENTRIES,
  ARTIFACT_CHECKS,
  ArtifactBundleContents,
  ArtifactKind,
  ArtifactSource,
  artifactStatusFrom,
  PolicyVersionStatus,
  Repository,
  Verification,
  VerificationCheck,
  VerificationOutcome,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import {
  VerificationInput,
  VerificationMaterial,
} from '../../database/SupplyChainStore';
import { ArchiveError, readTarGz } from '../verification/archiveReader';
import { VerificationLimits } from '../verification/config';
import {
  InTotoStatement,
  statementFromAttestationFile,
} from '../verification/inToto';
import { IdentityRegistry } from '../verification/identityRegistry';
import { readPolicyBundle } from '../verification/policyBundleReader';
import { checkProvenance } from '../verification/provenanceChecker';
import { SbomResult, validateSbom } from '../verification/sbomValidator';
import {
  sha256Digest,
  SignatureResult,
  SignatureVerifier,
} from '../verification/signatureVerifier';

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

export interface PolicyBundleSubmission {
  /** The repository that published the bundle: policy versions are kept per repository. */
  repository: Repository;
  name: string;
  version?: string;
  /** The bundle's bytes; without them `digest` and `rejectedReason` must be given. */
  bytes?: Buffer;
  digest?: string;
  bundle?: unknown;
  /** Why no usable Sigstore bundle was found: unverified rather than unsigned. */
  bundleProblem?: string;
  /** Why the bundle was refused before it was read (e.g. over the size limit). */
  rejectedReason?: string;
  sourceUrl?: string;
  publishedAt?: string;
}

/** What a verification run wrote, and what it changed. */
export interface VerificationRun {
  id: number;
  digest: string;
  name: string;
  status: string;
  verifications: Verification[];
  changed: Array<{
    check: VerificationCheck;
    before?: VerificationOutcome;
    after: VerificationOutcome;
    reason?: string;
  }>;
}

/** Facts about the archive and SBOM, kept so re-verification needs no re-download. */
interface ArtifactFacts {
  contents?: ArtifactBundleContents;
  sbom?: SbomResult;
  changesPatchDigest?: string;
  /** Why there is no usable Sigstore bundle. */
  bundleProblem?: string;
  /** Refused before reading: the signature is not checked. */
  rejectedReason?: string;
}

const KNOWN_ENTRIES = new Set<string>([
  ...ARTIFACT_BUNDLE_REQUIRED_ENTRIES,
  ...ARTIFACT_BUNDLE_OPTIONAL_ENTRIES,
]);

const HEX_COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Verifies artifacts and policy bundles and records the outcome of each
 * check (signature, provenance, SBOM) with its reason, signer, transparency
 * log index, trusted root and the exact policy used. Also re-verifies what
 * was stored when the policy changed.
 */
export class ArtifactVerification {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      signatures: SignatureVerifier;
      registry: IdentityRegistry;
      limits: VerificationLimits;
      logger: LoggerService;
    },
  ) {}

  /** Reads, stores and verifies an artifact. */
  async submitArtifact(sub: ArtifactSubmission): Promise<VerificationRun> {
    const { store } = this.deps;
    if (!sub.bytes && !sub.digest) {
      throw new TypeError('An artifact needs its bytes or its digest');
    }
    const { pullRequestId, commitSha } = await this.commitFor(sub);
    const digest = sub.bytes
      ? sha256Digest(sub.bytes)
      : sub.digest!.toLowerCase();
    const facts: ArtifactFacts = {
      bundleProblem: sub.bundle === undefined ? sub.bundleProblem : undefined,
    };
    let attestation: string | undefined;
    let mergeBaseSha: string | undefined;
    if (sub.rejectedReason) {
      facts.rejectedReason = sub.rejectedReason;
      facts.contents = {
        entries: [],
        unknownEntries: [],
        missingEntries: [],
        rejectedReason: sub.rejectedReason,
      };
      if (sub.kind === 'artifact-bundle') {
        facts.sbom = {
          outcome: 'failed',
          reason: `artifact bundle rejected: ${sub.rejectedReason}`,
        };
      }
    } else if (sub.kind === 'artifact-bundle' && sub.bytes) {
      const read = await this.readArtifactBundle(sub.bytes);
      Object.assign(facts, read.facts);
      attestation = read.attestation;
      mergeBaseSha = read.mergeBaseSha;
    }
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
        mergeBaseSha,
        contents: facts.contents,
        sbomSummary: facts.sbom?.summary,
      },
    ]);
    const id = ids.get(`${sub.repository.id}#${digest}`)!;
    const material: VerificationMaterial = {
      bundle: sub.bundle,
      bundleDigest:
        sub.bundle === undefined
          ? undefined
          : sha256Digest(JSON.stringify(sub.bundle)),
      attestation,
      mergeBaseSha,
      payload: keepPayload(sub, this.deps.limits),
      payloadSize: sub.bytes?.length,
      facts,
    };
    await store.supplyChain.saveMaterial({ artifactId: id }, material);
    return this.verifyArtifact(id, { force: true, material, bytes: sub.bytes });
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

  private async readArtifactBundle(bytes: Buffer): Promise<{
    facts: ArtifactFacts;
    attestation?: string;
    mergeBaseSha?: string;
  }> {
    try {
      const archive = await readTarGz(bytes, {
        limits: this.deps.limits,
        keep: name => KNOWN_ENTRIES.has(name),
      });
      const byName = new Map(archive.entries.map(e => [e.name, e]));
      const text = (name: string) =>
        byName.get(name)?.content?.toString('utf8');
      const mergeBase = text('merge-base.sha')?.trim().toLowerCase();
      const contents: ArtifactBundleContents = {
        entries: archive.entries.map(e => ({
          name: e.name,
          sizeBytes: e.sizeBytes,
          digest: e.digest,
        })),
        unknownEntries: archive.unknownEntries,
        missingEntries: ARTIFACT_BUNDLE_REQUIRED_ENTRIES.filter(
          n => !byName.has(n),
        ),
      };
      return {
        facts: {
          contents,
          sbom: validateSbom(byName.get('sbom.cdx.json')?.content),
          changesPatchDigest: byName.get('changes.patch')?.digest,
        },
        attestation: text('attestation.intoto'),
        mergeBaseSha:
          mergeBase && HEX_COMMIT.test(mergeBase) ? mergeBase : undefined,
      };
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      const reason = `artifact bundle rejected: ${error.message}`;
      return {
        facts: {
          contents: {
            entries: [],
            unknownEntries: [],
            missingEntries: [],
            rejectedReason: error.message,
          },
          sbom: { outcome: 'failed', reason },
        },
      };
    }
  }

  /**
   * (Re-)verifies a stored artifact from its material. Without `force` only
   * checks whose stored policy differs from the one in force are redone.
   */
  async verifyArtifact(
    artifactId: number,
    options: {
      force?: boolean;
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
    const current = await this.currentVerifications({
      artifactIds: [artifactId],
    });

    const signature = await this.checkSignature(material, facts, {
      digest: artifact.digest,
      bytes: options.bytes ?? material.payload,
    });
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
    const provenance = rejected
      ? {
          outcome: 'failed' as const,
          reason: `artifact bundle rejected: ${rejected}`,
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
    const run = await this.record(records, current, options.force ?? false);
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

  /** Reads, stores and verifies a `policies.tar.gz`. */
  async submitPolicyBundle(
    sub: PolicyBundleSubmission,
  ): Promise<VerificationRun> {
    const { store } = this.deps;
    if (!sub.bytes && !(sub.digest && sub.rejectedReason)) {
      throw new TypeError(
        'A policy bundle needs its bytes, or its digest and why it was refused',
      );
    }
    const digest = sub.bytes
      ? sha256Digest(sub.bytes)
      : sub.digest!.toLowerCase();
    let policies: Array<{ name: string; kind: string; engine?: string }> = [];
    let version = sub.version;
    let archiveProblem: string | undefined = sub.rejectedReason;
    let unknownEntries: string[] = [];
    let problems: string[] = [];
    try {
      if (!sub.bytes) throw new ArchiveError(sub.rejectedReason!);
      const contents = await readPolicyBundle(sub.bytes, this.deps.limits);
      policies = contents.policies.map(p => ({
        name: p.name,
        kind: p.kind,
        engine: p.engine,
      }));
      version = version ?? contents.version;
      unknownEntries = contents.unknownEntries;
      problems = contents.problems;
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      archiveProblem = error.message;
    }
    const ids = await store.supplyChain.upsertPolicyVersions([
      {
        repositoryId: sub.repository.id,
        name: sub.name,
        version: version ?? 'unversioned',
        digest,
        policies,
        sourceUrl: sub.sourceUrl,
        publishedAt: sub.publishedAt,
      },
    ]);
    const id = ids.get(digest)!;
    const material: VerificationMaterial = {
      bundle: sub.bundle,
      bundleDigest:
        sub.bundle === undefined
          ? undefined
          : sha256Digest(JSON.stringify(sub.bundle)),
      payload:
        sub.bytes && sub.bytes.length <= this.deps.limits.maxStoredPayloadBytes
          ? sub.bytes
          : undefined,
      payloadSize: sub.bytes?.length,
      facts: {
        archiveProblem,
        unknownEntries,
        problems,
        bundleProblem: sub.bundle === undefined ? sub.bundleProblem : undefined,
        rejectedReason: sub.rejectedReason,
      },
    };
    await store.supplyChain.saveMaterial({ policyVersionId: id }, material);
    return this.verifyPolicyVersion(id, {
      force: true,
      material,
      bytes: sub.bytes,
    });
  }

  async verifyPolicyVersion(
    policyVersionId: number,
    options: {
      force?: boolean;
      material?: VerificationMaterial;
      bytes?: Buffer;
    } = {},
  ): Promise<VerificationRun> {
    const { store } = this.deps;
    const version = (await store.supplyChain.getPolicyVersion(
      policyVersionId,
    ))!;
    const material =
      options.material ??
      (await store.supplyChain.getMaterial({ policyVersionId })) ??
      {};
    const facts = (material.facts ?? {}) as {
      archiveProblem?: string;
      problems?: string[];
      bundleProblem?: string;
      rejectedReason?: string;
    };
    const current = await this.currentVerifications({
      policyVersionIds: [policyVersionId],
    });
    const signature = await this.checkSignature(material, facts, {
      digest: version.digest,
      bytes: options.bytes ?? material.payload,
    });
    const verdict = policyBundleVerdict(signature, facts);
    const run = await this.record(
      [
        {
          policyVersionId,
          check: 'signature',
          outcome: verdict.outcome,
          reason: verdict.reason,
          signerIdentity: signature.signerIdentity,
          signerIssuer: signature.signerIssuer,
          tlogIndex: signature.tlogIndex,
          trustedRoot: signature.trustedRoot,
          policyHash: signature.policyHash,
          policy: signature.policy,
          details: {
            ...signatureDetails(signature),
            signatureOutcome: signature.outcome,
            ...(facts.archiveProblem
              ? { archiveProblem: facts.archiveProblem }
              : {}),
            ...(facts.problems?.length ? { problems: facts.problems } : {}),
          },
          verifiedAt: new Date().toISOString(),
        },
      ],
      current,
      options.force ?? false,
    );
    const status: PolicyVersionStatus = signature.tampered
      ? 'tampered'
      : verdict.outcome;
    if (
      status !== version.status ||
      signature.signerIdentity !== version.signerIdentity
    ) {
      await store.supplyChain.setPolicyVersionStatus(
        policyVersionId,
        status,
        signature.signerIdentity,
      );
    }
    return {
      id: policyVersionId,
      digest: version.digest,
      name: `${version.name}@${version.version}`,
      status,
      ...run,
    };
  }

  private async checkSignature(
    material: VerificationMaterial,
    facts: { bundleProblem?: string; rejectedReason?: string },
    subject: { digest: string; bytes?: Buffer },
  ): Promise<SignatureResult> {
    const unchecked = (
      outcome: VerificationOutcome,
      reason: string,
    ): SignatureResult => {
      const { policy, hash } = this.deps.signatures.currentPolicy();
      return {
        outcome,
        reason,
        policy,
        policyHash: hash,
        trustedRoot: policy.trustedRoot,
      };
    };
    if (facts.rejectedReason) {
      return unchecked(
        'unverified',
        `signature not checked: ${facts.rejectedReason}`,
      );
    }
    if (material.bundle === undefined) {
      return facts.bundleProblem
        ? unchecked(
            'unverified',
            `no usable Sigstore bundle: ${facts.bundleProblem}`,
          )
        : unchecked(
            'failed',
            `unsigned: no Sigstore bundle was found for ${subject.digest}`,
          );
    }
    return this.deps.signatures.verify(material.bundle, subject);
  }

  private async currentVerifications(options: {
    artifactIds?: number[];
    policyVersionIds?: number[];
  }) {
    const list = await this.deps.store.supplyChain.listVerifications({
      ...options,
      currentOnly: true,
    });
    return new Map(list.map(v => [v.check, v]));
  }

  /**
   * Records each check whose outcome, reason or policy changed (all of
   * them with `force`); unchanged ones keep their current row.
   */
  private async record(
    inputs: VerificationInput[],
    current: Map<VerificationCheck, Verification>,
    force: boolean,
  ): Promise<Pick<VerificationRun, 'verifications' | 'changed'>> {
    const verifications: Verification[] = [];
    const changed: VerificationRun['changed'] = [];
    for (const input of inputs) {
      const before = current.get(input.check);
      const same =
        before &&
        before.outcome === input.outcome &&
        (before.reason ?? undefined) === (input.reason ?? undefined) &&
        before.policyHash === input.policyHash &&
        before.trustedRoot === input.trustedRoot;
      if (same && !force) {
        verifications.push(before);
        continue;
      }
      verifications.push(
        await this.deps.store.supplyChain.recordVerification(input),
      );
      if (
        !before ||
        before.outcome !== input.outcome ||
        before.reason !== input.reason
      ) {
        changed.push({
          check: input.check,
          before: before?.outcome,
          after: input.outcome,
          reason: input.reason,
        });
      }
    }
    return { verifications, changed };
  }
}

/**
 * A policy bundle is only as usable as its content: an archive that was
 * refused or files that cannot be read (unparsable YAML or Rego, a YAML
 * alias bomb) fail it even when the signature verified, with the reason.
 * A failed signature keeps its own reason.
 */
function policyBundleVerdict(
  signature: SignatureResult,
  facts: {
    archiveProblem?: string;
    problems?: string[];
    rejectedReason?: string;
  },
): { outcome: VerificationOutcome; reason?: string } {
  let problem: string | undefined;
  if (facts.archiveProblem) {
    problem = `the policy bundle was rejected: ${facts.archiveProblem}`;
  } else if (facts.problems?.length) {
    problem = `the policy bundle has files that cannot be read: ${facts.problems.join(
      '; ',
    )}`;
  }
  if (!problem || signature.outcome === 'failed') {
    return { outcome: signature.outcome, reason: signature.reason };
  }
  if (facts.rejectedReason) {
    return { outcome: 'failed', reason: problem };
  }
  return {
    outcome: 'failed',
    reason:
      signature.outcome === 'verified'
        ? `signature verified, but ${problem}`
        : `${problem} (signature ${signature.outcome}: ${signature.reason})`,
  };
}

function keepPayload(sub: ArtifactSubmission, limits: VerificationLimits) {
  return sub.bytes && sub.bytes.length <= limits.maxStoredPayloadBytes
    ? sub.bytes
    : undefined;
}

function signatureDetails(s: SignatureResult) {
  return {
    bundleDigest: s.bundleDigest,
    bundleMediaType: s.bundleMediaType,
    bundleContent: s.bundleContent,
    keyBased: s.keyBased,
    registryEntry: s.registryEntry,
    tampered: s.tampered,
    certificate: s.certificate,
  };
}
