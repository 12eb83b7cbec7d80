import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { FakeGithub, newId, resetIds } from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  addGateRuns,
  addLanePull,
  at,
  commit,
  createTestDeps,
  registerRepository,
} from './__testUtils__/scenario';
import { GatesReader } from './GatesReader';
import { GithubGateSync } from './GithubGateSync';

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const APPROVED = {
  state: 'APPROVED' as const,
  body: 'Looks right. [PLAN-VERDICT:approved]',
};

describe.each(databases.eachSupportedId())(
  'lane labels of finished pull requests on %p',
  id => {
    it('judges a merged pull request by the state it merged in and leaves closed ones out', async () => {
      const { store } = await createTestStore(databases, id);
      resetIds();
      const fake = new FakeGithub();
      server.use(...mswHandlers(fake));
      const gh = fake.addRepo('acme', 'widget');
      gh.branches.set('main', [commit('Initial commit', -600)]);

      // #10: abandoned before the first sync, still carrying its last label.
      const closed = addLanePull(gh, {
        number: 10,
        slug: 'abandoned',
        labels: ['claude-enforcing'],
        gates: 'none',
      });
      Object.assign(closed, { state: 'closed', closedAt: at(60) });
      // #11: merged through a merge queue: the gates ran on the merge commit.
      const queued = addLanePull(gh, {
        number: 11,
        slug: 'queued',
        minutes: 100,
        labels: ['plan-approved'],
        gates: 'none',
        review: APPROVED,
        merged: true,
      });
      addGateRuns(gh, queued.mergeCommitSha!, 150);
      // #12: merged by an admin with the policy gate failing.
      addLanePull(gh, {
        number: 12,
        slug: 'bypass',
        minutes: 200,
        labels: ['plan-approved'],
        gates: { 'Validate Policy Bundle': { conclusion: 'failure' } },
        review: APPROVED,
        merged: true,
      });
      // #13: approved and merged; PLAN asked for changes after the merge.
      const late = addLanePull(gh, {
        number: 13,
        slug: 'late',
        minutes: 300,
        labels: ['plan-approved'],
        review: APPROVED,
        merged: true,
      });
      gh.reviews.get(13)!.push({
        id: newId(),
        author: 'plan-bot',
        body: 'On second thought. [PLAN-VERDICT:changes-requested]',
        state: 'CHANGES_REQUESTED',
        commitId: late.headSha,
        submittedAt: at(400),
      });

      const repo = await registerRepository(store);
      const deps = createTestDeps(store);
      await new GithubGateSync(deps).syncAll();

      const expected = async (n: number) =>
        (await store.gates.getPullRequest(repo.id, n))!.expectedLabel;
      expect(await expected(10)).toBeUndefined();
      expect(await expected(11)).toBe('plan-approved');
      expect(await expected(12)).toBeUndefined();
      expect(await expected(13)).toBe('plan-approved');

      const view = await new GatesReader({ store, config: deps.config, sync: deps.sync }).list(
        repo,
        { limit: 20 },
      );
      const labelsOf = (n: number) =>
        view.items.find(i => i.pullRequest.number === n)!.labels;
      expect(labelsOf(10)).toEqual({
        checked: false,
        notCheckedReason:
          'closed without merging: a finished pull request needs no lane label',
        actual: ['claude-enforcing'],
        unexpected: [],
        accurate: true,
      });
      expect(labelsOf(11)).toMatchObject({
        checked: true,
        expected: 'plan-approved',
        accurate: true,
      });
      expect(labelsOf(12)).toMatchObject({
        checked: false,
        notCheckedReason:
          'merged without every required gate passing: a conformance finding, not a label one',
      });
      // The conformance finding is where #12 shows up.
      expect(
        view.items.find(i => i.pullRequest.number === 12)!.conformance,
      ).toMatchObject({ conforming: false, failing: ['Policy Verification / Validate Policy Bundle'] });
      expect(labelsOf(13)).toMatchObject({
        checked: true,
        expectedState: 'plan-approved',
        accurate: true,
      });
    });
  },
);
