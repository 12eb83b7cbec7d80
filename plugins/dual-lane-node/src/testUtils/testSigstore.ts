import crypto from 'node:crypto';
import {
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
} from '@sigstore/mock';
import { Bundle, bundleToJSON, SerializedBundle } from '@sigstore/bundle';
import { json as canonicalJson } from '@sigstore/core';
import {
  HashAlgorithm,
  PublicKeyDetails,
  TrustedRoot,
} from '@sigstore/protobuf-specs';
import {
  DSSEBundleBuilder,
  MessageSignatureBundleBuilder,
  Signature,
  SignatureBundle,
  Signer,
  VerificationMaterial,
  Witness,
} from '@sigstore/sign';

/*
 * A private Sigstore instance made at test time: a Fulcio-like CA (with a
 * CT log), a Rekor-like transparency log and an RFC 3161 timestamp
 * authority, all in process, no network. Bundles it makes are real: every
 * signature, SCT, signed entry timestamp, inclusion proof and timestamp is
 * computed, so a verifier checks them exactly as it checks public-good ones.
 *
 * Also used to sign demo data against a demo trusted root: write
 * `trustedRootJSON` to a `trusted_root.json` and point
 * `dualLane.verification.trustedRootPath` at it.
 */

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Fulcio's certificate extensions (1.3.6.1.4.1.57264.1.x) as GitHub Actions sets them. */
export interface FulcioExtensions {
  /** 1.3.6.1.4.1.57264.1.12, e.g. `https://github.com/acme/widget` */
  sourceRepositoryUri?: string;
  /** 1.3.6.1.4.1.57264.1.13, the commit */
  sourceRepositoryDigest?: string;
  /** 1.3.6.1.4.1.57264.1.14, e.g. `refs/heads/main` */
  sourceRepositoryRef?: string;
  /** 1.3.6.1.4.1.57264.1.9, the workflow that signed */
  buildSignerUri?: string;
  /** 1.3.6.1.4.1.57264.1.11, `github-hosted` | `self-hosted` */
  runnerEnvironment?: string;
  /** 1.3.6.1.4.1.57264.1.18 */
  buildConfigUri?: string;
  /** 1.3.6.1.4.1.57264.1.21 */
  runInvocationUri?: string;
  /** Legacy 1.3.6.1.4.1.57264.1.5 (raw string), e.g. `acme/widget` */
  githubWorkflowRepository?: string;
  /** Legacy 1.3.6.1.4.1.57264.1.3 (raw string), the commit */
  githubWorkflowSha?: string;
}

const EXTENSION_OIDS: Record<keyof FulcioExtensions, string> = {
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
  githubWorkflowRepository: '1.3.6.1.4.1.57264.1.5',
  githubWorkflowSha: '1.3.6.1.4.1.57264.1.3',
};
/** Extensions written as raw strings, as Fulcio wrote its first ones. */
const LEGACY_EXTENSIONS = new Set<keyof FulcioExtensions>([
  'githubWorkflowRepository',
  'githubWorkflowSha',
]);
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

export type BundleVersion = '0.1' | '0.2' | '0.3';

interface WitnessOptions {
  /** Log the signature in the transparency log (default true). */
  tlog?: boolean;
  /** Add an RFC 3161 timestamp (default false). */
  timestamp?: boolean;
  /** The bundle media type version to write (default 0.3). */
  bundleVersion?: BundleVersion;
}

export interface KeylessSignOptions extends WitnessOptions {
  /** The payload: an in-toto statement for DSSE, the artifact for a message signature. */
  payload: Buffer;
  /** DSSE payload type (default the in-toto type); ignored for message signatures. */
  payloadType?: string;
  /** The certificate's SAN: a URI (workflow identity) or an e-mail address. */
  identity: string;
  /** The OIDC issuer written to the certificate. */
  issuer: string;
  extensions?: FulcioExtensions;
  /** `dsse` (attestation, default) or `message` (cosign sign-blob). */
  kind?: 'dsse' | 'message';
}

export interface KeySignOptions extends WitnessOptions {
  payload: Buffer;
  payloadType?: string;
  /** The signing key (an EC P-256 private key). */
  privateKey: crypto.KeyObject;
  /** The public key's hint written to the bundle (how the verifier picks the key). */
  hint: string;
  kind?: 'dsse' | 'message';
}

export interface TestKeyPair {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  publicKeyPem: string;
}

export interface TestSigstore {
  /** The trusted root as the protobuf message `@sigstore/verify` takes. */
  trustedRoot: TrustedRoot;
  /** The same, serialised as a `trusted_root.json` file holds it. */
  trustedRootJSON: Record<string, unknown>;
  signKeyless(options: KeylessSignOptions): Promise<SerializedBundle>;
  signWithKey(options: KeySignOptions): Promise<SerializedBundle>;
  createKeyPair(): TestKeyPair;
}

export interface TestSigstoreOptions {
  /** Start of the trusted root's validity (default one hour ago). */
  validFrom?: Date;
}

