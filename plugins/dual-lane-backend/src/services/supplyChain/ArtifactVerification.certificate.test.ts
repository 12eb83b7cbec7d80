import { createTestDatabases } from '../../__testUtils__/databases';
import {
  byCheck,
  MERGE_BASE,
  OTHER_COMMIT,
  submit,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * For GitHub Actions signatures the certificate, not the predicate, ties a
 * signature to a repository and commit: its source repository and commit
 * extensions (OIDs .12/.13, or the legacy .5/.3) are required.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

describe.each(databases.eachSupportedId())(
  'provenance certificate checks on %p',
  id => {
    it('fails a GitHub Actions certificate without source repository and commit extensions', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      const run = await submit(
        s,
        repository,
        await kit.signedArtifact({
          extensions: {
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'github-hosted',
          },
        }),
      );
      expect(byCheck(run).signature.outcome).toBe('verified');
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'failed',
        reason:
          'the GitHub Actions signing certificate names no source repository (OID 1.3.6.1.4.1.57264.1.12, or the legacy 1.3.6.1.4.1.57264.1.5): the predicate alone is not trusted for it',
      });

      const noCommit = await submit(
        s,
        repository,
        await kit.signedArtifact({
          extensions: {
            sourceRepositoryUri: 'https://github.com/acme/widget',
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'github-hosted',
          },
        }),
        'no-commit.tar.gz',
      );
      expect(byCheck(noCommit).provenance.reason).toBe(
        'the GitHub Actions signing certificate names no source commit (OID 1.3.6.1.4.1.57264.1.13, or the legacy 1.3.6.1.4.1.57264.1.3): the predicate alone is not trusted for it',
      );
    });

    it('falls back to the legacy repository and commit extensions, and still catches a replay with them', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      const legacy = await submit(
        s,
        repository,
        await kit.signedArtifact({
          extensions: {
            githubWorkflowRepository: 'acme/widget',
            githubWorkflowSha: MERGE_BASE,
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'github-hosted',
          },
        }),
      );
      expect(byCheck(legacy).provenance).toMatchObject({
        outcome: 'verified',
        slsaLevel: 2,
      });

      const otherCommit = await submit(
        s,
        repository,
        await kit.signedArtifact({
          extensions: {
            githubWorkflowRepository: 'acme/widget',
            githubWorkflowSha: OTHER_COMMIT,
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'github-hosted',
          },
        }),
        'other.tar.gz',
      );
      expect(byCheck(otherCommit).provenance).toMatchObject({
        outcome: 'failed',
        reason: `provenance source commit ${MERGE_BASE} differs from the signing certificate's commit ${OTHER_COMMIT}`,
      });

      const otherRepo = await submit(
        s,
        repository,
        await kit.signedArtifact({
          extensions: {
            githubWorkflowRepository: 'acme/widget-fork',
            githubWorkflowSha: MERGE_BASE,
            buildSignerUri: WORKFLOW,
            runnerEnvironment: 'github-hosted',
          },
        }),
        'fork.tar.gz',
      );
      expect(byCheck(otherRepo).provenance.reason).toBe(
        "signing certificate's source repository https://github.com/acme/widget-fork is not the entity's repository https://github.com/acme/widget",
      );
    });
  },
);
