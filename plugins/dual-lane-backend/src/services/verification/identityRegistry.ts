import crypto from 'node:crypto';
import { json as canonicalJson } from '@sigstore/core';
import {
  BuildTypeEntry,
  BuilderEntry,
  IdentityEntry,
  KeyEntry,
  Thresholds,
  VerificationConfig,
} from './config';

export type SignerDecision =
  | { ok: true; entryName: string }
  | { ok: false; entryName?: string; reason: string };

/** The verification policy in force, as stored with each verification. */
export interface VerificationPolicy {
  /** The ids of the trusted roots, `name=id` each. */
  trustedRoot: string;
  /** Each trusted root with the thresholds its bundles are verified with. */
  trustedRoots: Array<{
    name: string;
    id: string;
    keyless: Thresholds;
    keyBased: Thresholds;
  }>;
  identities: Array<{
    name: string;
    issuer: string;
    subject?: string;
    subjectPattern?: string;
    expiresAt?: string;
  }>;
  keys: Array<{ name: string; keyId: string; expiresAt?: string }>;
  builders: Array<{ id: string; slsaLevel: number }>;
  buildTypes: BuildTypeEntry[];
}

/**
 * The registry of who may sign: keyless identities (issuer + SAN) and
 * public keys, each approved or revoked and optionally expiring. A revoked
 * or expired entry still identifies its signer, so the failure names it.
 */
export class IdentityRegistry {
  private readonly keysByHint = new Map<string, KeyEntry>();

  constructor(
    private readonly config: Pick<
      VerificationConfig,
      'identities' | 'keys' | 'builders' | 'buildTypes'
    >,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const key of config.keys) {
      this.keysByHint.set(key.name, key);
      this.keysByHint.set(key.keyId, key);
    }
  }

  get builders(): BuilderEntry[] {
    return this.config.builders;
  }

  get buildTypes(): BuildTypeEntry[] {
    return this.config.buildTypes;
  }

  /** The configured key a bundle's hint names (by name or key id). */
  keyForHint(hint: string): KeyEntry | undefined {
    return this.keysByHint.get(hint);
  }

  private lifecycle(entry: {
    status: string;
    expiresAt?: string;
    revokedReason?: string;
  }): string | undefined {
    if (entry.status === 'revoked') {
      return `revoked${entry.revokedReason ? `: ${entry.revokedReason}` : ''}`;
    }
    if (entry.expiresAt && new Date(entry.expiresAt) <= this.now()) {
      return `expired at ${entry.expiresAt}`;
    }
    return undefined;
  }

  /** Decides whether a certificate's issuer and SAN belong to an approved identity. */
  matchCertificate(identity: {
    san?: string;
    issuer?: string;
  }): SignerDecision {
    const { san, issuer } = identity;
    if (!san || !issuer) {
      return {
        ok: false,
        reason: `certificate has no ${
          san ? 'OIDC issuer extension' : 'subject alternative name'
        }`,
      };
    }
    const sameIssuer = this.config.identities.filter(e => e.issuer === issuer);
    if (sameIssuer.length === 0) {
      const allowed = [...new Set(this.config.identities.map(e => e.issuer))];
      return {
        ok: false,
        reason: `wrong issuer: certificate issuer '${issuer}' is not an allowed OIDC issuer (allowed: ${
          allowed.length ? allowed.join(', ') : 'none configured'
        })`,
      };
    }
    const matching = sameIssuer.filter(e => e.matcher.test(san));
    if (matching.length === 0) {
      return {
        ok: false,
        reason: `wrong identity: certificate identity '${san}' matches no allowed identity of issuer '${issuer}' (${sameIssuer
          .map(describe)
          .join(', ')})`,
      };
    }
    const approved = matching.find(e => this.lifecycle(e) === undefined);
    if (approved) {
      return { ok: true, entryName: approved.name };
    }
    const entry = matching[0];
    return {
      ok: false,
      entryName: entry.name,
      reason: `signer identity '${entry.name}' (${san}) was ${this.lifecycle(
        entry,
      )}`,
    };
  }

  /** Decides whether the key a bundle names is configured and in force. */
  matchKey(hint: string): SignerDecision {
    const key = this.keysByHint.get(hint);
    if (!key) {
      return {
        ok: false,
        reason: `unknown key: no configured public key has the name or key id '${hint}'`,
      };
    }
    const lifecycle = this.lifecycle(key);
    if (lifecycle) {
      return {
        ok: false,
        entryName: key.name,
        reason: `signing key '${key.name}' was ${lifecycle}`,
      };
    }
    return { ok: true, entryName: key.name };
  }

  /** Whether a registry entry (identity or key) is in force now. */
  isInForce(entryName: string): boolean {
    const entry =
      this.config.identities.find(e => e.name === entryName) ??
      this.config.keys.find(k => k.name === entryName);
    return entry !== undefined && this.lifecycle(entry) === undefined;
  }

  /**
   * The policy in force now and its hash. Only approved, unexpired entries
   * are part of it, so a revocation or an expiry changes the hash and makes
   * the stored verifications stale.
   */
  policy(roots: VerificationPolicy['trustedRoots']): {
    policy: VerificationPolicy;
    hash: string;
  } {
    const policy: VerificationPolicy = {
      trustedRoot: roots.map(r => `${r.name}=${r.id}`).join(' '),
      trustedRoots: roots,
      identities: this.config.identities
        .filter(e => this.lifecycle(e) === undefined)
        .map(e => ({
          name: e.name,
          issuer: e.issuer,
          ...(e.subject !== undefined ? { subject: e.subject } : {}),
          ...(e.subjectPattern !== undefined
            ? { subjectPattern: e.subjectPattern }
            : {}),
          ...(e.expiresAt ? { expiresAt: e.expiresAt } : {}),
        })),
      keys: this.config.keys
        .filter(k => this.lifecycle(k) === undefined)
        .map(k => ({
          name: k.name,
          keyId: k.keyId,
          ...(k.expiresAt ? { expiresAt: k.expiresAt } : {}),
        })),
      builders: this.config.builders.map(b => ({
        id: b.id,
        slsaLevel: b.slsaLevel,
      })),
      buildTypes: this.config.buildTypes.map(t => ({
        buildType: t.buildType,
        externalParameters: t.externalParameters,
      })),
    };
    const hash = crypto
      .createHash('sha256')
      .update(canonicalJson.canonicalize(policy))
      .digest('hex');
    return { policy, hash: `sha256:${hash}` };
  }
}

function describe(e: IdentityEntry): string {
  return `${e.name}: ${e.subject ?? e.subjectPattern}`;
}
