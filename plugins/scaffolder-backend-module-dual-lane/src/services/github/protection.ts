import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { ProtectionRules } from '../config/readScaffolderConfig';
import {
  BranchProtectionState,
  branchProtectionBody,
  branchProtectionDifferences,
  branchProtectionFromRules,
  mergeBranchProtection,
  parseBranchProtection,
} from './branchProtectionState';
import { GithubClient } from './githubClient';
import { githubMessage, GithubStepError, statusOf } from './githubErrors';
import { RepoTarget } from './repoNaming';
import {
  mergeRuleset,
  RulesetBody,
  rulesetBody,
  rulesetDifferences,
} from './rulesetState';

/** Bounded wait for a branch GitHub has not made visible yet. */
export interface BranchRetry {
  attempts: number;
  delayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BRANCH_RETRY: BranchRetry = { attempts: 5, delayMs: 1000 };

const sleeper = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** What the default branch must look like after the step; read back later. */
export type ProtectionTarget =
  | { mode: 'branchProtection'; state: BranchProtectionState }
  | { mode: 'ruleset'; rulesetId?: number; body: RulesetBody };

export interface ProtectionOptions {
  logger: LoggerService;
  retry?: BranchRetry;
}

function refusalHint(error: unknown) {
  if (
    statusOf(error) === 403 &&
    /upgrade to github pro|make this repository public/i.test(
      githubMessage(error),
    )
  ) {
    return 'GitHub offers branch protection and rulesets on private repositories only on paid plans. The repository exists but is NOT protected, so the task fails: make it public, move it to a paid plan, then retry the task (it resumes and converges)';
  }
  if (statusOf(error) === 403) {
    return 'The credentials need administration:write on the repository';
  }
  return undefined;
}

type BranchProtectionRead =
  | { status: 'protected'; state: BranchProtectionState; unreadable: string[] }
  | { status: 'unprotected' }
  | { status: 'unreadable'; error: unknown };

async function readBranchProtection(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
): Promise<BranchProtectionRead> {
  try {
    const { data } = await client.rest.repos.getBranchProtection({
      owner: target.owner,
      repo: target.repo,
      branch,
    });
    return { status: 'protected', ...parseBranchProtection(data) };
  } catch (e) {
    if (statusOf(e) === 404 && /not protected/i.test(githubMessage(e))) {
      return { status: 'unprotected' };
    }
    return { status: 'unreadable', error: e };
  }
}

async function findRulesetId(
  client: GithubClient,
  target: RepoTarget,
  name: string,
) {
  const list = (await client.paginate(client.rest.repos.getRepoRulesets, {
    owner: target.owner,
    repo: target.repo,
    per_page: 100,
    includes_parents: false,
  })) as Array<{ id: number; name: string; source_type?: string }>;
  return list.find(
    r => r.name === name && (r.source_type ?? 'Repository') === 'Repository',
  )?.id;
}

function refuseConflicts(name: string, conflicts: string[]) {
  if (conflicts.length) {
    throw new ConflictError(
      `${name} already has protection the dual-lane rules cannot be added to without weakening it, so nothing was changed:\n- ${conflicts.join(
        '\n- ',
      )}`,
    );
  }
}

/**
 * What protecting the branch will write, decided before anything is
 * written: for an adopted repository the merge is computed (and refused on
 * conflicts) while the repository is still untouched.
 */
export interface ProtectionPlan {
  target: ProtectionTarget;
  /** The branch already holds the target: nothing to write. */
  upToDate: boolean;
}

async function planRuleset(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  rules: ProtectionRules,
  adopt: boolean,
): Promise<ProtectionPlan> {
  const { owner, repo } = target;
  const name = `${owner}/${repo}`;
  let current: any;
  let id: number | undefined;
  try {
    id = await findRulesetId(client, target, rules.rulesetName);
    if (id !== undefined) {
      current = (
        await client.rest.repos.getRepoRuleset({ owner, repo, ruleset_id: id })
      ).data;
    }
  } catch (e) {
    throw new GithubStepError(
      `Reading the rulesets of ${name}`,
      e,
      refusalHint(e),
    );
  }
  let body = rulesetBody(rules);
  if (adopt && current) {
    const merged = mergeRuleset(current, rules, branch);
    refuseConflicts(name, merged.conflicts);
    body = merged.body;
  }
  return {
    target: { mode: 'ruleset', rulesetId: id, body },
    upToDate:
      Boolean(current) && rulesetDifferences(current, body).length === 0,
  };
}

async function writeRuleset(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  planned: Extract<ProtectionTarget, { mode: 'ruleset' }>,
  logger: LoggerService,
): Promise<ProtectionTarget> {
  const { owner, repo } = target;
  const { body, rulesetId } = planned;
  // Octokit's types list each rule type separately; the body is built from
  // the same names.
  const params = body as any;
  try {
    if (rulesetId !== undefined) {
      await client.rest.repos.updateRepoRuleset({
        owner,
        repo,
        ruleset_id: rulesetId,
        ...params,
      });
      logger.info(`Updated ruleset '${body.name}' (${rulesetId})`);
      return planned;
    }
    const { data } = await client.rest.repos.createRepoRuleset({
      owner,
      repo,
      ...params,
    });
    logger.info(`Created ruleset '${body.name}' (${data.id})`);
    return { ...planned, rulesetId: data.id };
  } catch (e) {
    throw new GithubStepError(
      `Protecting ${branch} of ${owner}/${repo} with a ruleset`,
      e,
      refusalHint(e),
    );
  }
}

async function putBranchProtection(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  state: BranchProtectionState,
  options: ProtectionOptions,
) {
  const { owner, repo } = target;
  const retry = options.retry ?? DEFAULT_BRANCH_RETRY;
  const sleep = retry.sleep ?? sleeper;
  for (let attempt = 1; ; attempt++) {
    try {
      // Only `checks` carries the app pin; the deprecated `contexts` (still
      // required by octokit's types) is left out.
      await client.rest.repos.updateBranchProtection({
        owner,
        repo,
        branch,
        ...(branchProtectionBody(state) as any),
      });
      options.logger.info(`Protected ${branch} of ${owner}/${repo}`);
      break;
    } catch (e) {
      const notVisible =
        statusOf(e) === 404 && /branch not found/i.test(githubMessage(e));
      if (notVisible && attempt < retry.attempts) {
        const wait = retry.delayMs * 2 ** (attempt - 1);
        options.logger.info(
          `GitHub does not show ${branch} yet; retrying branch protection in ${wait} ms`,
        );
        await sleep(wait);
        continue;
      }
      throw new GithubStepError(
        `Protecting ${branch} of ${owner}/${repo}`,
        e,
        notVisible
          ? `The branch was still not visible after ${attempt} attempts; retry the task`
          : refusalHint(e),
      );
    }
  }
  // Signed commits have their own endpoint; the PUT body cannot keep them.
  if (state.requiredSignatures) {
    await client.rest.repos
      .createCommitSignatureProtection({ owner, repo, branch })
      .catch(e => {
        throw new GithubStepError(
          `Keeping signed commits required on ${branch} of ${owner}/${repo}`,
          e,
        );
      });
  }
}

/**
 * Decides how to protect the branch. A repository this task created (or an
 * empty one) gets exactly the configured rules. An adopted repository keeps
 * everything it had: the gates are added to its required checks, each
 * review setting becomes the stricter one, force pushes and deletions are
 * blocked; when that is impossible without weakening something (a gate
 * pinned to another app, bypass actors against enforceAdmins, a protection
 * that cannot be read completely) this throws and nothing is written.
 */
export async function planProtection(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  rules: ProtectionRules,
  adopt: boolean,
): Promise<ProtectionPlan> {
  if (rules.mode === 'ruleset') {
    return planRuleset(client, target, branch, rules, adopt);
  }
  const name = `${target.owner}/${target.repo}`;
  const current = await readBranchProtection(client, target, branch);
  let state = branchProtectionFromRules(rules);
  if (adopt) {
    if (current.status === 'unreadable') {
      throw new GithubStepError(
        `Reading the branch protection of ${branch} of ${name} before adding the gates to it`,
        current.error,
        refusalHint(current.error) ??
          'The protection is not changed without reading it first',
      );
    }
    if (current.status === 'protected' && current.unreadable.length) {
      throw new ConflictError(
        `The branch protection of ${branch} of ${name} cannot be read completely, so it is not rewritten: ${current.unreadable.join(
          '; ',
        )}`,
      );
    }
    const merged = mergeBranchProtection(
      current.status === 'protected' ? current.state : undefined,
      rules,
    );
    refuseConflicts(name, merged.conflicts);
    state = merged.state;
  }
  return {
    target: { mode: 'branchProtection', state },
    upToDate:
      current.status === 'protected' &&
      !current.unreadable.length &&
      branchProtectionDifferences(current.state, state).length === 0,
  };
}

/**
 * Writes a plan unless the branch already holds it. Branch protection is
 * retried while GitHub answers 404 "Branch not found" for a branch just
 * pushed.
 */
export async function applyProtection(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  plan: ProtectionPlan,
  options: ProtectionOptions,
): Promise<ProtectionTarget> {
  const name = `${target.owner}/${target.repo}`;
  if (plan.upToDate) {
    options.logger.info(`${branch} of ${name} is already protected as asked`);
    return plan.target;
  }
  if (plan.target.mode === 'ruleset') {
    return writeRuleset(client, target, branch, plan.target, options.logger);
  }
  await putBranchProtection(client, target, branch, plan.target.state, options);
  return plan.target;
}

/**
 * Reads the protection back and lists every way it differs from what
 * `ensureProtection` meant to leave. An empty list is the only success: a
 * field GitHub does not report, a 403 or a 404 is a difference too.
 */
export async function protectionDifferences(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  expected: ProtectionTarget,
): Promise<string[]> {
  const { owner, repo } = target;
  if (expected.mode === 'ruleset') {
    const name = expected.body.name;
    let data: any;
    try {
      const id =
        expected.rulesetId ?? (await findRulesetId(client, target, name));
      if (id === undefined) return [`ruleset '${name}' does not exist`];
      data = (
        await client.rest.repos.getRepoRuleset({ owner, repo, ruleset_id: id })
      ).data;
    } catch (e) {
      return [
        `ruleset '${name}' cannot be read (${statusOf(e)}: ${githubMessage(
          e,
        )})`,
      ];
    }
    return rulesetDifferences(data, expected.body);
  }
  const found = await readBranchProtection(client, target, branch);
  if (found.status === 'unprotected') {
    return [`${branch} is not protected`];
  }
  if (found.status === 'unreadable') {
    return [
      `branch protection of ${branch} cannot be read (${statusOf(
        found.error,
      )}: ${githubMessage(found.error)})`,
    ];
  }
  return [
    ...found.unreadable,
    ...branchProtectionDifferences(found.state, expected.state),
  ];
}
