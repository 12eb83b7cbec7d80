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
import { chooseBundle } from './bundleChoice';
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

/** What reading a policy bundle found, kept so re-verification needs no re-download. */
interface PolicyBundleFacts {
  /** Why the archive was refused (unsafe, over a limit). */
  archiveProblem?: string;
  unknownEntries?: string[];
  /** Files that cannot be read, with why. */
  problems?: string[];
  /** Why there is no usable Sigstore bundle. */
  bundleProblem?: string;
  /** Refused before reading: the signature is not checked. */
  rejectedReason?: string;
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

  /**
   * Reads, stores and verifies a `policies.tar.gz`. As for artifacts, a
   * re-submission never makes a verified version worse: a missing or
   * non-verifying bundle does not replace one that verified, and a bundle
   * refused this time is verified from what was stored before.
   */
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
    const existing = await store.supplyChain.findPolicyVersion(
      sub.repository.id,
      digest,
    );
    const stored = existing
      ? await store.supplyChain.getMaterial({ policyVersionId: existing.id })
      : undefined;
    const storedFacts = stored?.facts as PolicyBundleFacts | undefined;
    const notes: string[] = [];

    let facts: PolicyBundleFacts;
    let policies: Array<{ name: string; kind: string; engine?: string }>;
    let version = sub.version;
    let payload = sub.bytes;
    if (sub.rejectedReason && storedFacts && !storedFacts.rejectedReason) {
      facts = storedFacts;
      policies = existing!.policies;
      payload = stored!.payload;
      notes.push(
        `${sub.rejectedReason}; what was stored from an earlier submission is verified instead`,
      );
    } else {
      const read = await this.read(sub);
      facts = read.facts;
      policies = read.policies;
      version = version ?? read.version;
    }
    const chosen = await chooseBundle({
      signatures: this.deps.signatures,
      submitted: sub.bundle,
      stored,
      storedSignature: existing
        ? (
            await this.deps.recorder.current({
              policyVersionIds: [existing.id],
            })
          ).get('signature')
        : undefined,
      subject: { digest, bytes: payload },
    });
    if (chosen.note) notes.push(chosen.note);
    facts = {
      ...facts,
      bundleProblem:
        chosen.bundle === undefined ? sub.bundleProblem : undefined,
    };

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
      bundle: chosen.bundle,
      bundleDigest: chosen.bundleDigest,
      payload:
        payload && payload.length <= this.deps.limits.maxStoredPayloadBytes
          ? payload
          : undefined,
      payloadSize: payload?.length,
      facts,
    };
    await store.supplyChain.saveMaterial({ policyVersionId: id }, material);
    const run = await this.verifyPolicyVersion(id, {
      material,
      bytes: payload,
    });
    return notes.length ? { ...run, notes } : run;
  }

  /** The policies, version and problems of a submitted bundle. */
  private async read(sub: PolicyBundleSubmission): Promise<{
    facts: PolicyBundleFacts;
    policies: Array<{ name: string; kind: string; engine?: string }>;
    version?: string;
  }> {
    if (!sub.bytes) {
      return {
        facts: {
          archiveProblem: sub.rejectedReason,
          rejectedReason: sub.rejectedReason,
        },
        policies: [],
      };
    }
    try {
      const contents = await readPolicyBundle(sub.bytes, this.deps.limits);
      return {
        facts: {
          unknownEntries: contents.unknownEntries,
          problems: contents.problems,
        },
        policies: contents.policies.map(p => ({
          name: p.name,
          kind: p.kind,
          engine: p.engine,
        })),
        version: contents.version,
      };
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      return { facts: { archiveProblem: error.message }, policies: [] };
    }
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
    const facts = (material.facts ?? {}) as PolicyBundleFacts;
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
