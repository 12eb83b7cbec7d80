import { Verification } from '@dual-lane/plugin-dual-lane-common';
import { VerificationMaterial } from '../../database/SupplyChainStore';
import {
  sha256Digest,
  SignatureVerifier,
} from '../verification/signatureVerifier';

export interface ChosenBundle {
  bundle?: unknown;
  bundleDigest?: string;
  /** Why the stored bundle was kept, for the caller. */
  note?: string;
}

/**
 * Which Sigstore bundle a re-submitted subject is verified with. A stored
 * bundle that verified is never replaced by none (the same artifact
 * attached to another release without its `.sigstore.json`) nor by one
 * that does not verify (a bogus bundle pushed later); any other bundle is
 * taken as submitted.
 */
export async function chooseBundle(options: {
  signatures: SignatureVerifier;
  submitted?: unknown;
  stored?: VerificationMaterial;
  storedSignature?: Verification;
  subject: { digest: string; bytes?: Buffer };
}): Promise<ChosenBundle> {
  const { submitted, stored } = options;
  const submittedDigest =
    submitted === undefined
      ? undefined
      : sha256Digest(JSON.stringify(submitted));
  const asSubmitted = { bundle: submitted, bundleDigest: submittedDigest };
  const storedVerified =
    stored?.bundle !== undefined &&
    options.storedSignature?.outcome === 'verified';
  if (!storedVerified) {
    return asSubmitted;
  }
  const keep = (note: string): ChosenBundle => ({
    bundle: stored!.bundle,
    bundleDigest: stored!.bundleDigest,
    note,
  });
  if (submitted === undefined) {
    return keep(
      'this submission has no Sigstore bundle: the stored bundle, which verified, is used',
    );
  }
  if (submittedDigest === stored!.bundleDigest) {
    return asSubmitted;
  }
  const result = await options.signatures.verify(submitted, options.subject);
  if (result.outcome === 'verified') {
    return asSubmitted;
  }
  return keep(
    `the submitted Sigstore bundle was not used (${result.outcome}: ${result.reason}): the stored bundle, which verified, is kept`,
  );
}