const MEDIA_TYPES: Record<BundleVersion, string> = {
  '0.1': 'application/vnd.dev.sigstore.bundle+json;version=0.1',
  '0.2': 'application/vnd.dev.sigstore.bundle+json;version=0.2',
  '0.3': 'application/vnd.dev.sigstore.bundle.v0.3+json',
};

export function createTestKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join(
    '\n',
  )}\n-----END ${label}-----\n`;
}

/** Builds the mock instance and returns its trusted root and signing functions. */
export async function createTestSigstore(
  options: TestSigstoreOptions = {},
): Promise<TestSigstore> {
  const validFrom = options.validFrom ?? new Date(Date.now() - 60 * 60 * 1000);
  const caKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ctKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tlogKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tsaKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // The mock TSA reads this Date on every request: it is set to the current
  // whole second first, because @sigstore/core rejects fractional seconds.
  const tsaClock = new Date();

  const ctlog = await initializeCTLog(ctKeys);
  const ca = await initializeCA(caKeys, ctlog);
  const tlog = await initializeTLog('https://rekor.dual-lane.test', tlogKeys);
  const tsa = await initializeTSA(tsaKeys, tsaClock);

  const trustedRoot: TrustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://rekor.dual-lane.test',
        hashAlgorithm: HashAlgorithm.SHA2_256,
        publicKey: {
          rawBytes: tlog.publicKey,
          keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
          validFor: { start: validFrom, end: undefined },
        },
        logId: {
          keyId: crypto.createHash('sha256').update(tlog.publicKey).digest(),
        },
        checkpointKeyId: undefined,
        operator: 'dual-lane.test',
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: 'https://fulcio.dual-lane.test',
        certChain: {
          certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer) }],
        },
        validFor: { start: validFrom, end: undefined },
        operator: 'dual-lane.test',
      },
    ],
    ctlogs: [
      {
        baseUrl: 'https://ctfe.dual-lane.test',
        hashAlgorithm: HashAlgorithm.SHA2_256,
        publicKey: {
          rawBytes: ctlog.publicKey,
          keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
          validFor: { start: validFrom, end: undefined },
        },
        logId: { keyId: Buffer.from(ctlog.logID.buffer) },
        checkpointKeyId: undefined,
        operator: 'dual-lane.test',
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: 'https://tsa.dual-lane.test',
        certChain: {
          certificates: [
            { rawBytes: Buffer.from(tsa.intCertificate.buffer) },
            { rawBytes: Buffer.from(tsa.rootCertificate.buffer) },
          ],
        },
        validFor: { start: validFrom, end: undefined },
        operator: 'dual-lane.test',
      },
    ],
  };

  const tlogWitness: Witness = {
    async testify(content: SignatureBundle, publicKey: string) {
      const proposed = proposedEntry(content, publicKey);
      const logged = await tlog.log(proposed);
      const entry = Object.values(logged)[0] as any;
      return { tlogEntries: [toTlogEntry(entry)] };
    },
  };
  const tsaWitness: Witness = {
    async testify(content: SignatureBundle): Promise<VerificationMaterial> {
      const signature =
        content.$case === 'dsseEnvelope'
          ? content.dsseEnvelope.signatures[0].sig
          : content.messageSignature.signature;
      tsaClock.setTime(Math.floor(Date.now() / 1000) * 1000);
      const signedTimestamp = await tsa.timestamp({
        artifactHash: crypto.createHash('sha256').update(signature).digest(),
        hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
        nonce: crypto.randomInt(1_000_000),
        policyOID: '1.2.3.4',
      });
      return {
        rfc3161Timestamps: [
          { signedTimestamp: Buffer.from(signedTimestamp.buffer) },
        ],
      };
    },
  };

  async function build(
    signer: Signer,
    opts: WitnessOptions & {
      payload: Buffer;
      payloadType?: string;
      kind?: 'dsse' | 'message';
    },
  ): Promise<SerializedBundle> {
    const witnesses: Witness[] = [];
    if (opts.tlog ?? true) witnesses.push(tlogWitness);
    if (opts.timestamp) witnesses.push(tsaWitness);
    const version = opts.bundleVersion ?? '0.3';
    const builder =
      (opts.kind ?? 'dsse') === 'dsse'
        ? new DSSEBundleBuilder({
            signer,
            witnesses,
            certificateChain: version !== '0.3',
          })
        : new MessageSignatureBundleBuilder({ signer, witnesses });
    const bundle = await builder.create({
      data: opts.payload,
      type: opts.payloadType ?? IN_TOTO_PAYLOAD_TYPE,
    });
    return withVersion(bundle, version);
  }

  return {
    trustedRoot,
    trustedRootJSON: TrustedRoot.toJSON(trustedRoot) as Record<string, unknown>,
    createKeyPair: createTestKeyPair,
    async signKeyless(opts) {
      const ephemeral = crypto.generateKeyPairSync('ec', {
        namedCurve: 'P-256',
      });
      const extensions = [
        { oid: OID_ISSUER_V1, value: opts.issuer, legacy: true },
        { oid: OID_ISSUER_V2, value: opts.issuer },
        ...Object.entries(opts.extensions ?? {}).map(([name, value]) => ({
          oid: EXTENSION_OIDS[name as keyof FulcioExtensions],
          value: String(value),
          ...(LEGACY_EXTENSIONS.has(name as keyof FulcioExtensions)
            ? { legacy: true }
            : {}),
        })),
      ];
      const certificate = await ca.issueCertificate({
        publicKey: ephemeral.publicKey.export({ format: 'der', type: 'spki' }),
        subjectAltName: opts.identity,
        extensions,
      });
      const certificatePem = toPem(Buffer.from(certificate.buffer));
      const signer: Signer = {
        async sign(data: Buffer): Promise<Signature> {
          return {
            signature: crypto.sign('sha256', data, ephemeral.privateKey),
            key: { $case: 'x509Certificate', certificate: certificatePem },
          };
        },
      };
      return build(signer, opts);
    },
    async signWithKey(opts) {
      const publicKeyPem = crypto
        .createPublicKey(opts.privateKey)
        .export({ format: 'pem', type: 'spki' })
        .toString();
      const signer: Signer = {
        async sign(data: Buffer): Promise<Signature> {
          return {
            signature: crypto.sign('sha256', data, opts.privateKey),
            key: {
              $case: 'publicKey',
              publicKey: publicKeyPem,
              hint: opts.hint,
            },
          };
        },
      };
      return build(signer, opts);
    },
  };
}

/*
 * Rekor v1 entries as Rekor writes them: `intoto` v0.0.2 for DSSE (the mock
 * echoes `dsse` entries un-canonicalised, which fails verification) and
 * `hashedrekord` v0.0.1 for message signatures.
 */
function proposedEntry(content: SignatureBundle, publicKeyPem: string) {
  const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
  if (content.$case === 'messageSignature') {
    return {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: {
          hash: {
            algorithm: 'sha256',
            value:
              content.messageSignature.messageDigest!.digest.toString('hex'),
          },
        },
        signature: {
          content: content.messageSignature.signature.toString('base64'),
          publicKey: { content: b64(publicKeyPem) },
        },
      },
    };
  }
  const envelope = content.dsseEnvelope;
  const signature = envelope.signatures[0];
  const envelopeForHash: Record<string, unknown> = {
    payloadType: envelope.payloadType,
    payload: envelope.payload.toString('base64'),
    signatures: [
      {
        sig: signature.sig.toString('base64'),
        publicKey: publicKeyPem,
        ...(signature.keyid ? { keyid: signature.keyid } : {}),
      },
    ],
  };
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          payloadType: envelope.payloadType,
          payload: b64(envelope.payload.toString('base64')),
          signatures: [
            {
              sig: b64(signature.sig.toString('base64')),
              publicKey: b64(publicKeyPem),
              ...(signature.keyid ? { keyid: signature.keyid } : {}),
            },
          ],
        },
        hash: {
          algorithm: 'sha256',
          value: crypto
            .createHash('sha256')
            .update(canonicalJson.canonicalize(envelopeForHash))
            .digest('hex'),
        },
        payloadHash: {
          algorithm: 'sha256',
          value: crypto
            .createHash('sha256')
            .update(envelope.payload)
            .digest('hex'),
        },
      },
    },
  };
}

function toTlogEntry(entry: {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof: {
      logIndex: number;
      treeSize: number;
      rootHash: string;
      hashes: string[];
      checkpoint: string;
    };
  };
}) {
  const body = JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8'));
  const proof = entry.verification.inclusionProof;
  return {
    logIndex: String(entry.logIndex),
    logId: { keyId: Buffer.from(entry.logID, 'hex') },
    integratedTime: String(entry.integratedTime),
    kindVersion: { kind: body.kind, version: body.apiVersion },
    inclusionPromise: {
      signedEntryTimestamp: Buffer.from(
        entry.verification.signedEntryTimestamp,
        'base64',
      ),
    },
    inclusionProof: {
      logIndex: String(proof.logIndex),
      treeSize: String(proof.treeSize),
      rootHash: Buffer.from(proof.rootHash, 'hex'),
      hashes: proof.hashes.map(h => Buffer.from(h, 'hex')),
      checkpoint: { envelope: proof.checkpoint },
    },
    canonicalizedBody: Buffer.from(entry.body, 'base64'),
  };
}

/*
 * Writes the bundle as the given media type version: v0.1 carries an
 * inclusion promise only, v0.2 adds the proof, both with a certificate chain;
 * v0.3 has a single certificate.
 */
function withVersion(bundle: Bundle, version: BundleVersion): SerializedBundle {
  const json = bundleToJSON({ ...bundle, mediaType: MEDIA_TYPES[version] });
  const material = json.verificationMaterial as Record<string, any>;
  if (version === '0.3' && material.x509CertificateChain) {
    material.certificate = material.x509CertificateChain.certificates[0];
    delete material.x509CertificateChain;
  }
  if (version === '0.1') {
    for (const entry of json.verificationMaterial.tlogEntries) {
      delete (entry as { inclusionProof?: unknown }).inclusionProof;
    }
  }
  return json;
}
