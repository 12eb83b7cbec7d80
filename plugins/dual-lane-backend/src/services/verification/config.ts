import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/*
 * `dualLane.verification`: where trust comes from (trusted root, signer
 * identities, public keys, builders) and how much untrusted input is read.
 * Every key is documented, with its default, in the package README.
 */

export const DEFAULT_TUF_MIRROR_URL = 'https://tuf-repo-cdn.sigstore.dev';

export interface Thresholds {
  tlogThreshold: number;
  ctlogThreshold: number;
  timestampThreshold: number;
}

export type LifecycleStatus = 'approved' | 'revoked';

/** One keyless signer identity: an OIDC issuer and a certificate SAN. */
export interface IdentityEntry {
  name: string;
  issuer: string;
  /** Exact SAN. */
  subject?: string;
  /** SAN glob: `*` matches within a path segment, `**` across segments. */
  subjectPattern?: string;
  status: LifecycleStatus;
  expiresAt?: string;
  revokedReason?: string;
  /** The anchored, escaped form of subject / subjectPattern. */
  matcher: RegExp;
}

/** One public key for key-based (cosign key pair) bundles. */
export interface KeyEntry {
  name: string;
  /** sha256 hex of the SubjectPublicKeyInfo DER: a bundle's hint may name it. */
  keyId: string;
  publicKey: crypto.KeyObject;
  status: LifecycleStatus;
  expiresAt?: string;
  revokedReason?: string;
}

/** A builder id allowed in provenance, with the SLSA build level it provides. */
export interface BuilderEntry {
  id: string;
  slsaLevel: number;
  matcher: RegExp;
}

/**
 * An SLSA v1 build type whose `externalParameters` are known: provenance
 * of any other build type fails, as do parameters not listed here.
 */
export interface BuildTypeEntry {
  buildType: string;
  externalParameters: string[];
}

export interface ArchiveLimits {
  maxCompressedBytes: number;
  maxUncompressedBytes: number;
  maxEntries: number;
  /** Uncompressed : compressed, checked once past `ratioFloorBytes`. */
  maxCompressionRatio: number;
  ratioFloorBytes: number;
}

export interface VerificationLimits extends ArchiveLimits {
  /** Largest Sigstore bundle JSON accepted. */
  maxBundleBytes: number;
  /** Largest artifact kept for re-verifying a message signature. */
  maxStoredPayloadBytes: number;
}

export type TrustedRootSource =
  | { type: 'file'; path: string }
  | {
      type: 'tuf';
      mirrorUrl: string;
      cachePath: string;
      rootPath?: string;
      forceCache: boolean;
    };

/** One trusted root with the thresholds bundles of it are verified with. */
export interface TrustedRootConfig {
  name: string;
  source: TrustedRootSource;
  keyless: Thresholds;
  keyBased: Thresholds;
}

export interface VerificationConfig {
  trustedRoots: TrustedRootConfig[];
  identities: IdentityEntry[];
  keys: KeyEntry[];
  builders: BuilderEntry[];
  buildTypes: BuildTypeEntry[];
  limits: VerificationLimits;
}

export const DEFAULT_LIMITS: VerificationLimits = {
  maxCompressedBytes: 50 * 1024 * 1024,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxEntries: 1000,
  maxCompressionRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  maxBundleBytes: 1024 * 1024,
  maxStoredPayloadBytes: 10 * 1024 * 1024,
};

/**
 * Builders of GitHub Actions: GitHub's artifact attestations name the
 * runner (hosted runners give SLSA build L2), the SLSA generator's reusable
 * workflows run isolated from the calling workflow (L3).
 */
export const DEFAULT_BUILDERS: Array<{ id: string; slsaLevel: number }> = [
  { id: 'https://github.com/actions/runner/github-hosted', slsaLevel: 2 },
  {
    id: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v*',
    slsaLevel: 3,
  },
  {
    id: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v*',
    slsaLevel: 3,
  },
];

