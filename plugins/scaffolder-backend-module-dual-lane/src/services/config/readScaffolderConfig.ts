import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  readLaneLabels,
  readRequiredChecks,
  RequiredCheck,
} from '@dual-lane/plugin-dual-lane-node';
import {
  LANE_STATES,
  LaneLabelDefinition,
  LaneState,
} from '@dual-lane/plugin-dual-lane-common';

/** How the default branch is protected. */
export type ProtectionMode = 'branchProtection' | 'ruleset';

/** The rules the action applies to the default branch. */
export interface ProtectionRules {
  mode: ProtectionMode;
  rulesetName: string;
  requiredChecks: RequiredCheck[];
  requiredApprovingReviewCount: number;
  dismissStaleReviews: boolean;
  requireCodeOwnerReviews: boolean;
  requireLastPushApproval: boolean;
  enforceAdmins: boolean;
  requireBranchesUpToDate: boolean;
  requireConversationResolution: boolean;
}

/** Who may adopt an existing repository with content. */
export type AdoptionPolicy = 'userToken' | 'anyCredentials' | 'never';

const ADOPTION_POLICIES: AdoptionPolicy[] = [
  'userToken',
  'anyCredentials',
  'never',
];

/** Everything `dual-lane:repo:create` reads from config, validated. */
export interface ScaffolderSettings {
  /**
   * Lower-cased. Undefined: not configured, which allows any owner only
   * with the user's own token (see `ownerAllowed`).
   */
  allowedOwners?: string[];
  adoption: AdoptionPolicy;
  /**
   * The GitHub App id of GitHub Actions per host (lower-cased): checks pinned
   * to it must be produced by a workflow job of the skeleton.
   */
  actionsAppIds: Map<string, number>;
  /** The AGENTS.md/CLAUDE.md drift check of the template's leo-drift-check.yml. */
  driftCheck: DriftCheckSettings;
  repositoryTopic: string;
  protection: ProtectionRules;
  labels: Array<LaneLabelDefinition & { state: LaneState }>;
}

const KEY = 'dualLane.scaffolder';

/** The drift check job; a required check unless turned off. */
export interface DriftCheckSettings {
  required: boolean;
  name: string;
  workflow: string;
  context: string;
}

export const DRIFT_CHECK = {
  name: 'LEO Drift Check / Check AGENTS.md vs CLAUDE.md',
  workflow: 'LEO Drift Check',
  context: 'Check AGENTS.md vs CLAUDE.md',
};

/**
 * GitHub Actions' app id on github.com. GitHub Enterprise Server
 * installations have their own: `dualLane.scaffolder.actionsApps`.
 */
export const GITHUB_COM_ACTIONS_APP_ID = 15368;

function readActionsApps(config: Config): Map<string, number> {
  const apps = new Map([['github.com', GITHUB_COM_ACTIONS_APP_ID]]);
  for (const [index, entry] of (
    config.getOptionalConfigArray(`${KEY}.actionsApps`) ?? []
  ).entries()) {
    const host = entry.getString('host').trim().toLowerCase();
    const appId = entry.getNumber('appId');
    if (!host || !Number.isInteger(appId) || appId <= 0) {
      throw new InputError(
        `${KEY}.actionsApps[${index}] needs a host and a positive integer appId`,
      );
    }
    apps.set(host, appId);
  }
  return apps;
}
/** The workflow part of `<workflow> / <job>`; the context when there is none. */
export function workflowOf(name: string, context: string): string {
  const at = name.lastIndexOf(' / ');
  return at === -1 ? context : name.slice(0, at);
}

const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;

function readBoolean(config: Config, key: string, fallback: boolean) {
  return config.getOptionalBoolean(`${KEY}.${key}`) ?? fallback;
}

/**
 * Reads `dualLane.scaffolder` together with the shared gate and label config.
 * Bad values are refused with the offending key in the message, so a
 * misconfiguration fails the task before any GitHub call.
 */
