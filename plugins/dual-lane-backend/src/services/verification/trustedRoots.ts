import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Bundle } from '@sigstore/bundle';
import { json as canonicalJson, X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import {
  toTrustMaterial,
  TrustMaterial,
  VerificationError,
  Verifier,
} from '@sigstore/verify';
import { Thresholds, TrustedRootConfig, TrustedRootSource } from './config';
import { IdentityRegistry } from './identityRegistry';
import { ensurePrivateDirectory } from './privateDirectory';

/** A loaded trusted root with its two verifiers, built once and reused. */
export interface LoadedTrust {
  /** The configured name, e.g. `public-good` or `github`. */
  name: string;
  /** Where the root came from and its content digest, e.g. `file:/etc/trusted_root.json#sha256:…`. */
  id: string;
  material: TrustMaterial;
  keylessVerifier: Verifier;
  keyVerifier: Verifier;
  keyless: Thresholds;
  keyBased: Thresholds;
}

/** The trusted root could not be loaded: verifications are "unverified", never "verified". */
export class TrustedRootUnavailableError extends Error {
  name = 'TrustedRootUnavailableError';
}

/** The roots configured, as they are now: loaded ones and why others are not. */
export interface TrustSet {
  loaded: LoadedTrust[];
  unavailable: Array<{ name: string; error: TrustedRootUnavailableError }>;
  /** Changes whenever a root is loaded, refreshed or lost. */
  id: string;
}

/** One root of the policy: its name, id and thresholds. */
export interface TrustedRootSummary {
  name: string;
  id: string;
  keyless: Thresholds;
  keyBased: Thresholds;
}

/** Which root a bundle belongs to, or why none does. */
export type RootChoice =
  | { trust: LoadedTrust }
  | { outcome: 'failed' | 'unverified'; reason: string };

const RETRY_AFTER_FAILURE_MS = 60_000;
const TUF_REFRESH_MS = 6 * 60 * 60 * 1000;

export function sourceIdOf(source: TrustedRootSource): string {
  return source.type === 'file'
    ? `file:${source.path}`
    : `tuf:${source.mirrorUrl}`;
}

/**
 * One trusted root, loaded once (a `trusted_root.json` file, or a root
 * through TUF) with its verifiers: building a verifier per call costs a
 * TUF round and ~3x the time per verification. A TUF root is refreshed
 * every six hours; a failure is remembered for a minute so a dead mirror is
 * not hammered, and a root that loaded before stays usable meanwhile.
 */
class TrustedRootLoader {
  private loaded?: { trust: LoadedTrust; at: number };
  private failure?: { error: TrustedRootUnavailableError; at: number };
  private loading?: Promise<LoadedTrust>;

  constructor(
    readonly config: TrustedRootConfig,
    private readonly options: {
      registry: IdentityRegistry;
      logger?: LoggerService;
      loadRoot?: (root: TrustedRootConfig) => Promise<unknown>;
    },
  ) {}

  get sourceId(): string {
    return sourceIdOf(this.config.source);
  }

  /** The id of the loaded root, or the source alone before it loaded. */
  get currentId(): string {
    return this.loaded?.trust.id ?? this.sourceId;
  }

  get everLoaded(): boolean {
    return this.loaded !== undefined;
  }

  async get(): Promise<LoadedTrust> {
    const now = Date.now();
    const { source } = this.config;
    if (
      this.loaded &&
      (source.type === 'file' || now - this.loaded.at < TUF_REFRESH_MS)
    ) {
      return this.loaded.trust;
    }
    if (this.failure && now - this.failure.at < RETRY_AFTER_FAILURE_MS) {
      if (this.loaded) return this.loaded.trust;
      throw this.failure.error;
    }
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    try {
      return await this.loading;
    } catch (error) {
      // A stale TUF root stays usable until the refresh succeeds.
      if (this.loaded) return this.loaded.trust;
      throw error;
    }
  }

  private async readRootJson(): Promise<unknown> {
    const { source } = this.config;
    if (this.options.loadRoot) {
      return this.options.loadRoot(this.config);
    }
    if (source.type === 'file') {
      return JSON.parse(await fs.readFile(source.path, 'utf8'));
    }
    // The cache is trusted as the root's state: it must be ours alone.
    await ensurePrivateDirectory(source.cachePath);
    const root = await getTrustedRoot({
      mirrorURL: source.mirrorUrl,
      cachePath: source.cachePath,
      rootPath: source.rootPath,
      forceCache: source.forceCache,
    });
    return TrustedRoot.toJSON(root);
  }

  private fail(message: string): TrustedRootUnavailableError {
    const failure = new TrustedRootUnavailableError(message);
    this.failure = { error: failure, at: Date.now() };
    this.options.logger?.warn(failure.message);
    return failure;
  }

  private async load(): Promise<LoadedTrust> {
    let json: unknown;
    try {
      json = await this.readRootJson();
    } catch (error) {
      const e = error as Error & { code?: string };
      throw this.fail(
        `trusted root unavailable from ${this.sourceId}: ${
          e.code ? `${e.code}: ` : ''
        }${e.message}`,
      );
    }
    try {
      const root = TrustedRoot.fromJSON(json);
      const { registry } = this.options;
      const keyFinder = (hint: string) => {
        const key = registry.keyForHint(hint);
        if (!key) {
          throw new VerificationError({
            code: 'PUBLIC_KEY_ERROR',
            message: `key not found: ${hint}`,
          });
        }
        // Lifecycle (revoked, expired) is decided by the registry afterwards,
        // so the failure can name the key.
        return { publicKey: key.publicKey, validFor: () => true };
      };
      const material = toTrustMaterial(root, keyFinder);
      const digest = crypto
        .createHash('sha256')
        .update(canonicalJson.canonicalize(json))
        .digest('hex');
      const trust: LoadedTrust = {
        name: this.config.name,
        id: `${this.sourceId}#sha256:${digest.slice(0, 16)}`,
        material,
        keylessVerifier: new Verifier(material, this.config.keyless),
        keyVerifier: new Verifier(material, this.config.keyBased),
        keyless: this.config.keyless,
        keyBased: this.config.keyBased,
      };
      this.loaded = { trust, at: Date.now() };
      this.failure = undefined;
      return trust;
    } catch (error) {
      throw this.fail(
        `trusted root from ${this.sourceId} is malformed: ${
          (error as Error).message
        }`,
      );
    }
  }
}

/**
 * The configured trusted roots (e.g. Sigstore's public-good instance and
 * GitHub's own, which signs private repositories' attestations without a
 * transparency log), each with its thresholds. A bundle is verified
 * against the root it belongs to: the one whose certificate authority
 * issued its signing certificate, or for a key-based bundle the one whose
 * transparency log holds its entry.
 */
export class TrustedRoots {
  private readonly loaders: TrustedRootLoader[];

  constructor(options: {
    roots: TrustedRootConfig[];
    registry: IdentityRegistry;
    logger?: LoggerService;
    /** For tests and demos: how to get a root instead of its file or TUF. */
    loadRoot?: (root: TrustedRootConfig) => Promise<unknown>;
  }) {
    this.loaders = options.roots.map(
      root => new TrustedRootLoader(root, options),
    );
  }

  /** The roots of the policy, with the id each has now. */
  summaries(): TrustedRootSummary[] {
    return this.loaders.map(l => ({
      name: l.config.name,
      id: l.currentId,
      keyless: l.config.keyless,
      keyBased: l.config.keyBased,
    }));
  }

  /** Roots that never loaded: a policy hash computed now would be a placeholder for them. */
  neverLoaded(): string[] {
    return this.loaders.filter(l => !l.everLoaded).map(l => l.config.name);
  }

  /** Loads (or refreshes) every root; never throws. */
  async get(): Promise<TrustSet> {
    const results = await Promise.all(
      this.loaders.map(l =>
        l.get().then(
          trust => ({ trust }),
          error => ({ name: l.config.name, error }),
        ),
      ),
    );
    const loaded: LoadedTrust[] = [];
    const unavailable: TrustSet['unavailable'] = [];
    for (const r of results) {
      if ('trust' in r) loaded.push(r.trust);
      else
        unavailable.push({
          name: r.name,
          error:
            r.error instanceof TrustedRootUnavailableError
              ? r.error
              : new TrustedRootUnavailableError(String(r.error)),
        });
    }
    return {
      loaded,
      unavailable,
      id: this.summaries()
        .map(s => `${s.name}=${s.id}`)
        .join(' '),
    };
  }

  /** The root a bundle belongs to (see the class comment). */
  choose(set: TrustSet, bundle: Bundle): RootChoice {
    const material = bundle.verificationMaterial.content;
    const unavailable = () =>
      set.unavailable.map(u => u.error.message).join('; ');
    if (material.$case !== 'publicKey') {
      let leaf: X509Certificate;
      try {
        const der =
          material.$case === 'certificate'
            ? material.certificate.rawBytes
            : material.x509CertificateChain.certificates[0].rawBytes;
        leaf = X509Certificate.parse(Buffer.from(der));
      } catch (error) {
        return {
          outcome: 'unverified',
          reason: `malformed signing certificate: ${(error as Error).message}`,
        };
      }
      const trust = set.loaded.find(t => issuedBy(leaf, t.material));
      if (trust) return { trust };
      if (set.unavailable.length > 0) {
        return { outcome: 'unverified', reason: unavailable() };
      }
      return {
        outcome: 'failed',
        reason: `untrusted certificate authority: the signing certificate was issued by no certificate authority of the trusted roots (${set.loaded
          .map(t => t.name)
          .join(', ')})`,
      };
    }
    const logIds = bundle.verificationMaterial.tlogEntries
      .filter(e => e.logId)
      .map(e => Buffer.from(e.logId!.keyId));
    const trust =
      logIds.length > 0
        ? set.loaded.find(t =>
            t.material.tlogs.some(log =>
              logIds.some(id => id.equals(log.logID)),
            ),
          )
        : set.loaded.find(t => t.keyBased.tlogThreshold === 0);
    if (trust) return { trust };
    if (set.unavailable.length > 0) {
      return { outcome: 'unverified', reason: unavailable() };
    }
    // None fits: the first root's verifier says why (unknown log, threshold).
    return set.loaded[0]
      ? { trust: set.loaded[0] }
      : { outcome: 'unverified', reason: 'no trusted root is configured' };
  }
}

/** Whether one of the root's certificate authorities signed the certificate. */
function issuedBy(leaf: X509Certificate, material: TrustMaterial): boolean {
  return material.certificateAuthorities.some(ca =>
    ca.certChain.some(cert => {
      if (!leaf.issuer.equals(cert.subject)) return false;
      try {
        return leaf.verify(cert);
      } catch {
        return false;
      }
    }),
  );
}
