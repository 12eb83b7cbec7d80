import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { GateRole } from '@dual-lane/plugin-dual-lane-common';
import { RequiredCheck } from '@dual-lane/plugin-dual-lane-node';

/** The seed's four gates, each rendered into its own workflow. */
export const TEMPLATE_GATE_KEYS = [
  'leo',
  'storyRelease',
  'slsa',
  'policy',
] as const;

export type TemplateGateKey = (typeof TEMPLATE_GATE_KEYS)[number];

/** The gate role each template workflow reports. */
export const TEMPLATE_GATE_ROLES: Record<TemplateGateKey, GateRole> = {
  leo: 'leo-gate',
  storyRelease: 'story-release',
  slsa: 'slsa',
  policy: 'policy',
};

export const TEMPLATE_GATES_KEY = 'dualLane.scaffolder.templateGates';

/** The deprecation notice logged when `templateGates` is configured. */
export const TEMPLATE_GATES_DEPRECATION = `${TEMPLATE_GATES_KEY} is deprecated and still honoured: give the gates of dualLane.gates.requiredChecks a role (leo-gate, story-release, slsa, policy) instead, which the backend reads too`;

/**
 * Which configured gate each template workflow reports: the gate with the
 * workflow's role (`dualLane.gates.requiredChecks[].role`; the seed's gate
 * names carry theirs). The deprecated
 * `dualLane.scaffolder.templateGates.<key>` (a gate `name` or `context`)
 * still picks the gate when set, and must agree with a role given to
 * another gate. Never by position, so reordering or adding checks cannot
 * put a job name into the wrong workflow.
 */
export function resolveTemplateGates(
  config: Config,
  checks: RequiredCheck[],
): Record<TemplateGateKey, RequiredCheck> {
  const out = {} as Record<TemplateGateKey, RequiredCheck>;
  const problems: string[] = [];
  for (const key of TEMPLATE_GATE_KEYS) {
    const role = TEMPLATE_GATE_ROLES[key];
    const byRole = checks.find(c => c.role === role);
    const configured = config
      .getOptionalString(`${TEMPLATE_GATES_KEY}.${key}`)
      ?.trim();
    let gate = byRole;
    if (configured) {
      const matches = checks.filter(
        c => c.name === configured || c.context === configured,
      );
      if (matches.length !== 1) {
        problems.push(
          `${key}: ${TEMPLATE_GATES_KEY}.${key} is '${configured}', which ${
            matches.length
              ? 'matches several gates'
              : 'is not a gate of dualLane.gates.requiredChecks'
          }`,
        );
        continue;
      }
      if (byRole && byRole !== matches[0]) {
        problems.push(
          `${key}: ${TEMPLATE_GATES_KEY}.${key} is '${configured}' but '${byRole.name}' has the role '${role}'; drop the deprecated setting or make them agree`,
        );
        continue;
      }
      gate = matches[0];
    }
    if (!gate) {
      problems.push(
        `${key}: no gate of dualLane.gates.requiredChecks has the role '${role}' (give one \`role: ${role}\`)`,
      );
      continue;
    }
    const taken = Object.entries(out).find(([, c]) => c === gate);
    if (taken) {
      problems.push(
        `${key}: '${configured ?? gate.name}' is already the ${taken[0]} gate; each template workflow reports its own gate`,
      );
      continue;
    }
    out[key] = gate;
  }
  if (problems.length) {
    throw new InputError(
      `The dual-lane repository template cannot tell which configured gate each of its workflows reports (give the gates of dualLane.gates.requiredChecks a role: leo-gate, story-release, slsa, policy):\n- ${problems.join(
        '\n- ',
      )}`,
    );
  }
  return out;
}
