import {
  PolicyVersionStatus,
  Repository,
  VerificationOutcome,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { VerificationMaterial } from '../../database/SupplyChainStore';
import { VerificationLimits } from '../verification/config';
import {
  ArchiveError,
  readPolicyBundle,
} from '../verification/policyBundleReader';
import {
  sha256Digest,
  SignatureResult,
  SignatureVerifier,
} from '../verification/signatureVerifier';
import { checkStoredSignature, signatureDetails } from './storedSignature';
import { VerificationRecorder, VerificationRun } from './VerificationRecorder';

/** A `policies.tar.gz` handed to verification by a source (release asset, ingest). */
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

/**
 * Verifies signed policy bundles (Kyverno/OPA `policies.tar.gz`): the
 * signature, and that every policy file in it can be read. A version is
 * `verified`, `failed` (wrong signer, unreadable content), `tampered` (its
 * content is not what was signed) or `unverified`.
 */
export class PolicyBundleVerification {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      signatures: SignatureVerifier;
      recorder: VerificationRecorder;
      limits: VerificationLimits;
    },
  ) {}

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
      material,
      bytes: sub.bytes,
    });
  }

  async verifyPolicyVersion(
    policyVersionId: number,
    options: {
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
    const current = await this.deps.recorder.current({
      policyVersionIds: [policyVersionId],
    });
    const signature = await checkStoredSignature(
      this.deps.signatures,
      material,
      facts,
      {
        digest: version.digest,
        bytes: options.bytes ?? material.payload,
      },
    );
    const verdict = policyBundleVerdict(signature, facts);
    const run = await this.deps.recorder.record(
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
