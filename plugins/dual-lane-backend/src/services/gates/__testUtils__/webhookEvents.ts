import {
  checkRunJson,
  FakeCheckRun,
  FakeCommit,
  FakePull,
  FakeRepo,
  FakeReview,
  pullJson,
  repositoryJson,
  reviewJson,
  userJson,
} from './fakeGithub';

/*
 * Webhook payloads as GitHub sends them (pull_request, check_run,
 * pull_request_review, push), built from the fake's state so that a
 * webhook and a REST read describe the same thing.
 */

export function pullRequestEvent(action: string, repo: FakeRepo, pr: FakePull) {
  return {
    action,
    number: pr.number,
    pull_request: pullJson(repo, pr, true),
    repository: repositoryJson(repo),
    sender: userJson(pr.author),
  };
}

export function checkRunEvent(action: string, repo: FakeRepo, run: FakeCheckRun) {
  return {
    action,
    check_run: checkRunJson(repo, run),
    repository: repositoryJson(repo),
    sender: userJson('github-actions[bot]'),
  };
}

export function reviewEvent(action: string, repo: FakeRepo, pr: FakePull, review: FakeReview) {
  const json = reviewJson(repo, pr.number, review);
  return {
    action,
    review: { ...json, state: review.state.toLowerCase() },
    pull_request: pullJson(repo, pr),
    repository: repositoryJson(repo),
    sender: userJson(review.author),
  };
}

export function pushEvent(repo: FakeRepo, branch: string, commits: FakeCommit[]) {
  const toJson = (c: FakeCommit) => ({
    id: c.sha,
    tree_id: c.sha,
    distinct: true,
    message: c.message,
    timestamp: c.date,
    url: `https://github.com/${repo.owner}/${repo.name}/commit/${c.sha}`,
    author: { name: 'Lane Bot', email: 'lane@example.com', username: 'lane-bot' },
    committer: { name: 'Lane Bot', email: 'lane@example.com', username: 'lane-bot' },
    added: [],
    removed: [],
    modified: ['README.md'],
  });
  return {
    ref: `refs/heads/${branch}`,
    before: '0000000000000000000000000000000000000000',
    after: commits[commits.length - 1].sha,
    created: true,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${repo.owner}/${repo.name}/compare/${branch}`,
    commits: commits.map(toJson),
    head_commit: toJson(commits[commits.length - 1]),
    repository: repositoryJson(repo),
    pusher: { name: 'lane-bot', email: 'lane@example.com' },
    sender: userJson('lane-bot'),
  };
}
