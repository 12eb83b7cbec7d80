// Lane state labels for pull requests, run by .github/workflows/auto-labels.yml
// through actions/github-script. The state machine:
//
//   codex-ready       the branch's commits carry [CODEX-READY:<slug>] only
//   claude-enforcing  [CLAUDE-APPLIED:<slug>] is there; gates not all green
//   plan-review       every required gate passed on the head commit
//   rework-requested  PLAN requested changes on the head commit
//   plan-approved     gates passed and PLAN approved the head commit
//
// Names, markers, branch prefixes and gates come from lane-config.json,
// which the Backstage template rendered from the dual-lane config.
'use strict';

const config = require('./lane-config.json');

function slugOf(headRef) {
  for (const prefix of [config.branchPrefixes.feature, config.branchPrefixes.staging]) {
    if (headRef.startsWith(prefix) && headRef.length > prefix.length) {
      return headRef.slice(prefix.length);
    }
  }
  return undefined;
}

// A gate passes when the latest run of its check on the head commit, from
// the pinned app where one is configured, completed successfully.
function gatesPassed(checkRuns) {
  return config.requiredChecks.every(check => {
    const runs = checkRuns
      .filter(run => run.name === check.context)
      .filter(run => check.appId === undefined || (run.app && run.app.id === check.appId))
      .sort((a, b) => String(b.started_at || '').localeCompare(String(a.started_at || '')));
    return runs.length > 0 && runs[0].status === 'completed' && runs[0].conclusion === 'success';
  });
}

// PLAN's verdict on the head commit: each reviewer's latest decisive review
// counts; a request for changes outweighs approvals.
function verdict(reviews, headSha) {
  const latest = new Map();
  for (const review of reviews) {
    if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state)) {
      latest.set(review.user ? review.user.login : '', review);
    }
  }
  const current = [...latest.values()].filter(review => review.commit_id === headSha);
  if (current.some(review => review.state === 'CHANGES_REQUESTED')) return 'changes-requested';
  if (current.some(review => review.state === 'APPROVED')) return 'approved';
  return undefined;
}

function laneState({ headRef, headSha, commitMessages, checkRuns, reviews }) {
  const slug = slugOf(headRef);
  if (!slug) return undefined;
  const carries = marker => commitMessages.some(message => message.includes(`[${marker}:${slug}]`));
  const planVerdict = verdict(reviews, headSha);
  if (planVerdict === 'changes-requested') return 'rework-requested';
  if (!carries(config.markers.applied)) {
    return carries(config.markers.ready) ? 'codex-ready' : undefined;
  }
  if (!gatesPassed(checkRuns)) return 'claude-enforcing';
  return planVerdict === 'approved' ? 'plan-approved' : 'plan-review';
}

// The label edits that leave exactly the state's label among lane labels;
// labels that are not lane labels are never touched.
function labelChanges(currentLabels, state) {
  const laneLabels = Object.values(config.labels).map(label => label.name);
  const wanted = state ? config.labels[state].name : undefined;
  return {
    add: wanted && !currentLabels.includes(wanted) ? [wanted] : [],
    remove: currentLabels.filter(name => laneLabels.includes(name) && name !== wanted),
  };
}

async function pullRequestNumbers(github, context) {
  const payload = context.payload;
  if (payload.pull_request) return [payload.pull_request.number];
  if (payload.workflow_run) return (payload.workflow_run.pull_requests || []).map(pr => pr.number);
  const open = await github.paginate(github.rest.pulls.list, { ...context.repo, state: 'open', per_page: 100 });
  return open.map(pr => pr.number);
}

async function labelPullRequest(github, context, core, number) {
  const { data: pr } = await github.rest.pulls.get({ ...context.repo, pull_number: number });
  if (pr.state !== 'open') return;
  const headSha = pr.head.sha;
  const [commits, checkRuns, reviews] = await Promise.all([
    github.paginate(github.rest.pulls.listCommits, { ...context.repo, pull_number: number, per_page: 100 }),
    github.paginate(github.rest.checks.listForRef, { ...context.repo, ref: headSha, per_page: 100 }),
    github.paginate(github.rest.pulls.listReviews, { ...context.repo, pull_number: number, per_page: 100 }),
  ]);
  const state = laneState({
    headRef: pr.head.ref,
    headSha,
    commitMessages: commits.map(commit => commit.commit.message),
    checkRuns,
    reviews,
  });
  const changes = labelChanges(pr.labels.map(label => label.name), state);
  for (const name of changes.remove) {
    await github.rest.issues.removeLabel({ ...context.repo, issue_number: number, name });
  }
  if (changes.add.length) {
    await github.rest.issues.addLabels({ ...context.repo, issue_number: number, labels: changes.add });
  }
  core.info(`#${number} ${pr.head.ref}: ${state || 'no lane state'} (+${changes.add.join(',')} -${changes.remove.join(',')})`);
}

async function run({ github, context, core }) {
  for (const number of await pullRequestNumbers(github, context)) {
    await labelPullRequest(github, context, core, number);
  }
}

module.exports = run;
Object.assign(module.exports, { slugOf, gatesPassed, verdict, laneState, labelChanges });
