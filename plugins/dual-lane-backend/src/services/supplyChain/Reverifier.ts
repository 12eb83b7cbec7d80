import { LoggerService } from '@backstage/backend-plugin-api';
import { ReverifyChange } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { IdentityRegistry } from '../verification/identityRegistry';
import { SignatureVerifier } from '../verification/signatureVerifier';
import { TrustedRoots } from '../verification/trustedRoots';
import { ArtifactVerification } from './ArtifactVerification';
import { PolicyBundleVerification } from './PolicyBundleVerification';
import { VerificationRun } from './VerificationRecorder';

/**
 * Re-verifies what was verified under another policy: a changed trusted
 * root, thresholds, builder list, or a signer identity or key that was
 * revoked or expired (which leaves the policy in force without it, so its
 * hash changes). Runs at start, on a schedule and on request.
 */
export class Reverifier {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      verification: ArtifactVerification;
      policies: PolicyBundleVerification;
      signatures: SignatureVerifier;
      registry: IdentityRegistry;
      trustedRoots: TrustedRoots;
      logger: LoggerService;
    },
  ) {}

  /** The hash of the policy in force, with the trusted roots loaded if they can be. */
  async currentPolicyHash(): Promise<string> {
    await this.deps.trustedRoots.get();
    return this.deps.signatures.currentPolicy().hash;
  }

  /**
   * Re-verifies the artifacts and policy versions of the given repositories
   * (all when omitted): those whose signature was checked under another
   * policy or by a signer no longer in force, or every one with `force`.
   */
  async reverify(
    options: { repositoryIds?: number[]; force?: boolean } = {},
  ): Promise<{
    reverified: number;
    changes: ReverifyChange[];
    policyHash: string;
    /** Why nothing was re-verified. */
    skipped?: string;
  }> {
    const { store, verification, registry } = this.deps;
    const set = await this.deps.trustedRoots.get();
    const policyHash = this.deps.signatures.currentPolicy().hash;
    const neverLoaded = this.deps.trustedRoots.neverLoaded();
    if (neverLoaded.length > 0) {
      // Without a root the policy hash is a placeholder: everything would
      // look stale and be flipped to unverified until the root loads.
      const skipped = `trusted root ${neverLoaded.join(', ')} ${
        neverLoaded.length === 1 ? 'is' : 'are'
      } unavailable (${set.unavailable
        .map(u => u.error.message)
        .join('; ')}); stored verifications are kept until it loads`;
      this.deps.logger.warn(`Re-verification skipped: ${skipped}`);
      return { reverified: 0, changes: [], policyHash, skipped };
    }
    const artifactIds = await store.supplyChain.listArtifactIds(
      options.repositoryIds,
    );
    const policyIds = await store.supplyChain.listPolicyVersionIds(
      options.repositoryIds,
    );
    const current = await store.supplyChain.listVerifications({
      artifactIds,
      policyVersionIds: policyIds,
      check: 'signature',
      currentOnly: true,
    });
    const stale = (v: (typeof current)[number] | undefined) => {
      if (options.force || !v) return true;
      if (v.policyHash !== policyHash) return true;
      const entry = (v.details as { registryEntry?: string } | undefined)
        ?.registryEntry;
      return (
        v.outcome === 'verified' &&
        entry !== undefined &&
        !registry.isInForce(entry)
      );
    };
    const byArtifact = new Map(
      current.filter(v => v.artifactId).map(v => [v.artifactId!, v]),
    );
    const byPolicy = new Map(
      current.filter(v => v.policyVersionId).map(v => [v.policyVersionId!, v]),
    );
    const changes: ReverifyChange[] = [];
    let reverified = 0;
    const collect = (
      subject: ReverifyChange['subject'],
      run: VerificationRun,
    ) => {
      reverified += 1;
      for (const c of run.changed) {
        changes.push({
          subject,
          id: run.id,
          name: run.name,
          digest: run.digest,
          ...c,
        });
      }
    };
    for (const id of artifactIds) {
      if (!stale(byArtifact.get(id))) continue;
      try {
        collect('artifact', await verification.verifyArtifact(id));
      } catch (error) {
        this.deps.logger.error(`Re-verifying artifact ${id} failed: ${error}`);
      }
    }
    for (const id of policyIds) {
      if (!stale(byPolicy.get(id))) continue;
      try {
        collect(
          'policy-version',
          await this.deps.policies.verifyPolicyVersion(id),
        );
      } catch (error) {
        this.deps.logger.error(
          `Re-verifying policy version ${id} failed: ${error}`,
        );
      }
    }
    if (reverified > 0) {
      this.deps.logger.info(
        `Re-verified ${reverified} supply-chain subjects under policy ${policyHash}: ${changes.length} checks changed`,
      );
    }
    return { reverified, changes, policyHash };
  }
}
