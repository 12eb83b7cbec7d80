import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_REQUIRED_CHECKS } from '@dual-lane/plugin-dual-lane-common';
import { RequiredCheck } from '@dual-lane/plugin-dual-lane-node';

/** The seed's four gates, each rendered into its own workflow. */
export const TEMPLATE_GATE_KEYS = [
  'leo',
  'storyRelease',
  'slsa',
  'policy',
] as const;

export type TemplateGateKey = (typeof TEMPLATE_GATE_KEYS)[number];

const KEY = 'dualLane.scaffolder.templateGates';

/**
 * Which configured gate each template workflow reports, by name: the
 * `dualLane.scaffolder.templateGates.<key>` value (a gate `name` or
 * `context` of `dualLane.gates.requiredChecks`), else the seed's gate name
 * for that key. Never by position, so reordering or adding checks cannot
 * put a job name into the wrong workflow.
 */
export function resolveTemplateGates(
  config: Config,
  checks: RequiredCheck[],
): Record<TemplateGateKey, RequiredCheck> {
  const out = {} as Record<TemplateGateKey, RequiredCheck>;
  const problems: string[] = [];
  TEMPLATE_GATE_KEYS.forEach((key, index) => {
    const configured = config.getOptionalString(`${KEY}.${key}`)?.trim();
    const wanted = configured || DEFAULT_REQUIRED_CHECKS[index];
    const matches = checks.filter(
      c => c.name === wanted || c.context === wanted,
    );
    if (matches.length !== 1) {
      problems.push(
        `${key}: ${
          configured
            ? `${KEY}.${key} is '${configured}'`
            : `the seed's gate '${wanted}'`
        }, which ${
          matches.length
            ? 'matches several gates'
            : 'is not a gate of dualLane.gates.requiredChecks'
        }`,
      );
      return;
    }
    const taken = Object.entries(out).find(([, c]) => c === matches[0]);
    if (taken) {
      problems.push(
        `${key}: '${wanted}' is already the ${taken[0]} gate; each template workflow reports its own gate`,
      );
      return;
    }
    out[key] = matches[0];
  });
  if (problems.length) {
    throw new InputError(
      `The dual-lane repository template cannot tell which configured gate each of its workflows reports (set ${KEY}.<leo|storyRelease|slsa|policy> to a gate name):\n- ${problems.join(
        '\n- ',
      )}`,
    );
  }
  return out;
}