/** GitHub's artifact attestations and the SLSA GitHub generator. */
export const DEFAULT_BUILD_TYPES: BuildTypeEntry[] = [
  {
    buildType: 'https://actions.github.io/buildtypes/workflow/v1',
    externalParameters: ['workflow', 'inputs'],
  },
  {
    buildType:
      'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
    externalParameters: ['workflow', 'inputs', 'vars'],
  },
];

/**
 * A glob as an anchored regular expression: everything but `*` is matched
 * literally (`.` and `?` included), `*` stays within a path segment and
 * `**` crosses them. sigstore-js's own SAN policy is an unanchored regex,
 * which would let `https://github.com/acme/wid` accept `acme/widget`.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else {
      source += c.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function exactRegExp(text: string): RegExp {
  return new RegExp(`^${text.replace(/[\\^$.*|?+()[\]{}]/g, '\\$&')}$`);
}

function readTime(value: string | undefined, key: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${key} is not a date/time: '${value}'`);
  }
  return date.toISOString();
}

function readStatus(c: Config, key: string): LifecycleStatus {
  const status = c.getOptionalString('status') ?? 'approved';
  if (status !== 'approved' && status !== 'revoked') {
    throw new InputError(
      `${key}.status must be 'approved' or 'revoked', got '${status}'`,
    );
  }
  return status;
}

function readThresholds(
  c: Config | undefined,
  defaults: Thresholds,
  key: string,
): Thresholds {
  const read = (name: keyof Thresholds) => {
    const value = c?.getOptionalNumber(name) ?? defaults[name];
    if (!Number.isInteger(value) || value < 0) {
      throw new InputError(`${key}.${name} must be a whole number >= 0`);
    }
    return value;
  };
  return {
    tlogThreshold: read('tlogThreshold'),
    ctlogThreshold: read('ctlogThreshold'),
    timestampThreshold: read('timestampThreshold'),
  };
}

function readIdentities(c: Config | undefined): IdentityEntry[] {
  const names = new Set<string>();
  return (c?.getOptionalConfigArray('identities') ?? []).map((e, i) => {
    const key = `dualLane.verification.identities[${i}]`;
    const name = e.getString('name');
    if (names.has(name)) {
      throw new InputError(`${key}: duplicate identity name '${name}'`);
    }
    names.add(name);
    const subject = e.getOptionalString('subject');
    const subjectPattern = e.getOptionalString('subjectPattern');
    if ((subject === undefined) === (subjectPattern === undefined)) {
      throw new InputError(
        `${key} (${name}) needs exactly one of subject or subjectPattern`,
      );
    }
    return {
      name,
      issuer: e.getString('issuer'),
      subject,
      subjectPattern,
      status: readStatus(e, key),
      expiresAt: readTime(e.getOptionalString('expiresAt'), `${key}.expiresAt`),
      revokedReason: e.getOptionalString('revokedReason'),
      matcher:
        subject !== undefined
          ? exactRegExp(subject)
          : globToRegExp(subjectPattern!),
    };
  });
}

function readKeys(c: Config | undefined, baseDir: string): KeyEntry[] {
  const names = new Set<string>();
  const byKeyId = new Map<string, string>();
  return (c?.getOptionalConfigArray('keys') ?? []).map((e, i) => {
    const key = `dualLane.verification.keys[${i}]`;
    const name = e.getString('name');
    // A bundle names its key by name or key id: both must be unambiguous.
    if (names.has(name)) {
      throw new InputError(`${key}: duplicate key name '${name}'`);
    }
    names.add(name);
    const inline = e.getOptionalString('publicKey');
    const file = e.getOptionalString('publicKeyPath');
    if ((inline === undefined) === (file === undefined)) {
      throw new InputError(
        `${key} (${name}) needs exactly one of publicKey or publicKeyPath`,
      );
    }
    let pem: string;
    try {
      pem = inline ?? fs.readFileSync(path.resolve(baseDir, file!), 'utf8');
    } catch (error) {
      throw new InputError(
        `${key} (${name}): cannot read publicKeyPath ${file}: ${
          (error as Error).message
        }`,
      );
    }
    let publicKey: crypto.KeyObject;
    try {
      // Built once: a cached KeyObject verifies ~2.5x faster than one per call.
      publicKey = crypto.createPublicKey(pem);
    } catch (error) {
      throw new InputError(
        `${key} (${name}) is not a PEM public key: ${(error as Error).message}`,
      );
    }
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const keyId = crypto.createHash('sha256').update(der).digest('hex');
    const sameKey = byKeyId.get(keyId);
    if (sameKey !== undefined) {
      throw new InputError(
        `${key} (${name}) is the same public key as '${sameKey}'`,
      );
    }
    byKeyId.set(keyId, name);
    return {
      name,
      keyId,
      publicKey,
      status: readStatus(e, key),
      expiresAt: readTime(e.getOptionalString('expiresAt'), `${key}.expiresAt`),
      revokedReason: e.getOptionalString('revokedReason'),
    };
  });
}

function readBuilders(c: Config | undefined): BuilderEntry[] {
  const key = 'dualLane.verification.builders';
  if (!c?.has('builders')) {
    return DEFAULT_BUILDERS.map(b => ({ ...b, matcher: globToRegExp(b.id) }));
  }
  const raw = c.get('builders');
  if (!Array.isArray(raw)) {
    throw new InputError(`${key} must be a list`);
  }
  return raw.map((b, i) => {
    const entry =
      typeof b === 'string'
        ? { id: b, slsaLevel: 2 }
        : {
            id: String((b as any)?.id ?? ''),
            slsaLevel: Number((b as any)?.slsaLevel ?? 2),
          };
    if (!entry.id || ![1, 2, 3].includes(entry.slsaLevel)) {
      throw new InputError(
        `${key}[${i}] must be a builder id or { id, slsaLevel: 1 | 2 | 3 }`,
      );
    }
    return { ...entry, matcher: globToRegExp(entry.id) };
  });
}

function readBuildTypes(c: Config | undefined): BuildTypeEntry[] {
  const configured = (c?.getOptionalConfigArray('buildTypes') ?? []).map(
    (e, i) => {
      const key = `dualLane.verification.buildTypes[${i}]`;
      const buildType = e.getString('buildType');
      const externalParameters =
        e.getOptionalStringArray('externalParameters') ?? [];
      if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(buildType)) {
        throw new InputError(
          `${key}.buildType must be a URI, got '${buildType}'`,
        );
      }
      return { buildType, externalParameters };
    },
  );
  const seen = new Set<string>();
  for (const entry of configured) {
    if (seen.has(entry.buildType)) {
      throw new InputError(
        `dualLane.verification.buildTypes: duplicate build type '${entry.buildType}'`,
      );
    }
    seen.add(entry.buildType);
  }
  // A configured entry replaces the default of the same build type.
  return [
    ...DEFAULT_BUILD_TYPES.filter(d => !seen.has(d.buildType)),
    ...configured,
  ];
}

function readLimits(c: Config | undefined): VerificationLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(limits) as Array<keyof VerificationLimits>) {
    const value = c?.getOptionalNumber(name);
    if (value !== undefined) {
      if (!(value > 0)) {
        throw new InputError(
          `dualLane.verification.limits.${name} must be a positive number`,
        );
      }
      limits[name] = value;
    }
  }
  return limits;
}

const KEYLESS_DEFAULTS: Thresholds = {
  tlogThreshold: 1,
  ctlogThreshold: 1,
  timestampThreshold: 1,
};
const KEY_BASED_DEFAULTS: Thresholds = {
  tlogThreshold: 1,
  ctlogThreshold: 0,
  timestampThreshold: 1,
};

/**
 * The default TUF cache: under `backend.workingDirectory` when set, else
 * a directory of this user in the OS temp directory. Either way it is
 * created with mode 0700 and refused when someone else could write it.
 */
