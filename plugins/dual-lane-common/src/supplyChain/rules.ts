import { VerificationCheck, VerificationOutcome } from '../types/domain';

/** The checks an artifact bundle must pass to count as verified. */
export const ARTIFACT_BUNDLE_CHECKS: readonly VerificationCheck[] = [
  'signature',
  'provenance',
  'sbom',
];

/** The checks any other artifact (a file or image with an attestation) must pass. */
export const ARTIFACT_CHECKS: readonly VerificationCheck[] = [
  'signature',
  'provenance',
];

/** The entries of the seed's artifact bundle schema. */
export const ARTIFACT_BUNDLE_REQUIRED_ENTRIES = [
  'changes.patch',
  'merge-base.sha',
  'attestation.intoto',
  'sbom.cdx.json',
] as const;
export const ARTIFACT_BUNDLE_OPTIONAL_ENTRIES = ['rollback.sql'] as const;

/**
 * An artifact's status from the outcomes of its required checks: any
 * failure fails it; it is verified only when every required check is;
 * anything else (a check missing, or unverified) leaves it unverified.
 * Fail closed: never verified by default.
 */
export function artifactStatusFrom(
  required: readonly VerificationCheck[],
  outcomes: Partial<Record<VerificationCheck, VerificationOutcome>>,
): VerificationOutcome {
  const values = required.map(check => outcomes[check]);
  if (values.some(v => v === 'failed')) {
    return 'failed';
  }
  if (values.length > 0 && values.every(v => v === 'verified')) {
    return 'verified';
  }
  return 'unverified';
}
