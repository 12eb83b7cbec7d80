import { LoggerService } from '@backstage/backend-plugin-api';
import { ProtectionRules } from '../config/readScaffolderConfig';
import { GithubClient } from './githubClient';
import { githubMessage, GithubStepError, statusOf } from './githubErrors';
import { RepoTarget } from './repoNaming';

/** GitHub's built-in repository role id of "admin", used as ruleset bypass actor. */
const REPOSITORY_ADMIN_ROLE_ID = 5;

/** Bounded wait for a branch GitHub has not made visible yet. */
export interface BranchRetry {
  attempts: number;
  delayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BRANCH_RETRY: BranchRetry = { attempts: 5, delayMs: 1000 };

const sleeper = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** The `PUT .../branches/{branch}/protection` body for the rules. */
export function branchProtectionBody(rules: ProtectionRules) {
  return {
    required_status_checks: {
      strict: rules.requireBranchesUpToDate,
      // Pinning the app means a check of the same name from another app
      // cannot satisfy the gate.
      checks: rules.requiredChecks.map(check =>
        check.appId !== undefined
          ? { context: check.context, app_id: check.appId }
          : { context: check.context },
      ),
    },
    enforce_admins: rules.enforceAdmins,
    required_pull_request_reviews: {
      dismiss_stale_reviews: rules.dismissStaleReviews,
      require_code_owner_reviews: rules.requireCodeOwnerReviews,
      required_approving_review_count: rules.requiredApprovingReviewCount,
      require_last_push_approval: rules.requireLastPushApproval,
    },
    restrictions: null,
    allow_force_pushes: false,
    allow_deletions: false,
    required_conversation_resolution: rules.requireConversationResolution,
  };
}

/** The ruleset with the same rules, applied to the default branch. */
export function rulesetBody(rules: ProtectionRules) {
  return {
    name: rules.rulesetName,
    target: 'branch' as const,
    enforcement: 'active' as const,
    bypass_actors: rules.enforceAdmins
      ? []
      : [
          {
            actor_id: REPOSITORY_ADMIN_ROLE_ID,
            actor_type: 'RepositoryRole' as const,
            bypass_mode: 'always' as const,
          },
        ],
    conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
    rules: [
      { type: 'deletion' as const },
      { type: 'non_fast_forward' as const },
      {
        type: 'pull_request' as const,
        parameters: {
          required_approving_review_count: rules.requiredApprovingReviewCount,
          dismiss_stale_reviews_on_push: rules.dismissStaleReviews,
          require_code_owner_review: rules.requireCodeOwnerReviews,
          require_last_push_approval: rules.requireLastPushApproval,
          required_review_thread_resolution:
            rules.requireConversationResolution,
        },
      },
      {
        type: 'required_status_checks' as const,
        parameters: {
          strict_required_status_checks_policy: rules.requireBranchesUpToDate,
          required_status_checks: rules.requiredChecks.map(check =>
            check.appId !== undefined
              ? { context: check.context, integration_id: check.appId }
              : { context: check.context },
          ),
        },
      },
    ],
  };
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

/**
 * Applies the rules. Branch protection is retried a bounded number of times
 * while GitHub answers 404 "Branch not found" for a branch just pushed;
 * every other refusal fails the step with GitHub's reason.
 */
export async function applyProtection(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  rules: ProtectionRules,
  logger: LoggerService,
  retry: BranchRetry = DEFAULT_BRANCH_RETRY,
): Promise<{ rulesetId?: number }> {
  const { owner, repo } = target;
  if (rules.mode === 'ruleset') {
    const body = rulesetBody(rules);
    try {
      const id = await findRulesetId(client, target, rules.rulesetName);
      if (id !== undefined) {
        await client.rest.repos.updateRepoRuleset({
          owner,
          repo,
          ruleset_id: id,
          ...body,
        });
        logger.info(`Updated ruleset '${rules.rulesetName}' (${id})`);
        return { rulesetId: id };
      }
      const { data } = await client.rest.repos.createRepoRuleset({
        owner,
        repo,
        ...body,
      });
      logger.info(`Created ruleset '${rules.rulesetName}' (${data.id})`);
      return { rulesetId: data.id };
    } catch (e) {
      throw new GithubStepError(
        `Protecting ${branch} of ${owner}/${repo} with a ruleset`,
        e,
        refusalHint(e),
      );
    }
  }
  const sleep = retry.sleep ?? sleeper;
  for (let attempt = 1; ; attempt++) {
    try {
      // Only `checks` carries the app pin; the deprecated `contexts` (still
      // required by octokit's types) is left out.
      await client.rest.repos.updateBranchProtection({
        owner,
        repo,
        branch,
        ...(branchProtectionBody(rules) as any),
      });
      logger.info(`Protected ${branch} of ${owner}/${repo}`);
      return {};
    } catch (e) {
      const notVisible =
        statusOf(e) === 404 && /branch not found/i.test(githubMessage(e));
      if (notVisible && attempt < retry.attempts) {
        const wait = retry.delayMs * 2 ** (attempt - 1);
        logger.info(
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
}

function compare(
  problems: string[],
  what: string,
  found: unknown,
  wanted: unknown,
) {
  if (found !== wanted)
    problems.push(
      `${what} is ${JSON.stringify(found)} instead of ${JSON.stringify(
        wanted,
      )}`,
    );
}

function compareChecks(
  problems: string[],
  found: Array<{
    context: string;
    app_id?: number | null;
    integration_id?: number | null;
  }>,
  rules: ProtectionRules,
) {
  for (const check of rules.requiredChecks) {
    const match = found.find(f => f.context === check.context);
    if (!match) {
      problems.push(`required check '${check.context}' is missing`);
    } else if (
      check.appId !== undefined &&
      (match.app_id ?? match.integration_id) !== check.appId
    ) {
      problems.push(
        `required check '${check.context}' is pinned to app ${
          match.app_id ?? match.integration_id ?? 'any'
        } instead of ${check.appId}`,
      );
    }
  }
  for (const extra of found.filter(
    f => !rules.requiredChecks.some(c => c.context === f.context),
  )) {
    problems.push(`unexpected required check '${extra.context}'`);
  }
}

/**
 * Reads the protection back and lists every way it differs from the rules.
 * An empty list is the only success: a 403 or 404 here is a difference too.
 */
export async function protectionDifferences(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  rules: ProtectionRules,
  rulesetId?: number,
): Promise<string[]> {
  const { owner, repo } = target;
  const problems: string[] = [];
  if (rules.mode === 'ruleset') {
    let id = rulesetId;
    let data: any;
    try {
      id ??= await findRulesetId(client, target, rules.rulesetName);
      if (id === undefined)
        return [`ruleset '${rules.rulesetName}' does not exist`];
      data = (
        await client.rest.repos.getRepoRuleset({ owner, repo, ruleset_id: id })
      ).data;
    } catch (e) {
      return [
        `ruleset '${rules.rulesetName}' cannot be read (${statusOf(
          e,
        )}: ${githubMessage(e)})`,
      ];
    }
    compare(problems, 'ruleset enforcement', data.enforcement, 'active');
    compare(problems, 'ruleset target', data.target, 'branch');
    if (!data.conditions?.ref_name?.include?.includes('~DEFAULT_BRANCH')) {
      problems.push('ruleset does not apply to the default branch');
    }
    compare(
      problems,
      'number of ruleset bypass actors',
      (data.bypass_actors ?? []).length,
      rules.enforceAdmins ? 0 : 1,
    );
    const rule = (type: string) =>
      (data.rules ?? []).find((r: any) => r.type === type);
    if (!rule('deletion')) problems.push('branch deletion is not blocked');
    if (!rule('non_fast_forward'))
      problems.push('force pushes are not blocked');
    const pr = rule('pull_request')?.parameters;
    if (!pr) problems.push('pull requests are not required');
    else {
      compare(
        problems,
        'required approving review count',
        pr.required_approving_review_count,
        rules.requiredApprovingReviewCount,
      );
      compare(
        problems,
        'dismiss stale reviews',
        pr.dismiss_stale_reviews_on_push,
        rules.dismissStaleReviews,
      );
      compare(
        problems,
        'require code owner review',
        pr.require_code_owner_review,
        rules.requireCodeOwnerReviews,
      );
      compare(
        problems,
        'require last push approval',
        pr.require_last_push_approval,
        rules.requireLastPushApproval,
      );
      compare(
        problems,
        'require conversation resolution',
        pr.required_review_thread_resolution,
        rules.requireConversationResolution,
      );
    }
    const checks = rule('required_status_checks')?.parameters;
    if (!checks) problems.push('status checks are not required');
    else {
      compare(
        problems,
        'strict status checks',
        checks.strict_required_status_checks_policy,
        rules.requireBranchesUpToDate,
      );
      compareChecks(problems, checks.required_status_checks ?? [], rules);
    }
    return problems;
  }

  let data: any;
  try {
    data = (
      await client.rest.repos.getBranchProtection({ owner, repo, branch })
    ).data;
  } catch (e) {
    return [
      `branch protection of ${branch} cannot be read (${statusOf(
        e,
      )}: ${githubMessage(e)})`,
    ];
  }
  const checks = data.required_status_checks;
  if (!checks) problems.push('status checks are not required');
  else {
    compare(
      problems,
      'strict status checks',
      checks.strict,
      rules.requireBranchesUpToDate,
    );
    compareChecks(
      problems,
      checks.checks ??
        (checks.contexts ?? []).map((context: string) => ({ context })),
      rules,
    );
  }
  compare(
    problems,
    'enforce admins',
    data.enforce_admins?.enabled ?? false,
    rules.enforceAdmins,
  );
  const reviews = data.required_pull_request_reviews;
  if (!reviews) problems.push('pull request reviews are not required');
  else {
    compare(
      problems,
      'required approving review count',
      reviews.required_approving_review_count ?? 0,
      rules.requiredApprovingReviewCount,
    );
    compare(
      problems,
      'dismiss stale reviews',
      reviews.dismiss_stale_reviews ?? false,
      rules.dismissStaleReviews,
    );
    compare(
      problems,
      'require code owner reviews',
      reviews.require_code_owner_reviews ?? false,
      rules.requireCodeOwnerReviews,
    );
    compare(
      problems,
      'require last push approval',
      reviews.require_last_push_approval ?? false,
      rules.requireLastPushApproval,
    );
  }
  compare(
    problems,
    'allow force pushes',
    data.allow_force_pushes?.enabled ?? false,
    false,
  );
  compare(
    problems,
    'allow deletions',
    data.allow_deletions?.enabled ?? false,
    false,
  );
  compare(
    problems,
    'require conversation resolution',
    data.required_conversation_resolution?.enabled ?? false,
    rules.requireConversationResolution,
  );
  return problems;
}
