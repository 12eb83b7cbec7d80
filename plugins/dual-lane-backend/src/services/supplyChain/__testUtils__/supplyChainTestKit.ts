import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { SerializedBundle } from '@sigstore/bundle';
import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { createTestStore } from '../../../__testUtils__/databases';
import { DualLaneStore } from '../../../database';
import { GithubClientFactory } from '../../github/GithubClientFactory';
import {
  createArtifactBundle,
  sha256Hex,
  slsaV1Statement,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  createTestSigstore,
  FulcioExtensions,
  TestKeyPair,
  TestSigstore,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import { TrustedRootConfig } from '../../verification/config';
import { createSupplyChainServices } from '../setupSupplyChain';

/*
 * What the supply-chain tests share: a private Sigstore made at test time,
 * a release key, the verification config of `acme/widget`, services wired
 * as the plugin wires them, and signed artifact bundles.
 */

export const ISSUER = 'https://token.actions.githubusercontent.com';
export const WORKFLOW =
  'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
export const MERGE_BASE = 'a'.repeat(40);
export const OTHER_COMMIT = 'b'.repeat(40);
export const SLSA_GENERATOR =
  'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0';

export type SupplyChainServices = ReturnType<typeof createSupplyChainServices>;

export interface ConfigOverrides {
  /** Merged over the `widget-release` identity. */
  identity?: JsonObject;
  /** Merged over the `release-key` key. */
  key?: JsonObject;
  /** More identities after `widget-release`. */
  extraIdentities?: JsonObject[];
  /** Other `dualLane.verification` keys. */
  verification?: JsonObject;
}

export interface SignedArtifactOptions {
  repository?: string;
  commit?: string;
  builderId?: string;
  buildType?: string;
  extraExternalParameters?: Record<string, unknown>;
  identity?: string;
  issuer?: string;
  bundleVersion?: '0.1' | '0.2' | '0.3';
  mergeBase?: string;
  /** Replaces the certificate's Fulcio extensions (default: a GitHub-hosted build of the commit). */
  extensions?: FulcioExtensions;
  /** Bytes of the artifact bundle (default: a fresh one). */
  bytes?: Buffer;
}

export interface Signed {
  bytes: Buffer;
  bundle: SerializedBundle;
}

export class SupplyChainTestKit {
  static async create(): Promise<SupplyChainTestKit> {
    const sigstore = await createTestSigstore();
    return new SupplyChainTestKit(sigstore, sigstore.createKeyPair());
  }

  private constructor(
    readonly sigstore: TestSigstore,
    readonly releaseKey: TestKeyPair,
  ) {}

  config(overrides: ConfigOverrides = {}): ConfigReader {
    return new ConfigReader({
      dualLane: {
        verification: {
          // trustedRoots[] replaces the single root.
          ...(overrides.verification?.trustedRoots
            ? {}
            : { trustedRootPath: '/unused/trusted_root.json' }),
          identities: [
            {
              name: 'widget-release',
              issuer: ISSUER,
              subjectPattern:
                'https://github.com/acme/widget/.github/workflows/*@refs/heads/main',
              ...overrides.identity,
            },
            ...(overrides.extraIdentities ?? []),
          ],
          keys: [
            {
              name: 'release-key',
              publicKey: this.releaseKey.publicKeyPem,
              ...overrides.key,
            },
          ],
          ...overrides.verification,
        },
      },
    });
  }

  services(
    store: DualLaneStore,
    config: ConfigReader = this.config(),
    options: {
      loadTrustedRoot?: (root: TrustedRootConfig) => Promise<unknown>;
      now?: () => Date;
      github?: GithubClientFactory;
      logger?: LoggerService;
    } = {},
  ): SupplyChainServices {
    return createSupplyChainServices(
      {
        config,
        store,
        logger: options.logger ?? mockServices.logger.mock(),
        github: options.github ?? ({} as GithubClientFactory),
      },
      {
        loadTrustedRoot:
          options.loadTrustedRoot ??
          (async () => this.sigstore.trustedRootJSON),
        now: options.now,
      },
    );
  }

  /** A migrated store with the `acme/widget` repository and default services. */
  async setup(
    databases: TestDatabases,
    id: Parameters<typeof createTestStore>[1],
  ) {
    const { knex, store } = await createTestStore(databases, id);
    const ids = await store.repositories.upsertRepositories([
      { host: 'github.com', owner: 'acme', name: 'widget' },
    ]);
    const repository = (await store.repositories.getRepository(
      ids.get('github.com/acme/widget')!,
    ))!;
    return { knex, store, repository, services: this.services(store) };
  }

  /** An artifact bundle and a keyless DSSE bundle whose provenance names it. */
  async signedArtifact(o: SignedArtifactOptions = {}): Promise<Signed> {
    const bytes =
      o.bytes ??
      (await createArtifactBundle({ mergeBaseSha: o.mergeBase ?? MERGE_BASE }));
    const statement = slsaV1Statement({
      subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
      repository: o.repository ?? 'acme/widget',
      commit: o.commit ?? MERGE_BASE,
      builderId: o.builderId,
      buildType: o.buildType,
      extraExternalParameters: o.extraExternalParameters,
    });
    const identity = o.identity ?? WORKFLOW;
    const bundle = await this.sigstore.signKeyless({
      payload: Buffer.from(JSON.stringify(statement)),
      identity,
      issuer: o.issuer ?? ISSUER,
      bundleVersion: o.bundleVersion,
      extensions: o.extensions ?? {
        sourceRepositoryUri: `https://github.com/${
          o.repository ?? 'acme/widget'
        }`,
        sourceRepositoryDigest: o.commit ?? MERGE_BASE,
        sourceRepositoryRef: 'refs/heads/main',
        buildSignerUri: identity,
        runnerEnvironment: 'github-hosted',
      },
    });
    return { bytes, bundle };
  }

  /** A key-based DSSE bundle of `release-key` over an in-toto statement. */
  async signWithReleaseKey(statement: unknown, hint = 'release-key') {
    return this.sigstore.signWithKey({
      payload: Buffer.from(JSON.stringify(statement)),
      privateKey: this.releaseKey.privateKey,
      hint,
    });
  }
}

export function submit(
  s: SupplyChainServices,
  repository: Repository,
  signed: { bytes: Buffer; bundle?: unknown },
  name = 'artifact.tar.gz',
) {
  return s.verification.submitArtifact({
    repository,
    name,
    kind: 'artifact-bundle',
    source: 'ingest',
    bytes: signed.bytes,
    bundle: signed.bundle,
  });
}

/** The verifications of a run by check. */
export function byCheck(run: { verifications: Array<{ check: string }> }) {
  return Object.fromEntries(run.verifications.map(v => [v.check, v])) as Record<
    string,
    any
  >;
}
