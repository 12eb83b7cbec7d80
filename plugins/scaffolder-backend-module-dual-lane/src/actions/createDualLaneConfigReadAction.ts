import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_BRANCH_PREFIXES,
  DEFAULT_LANE_MARKERS,
  NEGATIVE_TESTS,
} from '@dual-lane/plugin-dual-lane-common';
import { readScaffolderSettings } from '../services/config/readScaffolderConfig';

export const DUAL_LANE_CONFIG_READ_ACTION_ID = 'dual-lane:config:read';

/** The seed's gates in its order; the first four configured checks fill them. */
const GATE_KEYS = ['leo', 'storyRelease', 'slsa', 'policy'] as const;

function workflowOf(name: string, context: string) {
  const at = name.lastIndexOf(' / ');
  return at === -1 ? context : name.slice(0, at);
}

/**
 * Reads the gate, label and lane settings from app-config so a template's
 * skeleton can render workflow job names, AGENTS.md/CLAUDE.md and the label
 * workflow from the same values branch protection will require. Has no side
 * effects, so it also runs in dry runs.
 */
export function readTemplateValues(config: Config) {
  const settings = readScaffolderSettings(config);
  const checks = settings.protection.requiredChecks.map(check => ({
    name: check.name,
    workflow: workflowOf(check.name, check.context),
    context: check.context,
    ...(check.appId !== undefined && { appId: check.appId }),
    ...(check.appSlug !== undefined && { appSlug: check.appSlug }),
  }));
  if (checks.length < GATE_KEYS.length) {
    throw new InputError(
      `dualLane.gates.requiredChecks lists ${checks.length} checks; the dual-lane repository template needs the four gates (LEO, story release, SLSA, policy) in that order`,
    );
  }
  const gates = Object.fromEntries(
    GATE_KEYS.map((key, index) => [key, checks[index]]),
  );
  return {
    requiredChecks: checks,
    gates,
    labels: settings.labels,
    labelsByState: Object.fromEntries(settings.labels.map(l => [l.state, l])),
    markers: { ...DEFAULT_LANE_MARKERS },
    branchPrefixes: { ...DEFAULT_BRANCH_PREFIXES },
    negativeTests: [...NEGATIVE_TESTS],
    repositoryTopic: settings.repositoryTopic,
  };
}

export function createDualLaneConfigReadAction(options: { config: Config }) {
  return createTemplateAction({
    id: DUAL_LANE_CONFIG_READ_ACTION_ID,
    description:
      'Outputs the dual-lane gates (dualLane.gates.requiredChecks; the first four fill the LEO, story release, SLSA and policy gates), lane labels (dualLane.labels), lane markers, branch prefixes and negative tests, for rendering a dual-lane skeleton.',
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
            }),
            {
              description:
                'Every required gate: name, workflow name, job name (context) and app pin',
            },
          ),
        gates: z =>
          z.record(z.any(), {
            description:
              'The four seed gates by key: leo, storyRelease, slsa, policy',
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
        negativeTests: z =>
          z.array(z.string(), { description: 'The four negative tests' }),
        repositoryTopic: z =>
          z.string({ description: 'Topic marking a dual-lane repository' }),
      },
    },
    async handler(ctx) {
      const values = readTemplateValues(options.config);
      for (const [key, value] of Object.entries(values)) {
        ctx.output(key as keyof typeof values, value as any);
      }
    },
  });
}
