import { VerificationOutcome } from '@dual-lane/plugin-dual-lane-common';
import { VerificationMaterial } from '../../database/SupplyChainStore';
import {
  SignatureResult,
  SignatureVerifier,
} from '../verification/signatureVerifier';

/**
 * The signature check of a stored subject from its material: its Sigstore
 * bundle verified against the artifact, or why there is nothing to verify
 * (unsigned → failed; no usable bundle or refused before reading →
 * unverified), under the policy in force.
 */
export async function checkStoredSignature(
  signatures: SignatureVerifier,
  material: VerificationMaterial,
  facts: { bundleProblem?: string; rejectedReason?: string },
  subject: { digest: string; bytes?: Buffer },
): Promise<SignatureResult> {
  const unchecked = (
    outcome: VerificationOutcome,
    reason: string,
  ): SignatureResult => {
    const { policy, hash } = signatures.currentPolicy();
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
  return signatures.verify(material.bundle, subject);
}

/** What of a signature check is kept in a verification's details. */
export function signatureDetails(s: SignatureResult) {
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
