import {
  Verification,
  VerificationCheck,
  VerificationOutcome,
} from '@dual-lane/plugin-dual-lane-common';
import { json as canonicalJson } from '@sigstore/core';
import { DualLaneStore } from '../../database';
import { VerificationInput } from '../../database/SupplyChainStore';

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
  /** What the caller should know about the submission (e.g. a bundle that was not used). */
  notes?: string[];
}

/**
 * Records the checks of an artifact or policy bundle as its current
 * verifications, keeping the superseded ones as history.
 */
export class VerificationRecorder {
  constructor(private readonly deps: { store: DualLaneStore }) {}

  /** The current verification of each check of one subject. */
  async current(subject: {
    artifactIds?: number[];
    policyVersionIds?: number[];
  }): Promise<Map<VerificationCheck, Verification>> {
    const list = await this.deps.store.supplyChain.listVerifications({
      ...subject,
      currentOnly: true,
    });
    return new Map(list.map(v => [v.check, v]));
  }

  /**
   * Records each check whose result changed (outcome, reason, signer,
   * transparency-log entry, trusted root, policy, build level or details)
   * as the new current verification. A check repeated with the same result
   * adds no history: the current row's `verified_at` moves instead.
   */
  async record(
    inputs: VerificationInput[],
    current: Map<VerificationCheck, Verification>,
  ): Promise<Pick<VerificationRun, 'verifications' | 'changed'>> {
    const verifications: Verification[] = [];
    const changed: VerificationRun['changed'] = [];
    for (const input of inputs) {
      const before = current.get(input.check);
      if (before && fingerprint(before) === fingerprint(input)) {
        verifications.push(
          await this.deps.store.supplyChain.touchVerification(
            before.id,
            input.verifiedAt,
          ),
        );
        continue;
      }
      verifications.push(
        await this.deps.store.supplyChain.recordVerification(input),
      );
      if (
        !before ||
        before.outcome !== input.outcome ||
        (before.reason ?? undefined) !== (input.reason ?? undefined)
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

/** What makes two verifications of one check the same result, as stored (JSON). */
function fingerprint(v: VerificationInput | Verification): string {
  return canonicalJson.canonicalize(
    JSON.parse(
      JSON.stringify({
        outcome: v.outcome,
        reason: v.reason ?? null,
        signerIdentity: v.signerIdentity ?? null,
        signerIssuer: v.signerIssuer ?? null,
        tlogIndex: v.tlogIndex ?? null,
        trustedRoot: v.trustedRoot ?? null,
        policyHash: v.policyHash ?? null,
        slsaLevel: v.slsaLevel ?? null,
        details: v.details ?? null,
      }),
    ),
  );
}