function defaultTufCache(config: Config, name: string): string {
  const workingDirectory = config.getOptionalString('backend.workingDirectory');
  const base = workingDirectory
    ? path.join(workingDirectory, 'dual-lane')
    : path.join(os.tmpdir(), `dual-lane-${process.getuid?.() ?? 'user'}`);
  return path.join(base, 'sigstore-tuf', name);
}

function readTufSource(
  config: Config,
  tuf: Config | undefined,
  name: string,
  baseDir: string,
): TrustedRootSource {
  const rootPath = tuf?.getOptionalString('rootPath');
  return {
    type: 'tuf',
    mirrorUrl: tuf?.getOptionalString('mirrorUrl') ?? DEFAULT_TUF_MIRROR_URL,
    cachePath: path.resolve(
      baseDir,
      tuf?.getOptionalString('cachePath') ?? defaultTufCache(config, name),
    ),
    rootPath: rootPath ? path.resolve(baseDir, rootPath) : undefined,
    forceCache: tuf?.getOptionalBoolean('forceCache') ?? false,
  };
}

/**
 * `trustedRoots[]` (several roots, each a `path` or `tuf`, with its own
 * thresholds), or the one root of `trustedRootPath` / `tuf` (default: the
 * public-good root through TUF). Thresholds default to `keyless` /
 * `keyBased`.
 */
