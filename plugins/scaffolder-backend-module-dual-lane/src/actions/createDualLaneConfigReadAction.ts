import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { NEGATIVE_TESTS } from '@dual-lane/plugin-dual-lane-common';
import {
  readLaneConventions,
  RequiredCheck,
} from '@dual-lane/plugin-dual-lane-node';
import { readOrgPolicyBundle } from '../services/config/orgPolicyBundle';
import {
  readScaffolderSettings,
  workflowOf,
} from '../services/config/readScaffolderConfig';
import {
  resolveTemplateGates,
  TEMPLATE_GATE_KEYS,
} from '../services/config/templateGates';

export const DUAL_LANE_CONFIG_READ_ACTION_ID = 'dual-lane:config:read';

function templateCheck(check: RequiredCheck) {
  return {
    name: check.name,
    workflow: workflowOf(check.name, check.context),
    context: check.context,
    ...(check.appId !== undefined && { appId: check.appId }),
    ...(check.appSlug !== undefined && { appSlug: check.appSlug }),
    ...(check.role !== undefined && { role: check.role }),
  };
}

/**
 * The job name of the template's negative-test report: the first of
 * `dualLane.negativeTests.checkNames`, which the backend reads results from.
 */
function negativeTestCheckName(checkNames: string[]): string {
  if (!checkNames.length) {
    throw new InputError(
      'dualLane.negativeTests.checkNames must name at least one check; the template names its report job after the first',
    );
  }
  return checkNames[0];
}

/**
 * Reads the gate, label and lane settings from app-config so a template's
 * skeleton can render workflow job names, AGENTS.md/CLAUDE.md and the label
 * workflow from the same values branch protection will require. Has no side
 * effects, so it also runs in dry runs.
 */
export function readTemplateValues(config: Config) {
  const settings = readScaffolderSettings(config);
  const required = settings.protection.requiredChecks;
  const byKey = resolveTemplateGates(config, required);
  const conventions = readLaneConventions(config);
  return {
    requiredChecks: required.map(templateCheck),
    gates: Object.fromEntries(
      TEMPLATE_GATE_KEYS.map(key => [key, templateCheck(byKey[key])]),
    ),
    labels: settings.labels,
    labelsByState: Object.fromEntries(settings.labels.map(l => [l.state, l])),
    markers: conventions.markers,
    branchPrefixes: conventions.branchPrefixes,
    verdicts: conventions.verdicts,
    negativeTests: [...NEGATIVE_TESTS],
    negativeTestCheckName: negativeTestCheckName(
      conventions.negativeTests.checkNames,
    ),
    driftCheck: settings.driftCheck,
    orgPolicyBundle: readOrgPolicyBundle(config),
    repositoryTopic: settings.repositoryTopic,
  };
}

export function createDualLaneConfigReadAction(options: { config: Config }) {
  return createTemplateAction({
    id: DUAL_LANE_CONFIG_READ_ACTION_ID,
    description:
      'Outputs the dual-lane gates (dualLane.gates.requiredChecks; their role says which of them the LEO, story release, SLSA and policy workflows report), lane labels (dualLane.labels), lane markers, branch prefixes, the PLAN verdict convention and the negative tests, for rendering a dual-lane skeleton.',
    supportsDryRun: true,
    schema: {
      // Without an input schema the scaffolder drops the output schema too.
      input: {},
      output: {
        requiredChecks: z =>
          z.array(
            z.object({
              name: z.string(),
              workflow: z.string(),
              context: z.string(),
              appId: z.number().optional(),
              appSlug: z.string().optional(),
              role: z.string().optional(),
            }),
            {
              description:
                'Every required gate: name, workflow name, job name (context), app pin and role',
            },
          ),
        gates: z =>
          z.record(z.any(), {
            description:
              'The four seed gates by key (leo, storyRelease, slsa, policy), found by their role (or the deprecated dualLane.scaffolder.templateGates), never by position',
          }),
        labels: z =>
          z.array(
            z.object({
              state: z.string(),
              name: z.string(),
              color: z.string(),
              description: z.string(),
            }),
            { description: 'Lane state labels in state order' },
          ),
        labelsByState: z =>
          z.record(z.any(), { description: 'The labels keyed by lane state' }),
        markers: z =>
          z.object(
            { ready: z.string(), applied: z.string() },
            { description: 'Commit markers of the lanes' },
          ),
        branchPrefixes: z =>
          z.object(
            { staging: z.string(), feature: z.string() },
            { description: 'Lane branch prefixes' },
          ),
        verdicts: z =>
          z.object(
            {
              marker: z.string(),
              supervisors: z.array(z.string()),
              reviewStates: z.boolean(),
              comments: z.boolean(),
            },
            {
              description:
                'How PLAN verdicts are recognised (dualLane.verdicts), as the backend reads them',
            },
          ),
        negativeTests: z =>
          z.array(z.string(), { description: 'The four negative tests' }),
        negativeTestCheckName: z =>
          z.string({
            description:
              'Job name of the negative-test report (the first of dualLane.negativeTests.checkNames)',
          }),
        driftCheck: z =>
          z.object(
            {
              required: z.boolean(),
              name: z.string(),
              workflow: z.string(),
              context: z.string(),
            },
            {
              description:
                'The AGENTS.md/CLAUDE.md drift check job and whether branch protection requires it (dualLane.scaffolder.requireDriftCheck)',
            },
          ),
        orgPolicyBundle: z =>
          z
            .object(
              {
                repository: z.string(),
                asset: z.string(),
                version: z.string().optional(),
                identity: z.string().optional(),
                identityRegexp: z.string().optional(),
                issuer: z.string(),
              },
              {
                description:
                  "The organisation's signed policy bundle the policy gate verifies (dualLane.scaffolder.orgPolicyBundle); absent when not configured",
              },
            )
            .optional(),
        repositoryTopic: z =>
          z.string({ description: 'Topic marking a dual-lane repository' }),
      },
    },
    async handler(ctx) {
      const values = readTemplateValues(options.config);
      for (const [key, value] of Object.entries(values)) {
        if (value !== undefined)
          ctx.output(key as keyof typeof values, value as any);
      }
    },
  });
}
