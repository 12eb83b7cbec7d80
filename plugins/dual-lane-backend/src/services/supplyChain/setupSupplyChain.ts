import express from 'express';
import Router from 'express-promise-router';
import { PluginContext } from '../../context';
import { ingestArtifactsRoutes } from '../../routes/ingestArtifactsRoutes';
import { supplyChainRoutes } from '../../routes/supplyChainRoutes';
import {
  readVerificationConfig,
  TrustedRootConfig,
} from '../verification/config';
import { IdentityRegistry } from '../verification/identityRegistry';
import { SignatureVerifier } from '../verification/signatureVerifier';
import { TrustedRoots } from '../verification/trustedRoots';
import { ArtifactVerification } from './ArtifactVerification';
import {
  DEFAULT_GITHUB_ARTIFACT_SOURCE_OPTIONS,
  GithubArtifactSource,
} from './GithubArtifactSource';
import { PolicyBundleVerification } from './PolicyBundleVerification';
import { Reverifier } from './Reverifier';
import { scheduleSupplyChain } from './scheduleSupplyChain';
import { VerificationRecorder } from './VerificationRecorder';

/** The services of the supply-chain area, wired from config. */
export function createSupplyChainServices(
  context: Pick<PluginContext, 'config' | 'store' | 'logger' | 'github'>,
  options: {
    /** For tests and demos: where a trusted root comes from instead of its file or TUF. */
    loadTrustedRoot?: (root: TrustedRootConfig) => Promise<unknown>;
    /** For tests: the clock identity and key lifecycles (expiresAt) are judged by. */
    now?: () => Date;
  } = {},
) {
  const config = readVerificationConfig(context.config);
  const registry = new IdentityRegistry(config, options.now);
  const trustedRoots = new TrustedRoots({
    roots: config.trustedRoots,
    registry,
    logger: context.logger,
    loadRoot: options.loadTrustedRoot,
  });
  const signatures = new SignatureVerifier({ trustedRoots, registry });
  const recorder = new VerificationRecorder({ store: context.store });
  const verification = new ArtifactVerification({
    store: context.store,
    signatures,
    registry,
    recorder,
    limits: config.limits,
  });
  const policies = new PolicyBundleVerification({
    store: context.store,
    signatures,
    recorder,
    limits: config.limits,
  });
  const reverifier = new Reverifier({
    store: context.store,
    verification,
    policies,
    signatures,
    registry,
    trustedRoots,
    logger: context.logger,
  });
  const sync = context.config.getOptionalConfig('dualLane.sync.artifacts');
  const source = new GithubArtifactSource({
    github: context.github,
    store: context.store,
    verification,
    policies,
    signatures,
    limits: config.limits,
    logger: context.logger,
    options: {
      releases:
        sync?.getOptionalBoolean('releases') ??
        DEFAULT_GITHUB_ARTIFACT_SOURCE_OPTIONS.releases,
      attestations:
        sync?.getOptionalBoolean('attestations') ??
        DEFAULT_GITHUB_ARTIFACT_SOURCE_OPTIONS.attestations,
      maxReleases:
        sync?.getOptionalNumber('maxReleases') ??
        DEFAULT_GITHUB_ARTIFACT_SOURCE_OPTIONS.maxReleases,
    },
  });
  return {
    config,
    registry,
    trustedRoots,
    signatures,
    verification,
    policies,
    reverifier,
    source,
    syncEnabled: sync?.getOptionalBoolean('enabled') ?? true,
  };
}

/**
 * Wires the supply-chain area: verification from `dualLane.verification`,
 * the GitHub source and re-verification tasks, the read, re-verify and
 * ingest routes.
 */
export async function setupSupplyChain(
  context: PluginContext,
): Promise<express.Router> {
  const services = createSupplyChainServices(context);
  await scheduleSupplyChain({
    config: context.config,
    scheduler: context.scheduler,
    source: services.source,
    reverifier: services.reverifier,
    logger: context.logger,
    syncEnabled: services.syncEnabled,
  });
  const router = Router();
  router.use(
    supplyChainRoutes({
      httpAuth: context.httpAuth,
      entityAccess: context.entityAccess,
      store: context.store,
      reverifier: services.reverifier,
    }),
  );
  router.use(
    ingestArtifactsRoutes({
      httpAuth: context.httpAuth,
      ingestAuthorization: context.ingestAuthorization,
      verification: services.verification,
      policies: services.policies,
      limits: services.config.limits,
    }),
  );
  return router;
}