export function readScaffolderSettings(config: Config): ScaffolderSettings {
  const mode =
    config.getOptionalString(`${KEY}.protection`) ?? 'branchProtection';
  if (mode !== 'branchProtection' && mode !== 'ruleset') {
    throw new InputError(
      `${KEY}.protection must be 'branchProtection' or 'ruleset', got '${mode}'`,
    );
  }
  const reviewCount =
    config.getOptionalNumber(`${KEY}.reviews.requiredApprovingReviewCount`) ??
    1;
  if (!Number.isInteger(reviewCount) || reviewCount < 0 || reviewCount > 6) {
    throw new InputError(
      `${KEY}.reviews.requiredApprovingReviewCount must be an integer from 0 to 6 (GitHub's range), got ${reviewCount}`,
    );
  }
  const topic =
    config.getOptionalString(`${KEY}.repositoryTopic`) ?? 'dual-lane';
  if (!TOPIC.test(topic)) {
    throw new InputError(
      `${KEY}.repositoryTopic must be a GitHub topic (lower-case letters, digits and hyphens, at most 50), got '${topic}'`,
    );
  }
  const rulesetName =
    config.getOptionalString(`${KEY}.rulesetName`)?.trim() || 'dual-lane-gates';
  const owners = config.getOptionalStringArray(`${KEY}.allowedOwners`);
  const labelsByState = readLaneLabels(config);
  const requiredChecks = readRequiredChecks(config);
  const driftGate = requiredChecks.find(c => c.role === 'drift');
  const adoption = config.getOptionalString(`${KEY}.adoption`) ?? 'userToken';
  if (!ADOPTION_POLICIES.includes(adoption as AdoptionPolicy)) {
    throw new InputError(
      `${KEY}.adoption must be one of ${ADOPTION_POLICIES.join(
        ', ',
      )}, got '${adoption}'`,
    );
  }

  return {
    allowedOwners: owners?.map(owner => owner.trim().toLowerCase()),
    adoption: adoption as AdoptionPolicy,
    actionsAppIds: readActionsApps(config),
    // A gate with the role `drift` is the drift check (and required as a
    // gate); otherwise the template's own job, required unless turned off.
    driftCheck: driftGate
      ? {
          name: driftGate.name,
          workflow: workflowOf(driftGate.name, driftGate.context),
          context: driftGate.context,
          required: true,
        }
      : {
          ...DRIFT_CHECK,
          required: readBoolean(config, 'requireDriftCheck', true),
        },
    repositoryTopic: topic,
    protection: {
      mode,
      rulesetName,
      requiredChecks,
      requiredApprovingReviewCount: reviewCount,
      dismissStaleReviews: readBoolean(
        config,
        'reviews.dismissStaleReviews',
        true,
      ),
      requireCodeOwnerReviews: readBoolean(
        config,
        'reviews.requireCodeOwnerReviews',
        false,
      ),
      requireLastPushApproval: readBoolean(
        config,
        'reviews.requireLastPushApproval',
        false,
      ),
      enforceAdmins: readBoolean(config, 'enforceAdmins', true),
      requireBranchesUpToDate: readBoolean(
        config,
        'requireBranchesUpToDate',
        true,
      ),
      requireConversationResolution: readBoolean(
        config,
        'requireConversationResolution',
        false,
      ),
    },
    labels: LANE_STATES.map(state => ({ state, ...labelsByState[state] })),
  };
}

/**
 * The rules for one host: the gates plus, unless turned off, the drift
 * check, pinned to GitHub Actions where its app id on the host is known (so
 * a commit status of the same name, which anyone with write access can set,
 * cannot satisfy it).
 */
export function protectionRulesFor(
  settings: ScaffolderSettings,
  host: string,
): ProtectionRules {
  const rules = settings.protection;
  const drift = settings.driftCheck;
  if (
    !drift.required ||
    rules.requiredChecks.some(c => c.context === drift.context)
  ) {
    return rules;
  }
  const appId = settings.actionsAppIds.get(host.toLowerCase());
  return {
    ...rules,
    requiredChecks: [
      ...rules.requiredChecks,
      {
        name: drift.name,
        context: drift.context,
        ...(appId !== undefined && { appId, appSlug: 'github-actions' }),
      },
    ],
  };
}
