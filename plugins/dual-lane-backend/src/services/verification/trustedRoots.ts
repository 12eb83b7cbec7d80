import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { json as canonicalJson } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { toTrustMaterial, Verifier, VerificationError } from '@sigstore/verify';
import { Thresholds, TrustedRootSource } from './config';
import { IdentityRegistry } from './identityRegistry';

/** A loaded trusted root with its two verifiers, built once and reused. */
export interface LoadedTrust {
  /** Where the root came from and its content digest, e.g. `file:/etc/trusted_root.json#sha256:…`. */
  id: string;
  keylessVerifier: Verifier;
  keyVerifier: Verifier;
}

/** The trusted root could not be loaded: verifications are "unverified", never "verified". */
export class TrustedRootUnavailableError extends Error {
  name = 'TrustedRootUnavailableError';
}

const RETRY_AFTER_FAILURE_MS = 60_000;
const TUF_REFRESH_MS = 6 * 60 * 60 * 1000;

/**
 * Loads the trusted root once (a `trusted_root.json` file, or the
 * public-good root through TUF) and builds the verifiers from it: building
 * a verifier per call costs a TUF round and ~3x the time per verification.
 * A TUF root is refreshed every six hours; a failure is remembered for a
 * minute so a dead mirror is not hammered.
 */
export class TrustedRoots {
  private loaded?: { trust: LoadedTrust; at: number };
  private failure?: { error: TrustedRootUnavailableError; at: number };
  private loading?: Promise<LoadedTrust>;

  constructor(
    private readonly options: {
      source: TrustedRootSource;
      keyless: Thresholds;
      keyBased: Thresholds;
      registry: IdentityRegistry;
      logger?: LoggerService;
      /** For tests: how to get the root instead of the file/TUF. */
      loadRoot?: () => Promise<unknown>;
    },
  ) {}

  /** A short description of the source, for the policy when no root is loaded. */
  get sourceId(): string {
    const { source } = this.options;
    return source.type === 'file'
      ? `file:${source.path}`
      : `tuf:${source.mirrorUrl}`;
  }

  /** The id of the loaded root, or the source alone before it loaded. */
  get currentId(): string {
    return this.loaded?.trust.id ?? this.sourceId;
  }

  async get(): Promise<LoadedTrust> {
    const now = Date.now();
    const { source } = this.options;
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
    const { source } = this.options;
    if (this.options.loadRoot) {
      return this.options.loadRoot();
    }
    if (source.type === 'file') {
      return JSON.parse(await fs.readFile(source.path, 'utf8'));
    }
    const root = await getTrustedRoot({
      mirrorURL: source.mirrorUrl,
      cachePath: source.cachePath,
      rootPath: source.rootPath,
      forceCache: source.forceCache,
    });
    return TrustedRoot.toJSON(root);
  }

  private async load(): Promise<LoadedTrust> {
    let json: unknown;
    try {
      json = await this.readRootJson();
    } catch (error) {
      const e = error as Error & { code?: string };
      const failure = new TrustedRootUnavailableError(
        `trusted root unavailable from ${this.sourceId}: ${
          e.code ? `${e.code}: ` : ''
        }${e.message}`,
      );
      this.failure = { error: failure, at: Date.now() };
      this.options.logger?.warn(failure.message);
      throw failure;
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
        id: `${this.sourceId}#sha256:${digest.slice(0, 16)}`,
        keylessVerifier: new Verifier(material, this.options.keyless),
        keyVerifier: new Verifier(material, this.options.keyBased),
      };
      this.loaded = { trust, at: Date.now() };
      this.failure = undefined;
      return trust;
    } catch (error) {
      const failure = new TrustedRootUnavailableError(
        `trusted root from ${this.sourceId} is malformed: ${
          (error as Error).message
        }`,
      );
      this.failure = { error: failure, at: Date.now() };
      throw failure;
    }
  }
}