function readTrustedRoots(
  config: Config,
  c: Config | undefined,
  baseDir: string,
): TrustedRootConfig[] {
  const key = 'dualLane.verification';
  const keyless = readThresholds(
    c?.getOptionalConfig('keyless'),
    KEYLESS_DEFAULTS,
    `${key}.keyless`,
  );
  const keyBased = readThresholds(
    c?.getOptionalConfig('keyBased'),
    KEY_BASED_DEFAULTS,
    `${key}.keyBased`,
  );
  const entries = c?.getOptionalConfigArray('trustedRoots');
  if (!entries) {
    const file = c?.getOptionalString('trustedRootPath');
    return [
      {
        name: file ? 'default' : 'public-good',
        source: file
          ? { type: 'file', path: path.resolve(baseDir, file) }
          : readTufSource(
              config,
              c?.getOptionalConfig('tuf'),
              'public-good',
              baseDir,
            ),
        keyless,
        keyBased,
      },
    ];
  }
  if (c?.has('trustedRootPath') || c?.has('tuf')) {
    throw new InputError(
      `${key}.trustedRoots replaces trustedRootPath and tuf: configure the root there instead`,
    );
  }
  if (entries.length === 0) {
    throw new InputError(`${key}.trustedRoots must name at least one root`);
  }
  const names = new Set<string>();
  return entries.map((e, i) => {
    const at = `${key}.trustedRoots[${i}]`;
    const name = e.getString('name');
    if (!/^[\w.-]+$/.test(name)) {
      throw new InputError(
        `${at}.name must be letters, digits, '.', '_' or '-', got '${name}'`,
      );
    }
    if (names.has(name)) {
      throw new InputError(`${at}: duplicate trusted root name '${name}'`);
    }
    names.add(name);
    const file = e.getOptionalString('path');
    if ((file === undefined) === !e.has('tuf')) {
      throw new InputError(`${at} (${name}) needs exactly one of path or tuf`);
    }
    return {
      name,
      source:
        file !== undefined
          ? { type: 'file', path: path.resolve(baseDir, file) }
          : readTufSource(config, e.getOptionalConfig('tuf'), name, baseDir),
      keyless: readThresholds(
        e.getOptionalConfig('keyless'),
        keyless,
        `${at}.keyless`,
      ),
      keyBased: readThresholds(
        e.getOptionalConfig('keyBased'),
        keyBased,
        `${at}.keyBased`,
      ),
    };
  });
}

/** Reads and checks `dualLane.verification`, failing on a bad key at start. */
export function readVerificationConfig(
  config: Config,
  options: { baseDir?: string } = {},
): VerificationConfig {
  const c = config.getOptionalConfig('dualLane.verification');
  const baseDir = options.baseDir ?? process.cwd();
  return {
    trustedRoots: readTrustedRoots(config, c, baseDir),
    identities: readIdentities(c),
    keys: readKeys(c, baseDir),
    builders: readBuilders(c),
    buildTypes: readBuildTypes(c),
    limits: readLimits(c?.getOptionalConfig('limits')),
  };
}
