import { X509Certificate } from '@sigstore/core';

/*
 * Fulcio's certificate extensions (1.3.6.1.4.1.57264.1.x). The workflow
 * controls the provenance predicate, not these: they are what ties a
 * signature to a repository and commit. Extensions .1–.6 are raw strings,
 * .8 and later DER UTF8Strings (sigstore-js's `certificateOIDs` compares raw
 * DER, so they are decoded here instead).
 */

export interface CertificateFacts {
  subjectAlternativeName?: string;
  issuer?: string;
  sourceRepositoryUri?: string;
  sourceRepositoryDigest?: string;
  sourceRepositoryRef?: string;
  buildSignerUri?: string;
  buildSignerDigest?: string;
  runnerEnvironment?: string;
  buildConfigUri?: string;
  buildTrigger?: string;
  runInvocationUri?: string;
  /** Legacy GitHub extensions, present on older certificates. */
  githubWorkflowRepository?: string;
  githubWorkflowSha?: string;
  githubWorkflowRef?: string;
}

const UTF8_EXTENSIONS: Record<string, keyof CertificateFacts> = {
  '1.3.6.1.4.1.57264.1.8': 'issuer',
  '1.3.6.1.4.1.57264.1.9': 'buildSignerUri',
  '1.3.6.1.4.1.57264.1.10': 'buildSignerDigest',
  '1.3.6.1.4.1.57264.1.11': 'runnerEnvironment',
  '1.3.6.1.4.1.57264.1.12': 'sourceRepositoryUri',
  '1.3.6.1.4.1.57264.1.13': 'sourceRepositoryDigest',
  '1.3.6.1.4.1.57264.1.14': 'sourceRepositoryRef',
  '1.3.6.1.4.1.57264.1.18': 'buildConfigUri',
  '1.3.6.1.4.1.57264.1.20': 'buildTrigger',
  '1.3.6.1.4.1.57264.1.21': 'runInvocationUri',
};

const RAW_EXTENSIONS: Record<string, keyof CertificateFacts> = {
  '1.3.6.1.4.1.57264.1.3': 'githubWorkflowSha',
  '1.3.6.1.4.1.57264.1.5': 'githubWorkflowRepository',
  '1.3.6.1.4.1.57264.1.6': 'githubWorkflowRef',
};

const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

/** Reads a DER UTF8String (tag 0x0c) with a short or long length. */
function decodeUtf8String(der: Buffer): string | undefined {
  if (der.length < 2 || der[0] !== 0x0c) {
    return undefined;
  }
  let length = der[1];
  let offset = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || der.length < 2 + bytes) {
      return undefined;
    }
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[2 + i];
    offset = 2 + bytes;
  }
  if (offset + length !== der.length) {
    return undefined;
  }
  return der.subarray(offset, offset + length).toString('utf8');
}

export function certificateFacts(cert: X509Certificate): CertificateFacts {
  const facts: CertificateFacts = {
    subjectAlternativeName: cert.subjectAltName,
  };
  for (const [oid, name] of Object.entries(UTF8_EXTENSIONS)) {
    const ext = cert.extension(oid);
    const value = ext ? decodeUtf8String(ext.value) : undefined;
    if (value !== undefined) facts[name] = value;
  }
  for (const [oid, name] of Object.entries(RAW_EXTENSIONS)) {
    const ext = cert.extension(oid);
    if (ext) facts[name] = ext.value.toString('utf8');
  }
  if (!facts.issuer) {
    const legacy = cert.extension(OID_ISSUER_V1);
    if (legacy) facts.issuer = legacy.value.toString('utf8');
  }
  return facts;
}
