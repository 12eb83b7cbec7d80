import { ProtectionRules } from '../config/readScaffolderConfig';
import { checkDifferences, mergeChecks } from './branchProtectionState';

/*
 * A repository ruleset as the action writes it (`POST/PUT .../rulesets`)
 * and reads it back, plus the merge used when adopting a repository the
 * task did not create: the ruleset's other rules, conditions and
 * parameters stay, the gates are added, nothing is weakened.
 */

/** GitHub's built-in repository role id of "admin", used as bypass actor. */
export const REPOSITORY_ADMIN_ROLE_ID = 5;

export interface BypassActor {
  actor_id: number | null;
  actor_type: string;
  bypass_mode: string;
}

export interface RulesetRule {
  type: string;
  parameters?: Record<string, any>;
}

/** The writable part of a ruleset. */
export interface RulesetBody {
  name: string;
  target: string;
  enforcement: string;
  bypass_actors: BypassActor[];
  conditions: {
    ref_name: { include: string[]; exclude: string[] };
    [key: string]: unknown;
  };
  rules: RulesetRule[];
}

const ADMIN_BYPASS: BypassActor = {
  actor_id: REPOSITORY_ADMIN_ROLE_ID,
  actor_type: 'RepositoryRole',
  bypass_mode: 'always',
};

function statusChecks(rules: ProtectionRules) {
  return rules.requiredChecks.map(check =>
    check.appId !== undefined
      ? { context: check.context, integration_id: check.appId }
      : { context: check.context },
  );
}

/** The ruleset with the configured rules, applied to the default branch. */
export function rulesetBody(rules: ProtectionRules): RulesetBody {
  return {
    name: rules.rulesetName,
    target: 'branch',
    enforcement: 'active',
    bypass_actors: rules.enforceAdmins ? [] : [{ ...ADMIN_BYPASS }],
    conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
    rules: [
      { type: 'deletion' },
      { type: 'non_fast_forward' },
      {
        type: 'pull_request',
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
        type: 'required_status_checks',
        parameters: {
          strict_required_status_checks_policy: rules.requireBranchesUpToDate,
          required_status_checks: statusChecks(rules),
        },
      },
    ],
  };
}

const actorKey = (a: BypassActor) =>
  `${a.actor_type}:${a.actor_id ?? ''}:${a.bypass_mode}`;

function toChecks(list: any[] | undefined) {
  return (list ?? []).map((c: any) =>
    typeof c.integration_id === 'number'
      ? { context: c.context, appId: c.integration_id }
      : { context: c.context },
  );
}

function fromChecks(list: Array<{ context: string; appId?: number }>) {
  return list.map(c =>
    c.appId !== undefined
      ? { context: c.context, integration_id: c.appId }
      : { context: c.context },
  );
}

/** The writable part of a ruleset GitHub returned. */
export function rulesetBodyOf(data: any): RulesetBody {
  return {
    name: data.name,
    target: data.target,
    enforcement: data.enforcement,
    bypass_actors: (data.bypass_actors ?? []).map((a: any) => ({
      actor_id: a.actor_id ?? null,
      actor_type: a.actor_type,
      bypass_mode: a.bypass_mode,
    })),
    conditions: {
      ...data.conditions,
      ref_name: {
        include: data.conditions?.ref_name?.include ?? [],
        exclude: data.conditions?.ref_name?.exclude ?? [],
      },
    },
    rules: (data.rules ?? []).map((r: any) =>
      r.parameters === undefined
        ? { type: r.type }
        : { type: r.type, parameters: r.parameters },
    ),
  };
}

/**
 * Adopting an existing ruleset of the configured name: its other rules,
 * conditions and parameters stay; the gates, deletion and force-push blocks
 * are added; review settings become the stricter of the two. What cannot
 * be merged without weakening or guessing is a conflict.
 */
