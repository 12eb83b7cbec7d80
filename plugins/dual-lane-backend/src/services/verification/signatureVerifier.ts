import crypto from 'node:crypto';
import { Bundle, bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import {
  PolicyError,
  toSignedEntity,
  VerificationError,
} from '@sigstore/verify';
import { VerificationOutcome } from '@dual-lane/plugin-dual-lane-common';
import { CertificateFacts, certificateFacts } from './certificateFacts';
import { IdentityRegistry, VerificationPolicy } from './identityRegistry';
import {
  IN_TOTO_PAYLOAD_TYPE,
  InTotoStatement,
  parseStatement,
  StatementError,
  subjectDigests,
} from './inToto';
import { RootChoice, TrustedRoots } from './trustedRoots';

/** The outcome of checking one Sigstore bundle against one artifact. */
export interface SignatureResult {
  outcome: VerificationOutcome;
  reason?: string;
  /**
   * The content is not what was signed: the artifact's digest is not the
   * signed digest or subject, or the content does not hash to what the
   * transparency log recorded. A signature made with another key is not.
   */
  tampered?: boolean;
  signerIdentity?: string;
  signerIssuer?: string;
  /** The registry entry (identity or key name) the signer matched. */
  registryEntry?: string;
  tlogIndex?: number;
  trustedRoot?: string;
  policyHash: string;
  policy: unknown;
  bundleDigest?: string;
  bundleMediaType?: string;
  bundleContent?: 'dsse' | 'message';
  keyBased?: boolean;
  certificate?: CertificateFacts;
  /** The signed in-toto statement of a DSSE bundle, once its signature verified. */
  statement?: InTotoStatement;
}

export interface SignedSubject {
  /** `sha256:<hex>` of the artifact. */
  digest: string;
  /** The artifact bytes: needed for message signatures, which sign them directly. */
  bytes?: Buffer;
}

const CACHE_LIMIT = 10_000;

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

/**
 * Verifies Sigstore bundles (v0.1–v0.3, DSSE or message signature,
 * keyless or key-based) against the trusted root and the identity registry.
 *
 * Fails closed: a missing trusted root or an unreadable bundle is
 * "unverified", never "verified". For DSSE bundles sigstore-js checks only
 * the envelope, so the statement's subject is compared here with the
 * artifact's digest. Outcomes are cached by (bundle, artifact, root, policy):
 * they depend on nothing else.
 */
export class SignatureVerifier {
  private readonly cache = new Map<string, SignatureResult>();

  constructor(
    private readonly deps: {
      trustedRoots: TrustedRoots;
      registry: IdentityRegistry;
    },
  ) {}

  /** The policy in force now, with the ids of the roots it uses. */
  currentPolicy(): { policy: VerificationPolicy; hash: string } {
    return this.deps.registry.policy(this.deps.trustedRoots.summaries());
  }

  async verify(
    bundleJson: unknown,
    subject: SignedSubject,
  ): Promise<SignatureResult> {
    const set = await this.deps.trustedRoots.get();
    const { policy, hash } = this.currentPolicy();
    const base = { policy, policyHash: hash };
    const bundleDigest = sha256Digest(JSON.stringify(bundleJson));
    // A message signature needs the bytes: a digest-only check is another outcome.
    const cacheKey = `${bundleDigest}|${subject.digest}|${
      subject.bytes ? 'bytes' : 'digest'
    }|${set.id}|${hash}`;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      return cached;
    }

    let bundle: Bundle;
    try {
      bundle = bundleFromJSON(bundleJson);
    } catch (error) {
      return {
        ...base,
        bundleDigest,
        outcome: 'unverified',
        reason: `malformed Sigstore bundle: ${(error as Error).message}`,
      };
    }
    const choice = this.deps.trustedRoots.choose(set, bundle);
    const result = this.check(bundle, subject, choice);
    const full: SignatureResult = {
      ...base,
      trustedRoot: 'trust' in choice ? choice.trust.id : undefined,
      bundleDigest,
      bundleMediaType: bundle.mediaType,
      bundleContent:
        bundle.content.$case === 'dsseEnvelope' ? 'dsse' : 'message',
      tlogIndex: firstTlogIndex(bundle),
      ...result,
    };
    // A root that could not be loaded may load next time: not cached.
    if (set.unavailable.length === 0) {
      if (this.cache.size >= CACHE_LIMIT) {
        this.cache.delete(this.cache.keys().next().value!);
      }
      this.cache.set(cacheKey, full);
    }
    return full;
  }

  private check(
    bundle: Bundle,
    subject: SignedSubject,
    choice: RootChoice,
  ): Partial<SignatureResult> & { outcome: VerificationOutcome } {
    const material = bundle.verificationMaterial.content;
    const keyBased = material.$case === 'publicKey';
    let certificate: CertificateFacts | undefined;
    if (material.$case !== 'publicKey') {
      try {
        const der =
          material.$case === 'certificate'
            ? material.certificate.rawBytes
            : material.x509CertificateChain.certificates[0].rawBytes;
        certificate = certificateFacts(X509Certificate.parse(Buffer.from(der)));
      } catch (error) {
        return {
          outcome: 'unverified',
          reason: `malformed signing certificate: ${(error as Error).message}`,
        };
      }
    }
    const identity = {
      keyBased,
      certificate,
      signerIdentity: keyBased
        ? `key:${(material as { publicKey: { hint: string } }).publicKey.hint}`
        : certificate?.subjectAlternativeName,
      signerIssuer: certificate?.issuer,
    };
    if (!('trust' in choice)) {
      return { ...identity, outcome: choice.outcome, reason: choice.reason };
    }
    const trust = choice.trust;

    // What the signature covers must be this artifact.
    let statement: InTotoStatement | undefined;
    if (bundle.content.$case === 'messageSignature') {
      const signed = bundle.content.messageSignature.messageDigest.digest;
      const signedDigest = `sha256:${Buffer.from(signed).toString('hex')}`;
      if (signedDigest !== subject.digest) {
        return {
          ...identity,
          outcome: 'failed',
          tampered: true,
          reason: `artifact ${subject.digest} does not match the signed digest ${signedDigest}`,
        };
      }
      if (!subject.bytes) {
        return {
          ...identity,
          outcome: 'unverified',
          reason:
            'a message signature signs the artifact bytes, which are not available to verify against',
        };
      }
    }

    try {
      const entity = toSignedEntity(bundle, subject.bytes);
      const verifier = keyBased ? trust.keyVerifier : trust.keylessVerifier;
      verifier.verify(entity);
    } catch (error) {
      const e = error as Error & { code?: string };
      const verdict =
        error instanceof VerificationError || error instanceof PolicyError;
      if (!verdict) {
        // Not a verdict on the bundle (e.g. an unparsable timestamp): fail closed as unverified.
        return {
          ...identity,
          outcome: 'unverified',
          reason: `could not verify the bundle: ${e.name}: ${e.message}`,
        };
      }
      if (e.code === 'SIGNATURE_ERROR') {
        return {
          ...identity,
          outcome: 'failed',
          tampered: false,
          reason: wrongKeyReason(bundle, keyBased, identity.signerIdentity),
        };
      }
      // The content no longer hashes to what the transparency log recorded.
      const changed =
        e.code === 'TLOG_BODY_ERROR' &&
        /(payload hash|digest) mismatch/.test(e.message);
      return {
        ...identity,
        outcome: 'failed',
        tampered: changed,
        reason: `${e.code ?? e.name}: ${e.message}${
          changed ? ': the signed content was changed after signing' : ''
        }`,
      };
    }

    if (bundle.content.$case === 'dsseEnvelope') {
      const envelope = bundle.content.dsseEnvelope;
      if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
        return {
          ...identity,
          outcome: 'failed',
          reason: `DSSE payloadType '${envelope.payloadType}' is not ${IN_TOTO_PAYLOAD_TYPE}`,
        };
      }
      try {
        statement = parseStatement(envelope.payload);
      } catch (error) {
        return {
          ...identity,
          outcome: 'failed',
          reason:
            error instanceof StatementError ? error.message : String(error),
        };
      }
      const subjects = subjectDigests(statement);
      if (!subjects.includes(subject.digest)) {
        return {
          ...identity,
          statement,
          outcome: 'failed',
          tampered: true,
          reason: `artifact ${
            subject.digest
          } is not a subject of the signed statement (subjects: ${
            subjects.join(', ') || 'none with sha256'
          })`,
        };
      }
    }

    const decision = keyBased
      ? this.deps.registry.matchKey(
          (material as { publicKey: { hint: string } }).publicKey.hint,
        )
      : this.deps.registry.matchCertificate({
          san: certificate?.subjectAlternativeName,
          issuer: certificate?.issuer,
        });
    if (!decision.ok) {
      return {
        ...identity,
        statement,
        registryEntry: decision.entryName,
        outcome: 'failed',
        reason: decision.reason,
      };
    }
    return {
      ...identity,
      statement,
      registryEntry: decision.entryName,
      outcome: 'verified',
    };
  }
}

/**
 * Why a signature that does not verify with the key or certificate its
 * bundle names failed. The digest and subject were compared before, so the
 * artifact is the one that was signed; with a transparency-log entry, whose
 * body was checked against the content, the signed content is unchanged
 * too: the signature was made with another key.
 */
function wrongKeyReason(
  bundle: Bundle,
  keyBased: boolean,
  signerIdentity: string | undefined,
): string {
  const key = keyBased
    ? `key '${signerIdentity?.replace(/^key:/, '')}' that the bundle names`
    : `the signing certificate of the bundle (${signerIdentity ?? 'no SAN'})`;
  return bundle.verificationMaterial.tlogEntries.length > 0
    ? `wrong key: the signature does not verify with ${key}, so it was made with another key (its transparency-log entry shows the signed content is unchanged)`
    : `wrong key or changed content: the signature does not verify with ${key}; without a transparency-log entry it cannot be told whether another key made it or the signed content was changed`;
}

function firstTlogIndex(bundle: Bundle): number | undefined {
  const index = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
  const n = index === undefined ? NaN : Number(index);
  return Number.isSafeInteger(n) ? n : undefined;
}
