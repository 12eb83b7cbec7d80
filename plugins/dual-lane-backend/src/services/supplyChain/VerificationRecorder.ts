import {
  Verification,
  VerificationCheck,
  VerificationOutcome,
} from '@dual-lane/plugin-dual-lane-common';
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
   * Records each check whose outcome, reason or policy changed (all of
   * them with `force`); unchanged ones keep their current row.
   */
  async record(
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
