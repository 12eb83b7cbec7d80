import { InputError, NotFoundError } from '@backstage/errors';
import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { createTestDatabases } from '../../__testUtils__/databases';
import { DualLaneStore } from '../../database';
import {
  byCheck,
  MERGE_BASE,
  OTHER_COMMIT,
  Signed,
  SupplyChainServices,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * The replay check compares the provenance's source commit with the commit
 * the artifact is for. With a pull request that is the pull request's head
 * commit as synced from GitHub, never a commit the caller names.
 */

const databases = createTestDatabases();
const HEAD = 'c'.repeat(40);

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

async function withPullRequest(store: DualLaneStore, repository: Repository) {
  await store.gates.upsertPullRequests([
    {
      repositoryId: repository.id,
      number: 42,
      title: 'feat: widget',
      state: 'open',
      draft: false,
      headRef: 'feature/widget',
      headSha: HEAD,
      baseRef: 'main',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:00:00.000Z',
    },
  ]);
}

/** Provenance of a build of `commit`, in an archive whose merge-base.sha is MERGE_BASE. */
function builtFrom(commit: string) {
  return kit.signedArtifact({
    commit,
    mergeBase: MERGE_BASE,
    extensions: {
      sourceRepositoryUri: 'https://github.com/acme/widget',
      sourceRepositoryDigest: commit,
      buildSignerUri: WORKFLOW,
      runnerEnvironment: 'github-hosted',
    },
  });
}

function submitFor(
  s: SupplyChainServices,
  repository: Repository,
  signed: Signed,
  extra: { pullRequestNumber?: number; commitSha?: string },
) {
  return s.verification.submitArtifact({
    repository,
    name: 'artifact.tar.gz',
    kind: 'artifact-bundle',
    source: 'ingest',
    bytes: signed.bytes,
    bundle: signed.bundle,
    ...extra,
  });
}

describe.each(databases.eachSupportedId())(
  'replay check against the pull request on %p',
  id => {
    it('refuses a commitSha that is not the pull request head, so another commit cannot be named to pass', async () => {
      const { store, repository, services: s } = await kit.setup(databases, id);
      await withPullRequest(store, repository);
      const replayed = await builtFrom(OTHER_COMMIT);
      const attempt = submitFor(s, repository, replayed, {
        pullRequestNumber: 42,
        commitSha: OTHER_COMMIT,
      });
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(
        `commitSha ${OTHER_COMMIT} is not the head commit ${HEAD} of pull request #42 of acme/widget: with pullRequest the replay check uses the pull request's head commit, so leave commitSha out or send that commit`,
      );
      expect(await store.supplyChain.listArtifacts([repository.id])).toEqual(
        [],
      );

      const run = await submitFor(s, repository, replayed, {
        pullRequestNumber: 42,
      });
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'failed',
        reason: `replayed provenance: source commit ${OTHER_COMMIT} is not the expected commit (${MERGE_BASE} or ${HEAD})`,
      });
    });

    it("verifies provenance of the pull request's head commit and records the pull request", async () => {
      const { store, repository, services: s } = await kit.setup(databases, id);
      await withPullRequest(store, repository);
      const run = await submitFor(s, repository, await builtFrom(HEAD), {
        pullRequestNumber: 42,
        commitSha: HEAD.toUpperCase(),
      });
      expect(byCheck(run).provenance).toMatchObject({ outcome: 'verified' });
      const artifact = await store.supplyChain.getArtifact(run.id);
      const pr = await store.gates.getPullRequest(repository.id, 42);
      expect(artifact).toMatchObject({
        commitSha: HEAD,
        pullRequestId: pr!.id,
      });
    });

    it('refuses a pull request dual-lane does not know', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      await expect(
        submitFor(s, repository, await builtFrom(HEAD), {
          pullRequestNumber: 7,
        }),
      ).rejects.toThrow(
        new NotFoundError(
          'Pull request #7 of acme/widget is not known to dual-lane (not synced yet?): its head commit is what the replay check compares with',
        ),
      );
    });
  },
);