export function mergeRuleset(
  current: RulesetBody,
  rules: ProtectionRules,
  branch: string,
): { body: RulesetBody; conflicts: string[] } {
  const conflicts: string[] = [];
  const wanted = rulesetBody(rules);
  if (current.target !== 'branch') {
    conflicts.push(
      `the ruleset '${current.name}' targets ${current.target}, not branches`,
    );
  }
  const { include, exclude } = current.conditions.ref_name;
  if (
    exclude.some(e =>
      ['~DEFAULT_BRANCH', '~ALL', `refs/heads/${branch}`].includes(e),
    )
  ) {
    conflicts.push(
      `the ruleset '${
        current.name
      }' excludes the default branch (${exclude.join(', ')})`,
    );
  }
  const bypass = [...current.bypass_actors];
  if (rules.enforceAdmins && bypass.length) {
    conflicts.push(
      `the ruleset '${current.name}' lets ${bypass
        .map(actorKey)
        .join(
          ', ',
        )} bypass it, but dualLane.scaffolder.enforceAdmins asks for no bypass; remove them by hand or turn enforceAdmins off`,
    );
  }
  if (
    !rules.enforceAdmins &&
    !bypass.some(a => actorKey(a) === actorKey(ADMIN_BYPASS))
  ) {
    bypass.push({ ...ADMIN_BYPASS });
  }
  const merged: RulesetRule[] = current.rules.map(r => ({
    ...r,
    ...(r.parameters && { parameters: { ...r.parameters } }),
  }));
  for (const rule of wanted.rules) {
    const existing = merged.find(r => r.type === rule.type);
    if (!existing) {
      merged.push(rule);
      continue;
    }
    const p = existing.parameters ?? {};
    const w = rule.parameters ?? {};
    if (rule.type === 'pull_request') {
      existing.parameters = {
        ...p,
        required_approving_review_count: Math.max(
          p.required_approving_review_count ?? 0,
          w.required_approving_review_count,
        ),
        dismiss_stale_reviews_on_push:
          Boolean(p.dismiss_stale_reviews_on_push) ||
          w.dismiss_stale_reviews_on_push,
        require_code_owner_review:
          Boolean(p.require_code_owner_review) || w.require_code_owner_review,
        require_last_push_approval:
          Boolean(p.require_last_push_approval) || w.require_last_push_approval,
        required_review_thread_resolution:
          Boolean(p.required_review_thread_resolution) ||
          w.required_review_thread_resolution,
      };
    } else if (rule.type === 'required_status_checks') {
      existing.parameters = {
        ...p,
        strict_required_status_checks_policy:
          Boolean(p.strict_required_status_checks_policy) ||
          w.strict_required_status_checks_policy,
        required_status_checks: fromChecks(
          mergeChecks(
            toChecks(p.required_status_checks),
            toChecks(w.required_status_checks),
            conflicts,
          ),
        ),
      };
    }
  }
  return {
    conflicts,
    body: {
      name: current.name,
      target: current.target,
      enforcement: 'active',
      bypass_actors: bypass,
      conditions: {
        ...current.conditions,
        ref_name: {
          include:
            include.includes('~DEFAULT_BRANCH') || include.includes('~ALL')
              ? include
              : [...include, '~DEFAULT_BRANCH'],
          exclude,
        },
      },
      rules: merged,
    },
  };
}

function same(a: unknown, b: unknown) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Every way a ruleset GitHub returned differs from the one wanted. Bypass
 * actors are compared one by one (not by count), rule parameters key by key
 * for every key the action sent (GitHub adds defaults of its own).
 */
export function rulesetDifferences(found: any, wanted: RulesetBody): string[] {
  const problems: string[] = [];
  const body = rulesetBodyOf(found);
  if (body.enforcement !== wanted.enforcement) {
    problems.push(
      `ruleset enforcement is '${body.enforcement}' instead of '${wanted.enforcement}'`,
    );
  }
  if (body.target !== wanted.target) {
    problems.push(
      `ruleset target is '${body.target}' instead of '${wanted.target}'`,
    );
  }
  for (const key of ['include', 'exclude'] as const) {
    const f = [...body.conditions.ref_name[key]].sort();
    const w = [...wanted.conditions.ref_name[key]].sort();
    if (!same(f, w)) {
      problems.push(
        `ruleset ref_name.${key} is ${JSON.stringify(
          f,
        )} instead of ${JSON.stringify(w)}`,
      );
    }
  }
  const foundActors = new Set(body.bypass_actors.map(actorKey));
  const wantedActors = new Set(wanted.bypass_actors.map(actorKey));
  for (const actor of wantedActors) {
    if (!foundActors.has(actor))
      problems.push(`ruleset bypass actor ${actor} is missing`);
  }
  for (const actor of foundActors) {
    if (!wantedActors.has(actor))
      problems.push(`unexpected ruleset bypass actor ${actor}`);
  }
  for (const rule of wanted.rules) {
    const match = body.rules.find(r => r.type === rule.type);
    if (!match) {
      problems.push(
        {
          deletion: 'branch deletion is not blocked',
          non_fast_forward: 'force pushes are not blocked',
          pull_request: 'pull requests are not required',
          required_status_checks: 'status checks are not required',
        }[rule.type] ?? `ruleset rule '${rule.type}' is missing`,
      );
      continue;
    }
    for (const [key, value] of Object.entries(rule.parameters ?? {})) {
      const foundValue = match.parameters?.[key];
      if (key === 'required_status_checks') {
        problems.push(
          ...checkDifferences(
            toChecks(foundValue as any[]),
            toChecks(value as any[]),
          ),
        );
      } else if (!same(foundValue, value)) {
        problems.push(
          `ruleset ${rule.type}.${key} is ${JSON.stringify(
            foundValue ?? null,
          )} instead of ${JSON.stringify(value)}`,
        );
      }
    }
  }
  for (const extra of body.rules.filter(
    r => !wanted.rules.some(w => w.type === r.type),
  )) {
    problems.push(`unexpected ruleset rule '${extra.type}'`);
  }
  return problems;
}
