import { createTestDatabases } from '../../__testUtils__/databases';
import { GITHUB_HOSTED_BUILDER } from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  byCheck,
  MERGE_BASE,
  SLSA_GENERATOR,
  submit,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * The SLSA build level comes from the builder, and the builder id in the
 * predicate is written by the workflow: it only counts when the signing
 * certificate (which the workflow cannot forge) agrees.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

const GITHUB_CERT = {
  sourceRepositoryUri: 'https://github.com/acme/widget',
  sourceRepositoryDigest: MERGE_BASE,
  sourceRepositoryRef: 'refs/heads/main',
};

describe.each(databases.eachSupportedId())(
  'provenance builder binding on %p',
  id => {
    it('fails a self-hosted build of an approved workflow that claims the SLSA generator (L3)', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      const run = await submit(
        s,
        repository,
        await kit.signedArtifact({
          builderId: SLSA_GENERATOR,
          extensions: {
            ...GITHUB_CERT,
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'self-hosted',
          },
        }),
      );
      expect(byCheck(run).signature.outcome).toBe('verified');
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'failed',
        slsaLevel: 0,
        reason: `builder '${SLSA_GENERATOR}' did not sign this provenance: the signing certificate's Build Signer URI is '${WORKFLOW}' (a workflow can write any builder id; only the reusable workflow that ran can sign as it)`,
      });
      expect(run.status).toBe('failed');
    });

    it('fails a self-hosted build that claims the GitHub-hosted runner', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      const run = await submit(
        s,
        repository,
        await kit.signedArtifact({
          extensions: {
            ...GITHUB_CERT,
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'self-hosted',
          },
        }),
      );
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'failed',
        slsaLevel: 0,
        reason: `builder '${GITHUB_HOSTED_BUILDER}' is not confirmed by the signing certificate, whose runner environment is 'self-hosted'`,
      });
    });

    it('gives L3 to the SLSA generator when its reusable workflow signed', async () => {
      const { store, repository } = await kit.setup(databases, id);
      const s = kit.services(
        store,
        kit.config({
          extraIdentities: [
            {
              name: 'slsa-generator',
              issuer: 'https://token.actions.githubusercontent.com',
              subjectPattern:
                'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v*',
            },
          ],
        }),
      );
      const run = await submit(
        s,
        repository,
        await kit.signedArtifact({
          builderId: SLSA_GENERATOR,
          identity: SLSA_GENERATOR,
          extensions: {
            ...GITHUB_CERT,
            buildSignerUri: SLSA_GENERATOR,
            runnerEnvironment: 'github-hosted',
          },
        }),
      );
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'verified',
        slsaLevel: 3,
      });
      expect(byCheck(run).provenance.details.builderBinding).toEqual({
        confirmed: true,
        by: 'build signer URI (OID 1.3.6.1.4.1.57264.1.9)',
      });
    });

    it('gives L2 to a GitHub-hosted runner the certificate confirms, level 0 to a builder no certificate can confirm', async () => {
      const { store, repository } = await kit.setup(databases, id);
      const hosted = await submit(
        kit.services(store),
        repository,
        await kit.signedArtifact(),
      );
      expect(byCheck(hosted).provenance).toMatchObject({
        outcome: 'verified',
        slsaLevel: 2,
      });
      expect(byCheck(hosted).provenance.details.builderBinding).toEqual({
        confirmed: true,
        by: 'runner environment (OID 1.3.6.1.4.1.57264.1.11)',
      });

      const custom = kit.services(
        store,
        kit.config({
          verification: {
            builders: [{ id: 'https://ci.example.com/builder', slsaLevel: 3 }],
          },
        }),
      );
      const run = await submit(
        custom,
        repository,
        await kit.signedArtifact({
          builderId: 'https://ci.example.com/builder',
        }),
        'custom.tar.gz',
      );
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'verified',
        slsaLevel: 0,
      });
      expect(byCheck(run).provenance.details.builderBinding).toEqual({
        confirmed: false,
        note: "a keyless signature cannot confirm builder 'https://ci.example.com/builder' (only reusable GitHub workflows and the GitHub-hosted runner can be bound to a certificate): build level 0",
      });
    });
  },
);
