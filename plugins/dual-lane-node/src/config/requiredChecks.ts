import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_GATE_ROLES,
  DEFAULT_REQUIRED_CHECKS,
  GATE_ROLES,
  GateRole,
} from '@dual-lane/plugin-dual-lane-common';

/** One required gate, as read from `dualLane.gates.requiredChecks`. */
export interface RequiredCheck {
  /** `<workflow> / <job>`, as people name the gate. */
  name: string;
  /** The check-run name / status context GitHub reports. */
  context: string;
  appId?: number;
  appSlug?: string;
  /** What the gate is for (`leo-gate`, `story-release`, `slsa`, `policy`, `drift`). */
  role?: GateRole;
}

/** The context of a gate name: the part after the last ` / `. */
export function defaultContext(name: string): string {
  const at = name.lastIndexOf(' / ');
  return at === -1 ? name : name.slice(at + 3);
}

/**
 * Gives each check without a `role` whose name is one of the seed's gates
 * that gate's role, unless another check claims the role explicitly, so a
 * list written before roles existed keeps its policy and template gates.
 */
function withSeedRoles(checks: RequiredCheck[]): RequiredCheck[] {
  const claimed = new Set(checks.map(c => c.role).filter(Boolean));
  return checks.map(check => {
    const seed = DEFAULT_GATE_ROLES[check.name];
    if (check.role || !seed || claimed.has(seed)) return check;
    claimed.add(seed);
    return { ...check, role: seed };
  });
}

/**
 * Reads `dualLane.gates.requiredChecks`, falling back to the seed's four
 * gates (with their roles). Throws an `InputError` naming the key on
 * duplicates, empty names, unknown roles and a role given twice.
 */
export function readRequiredChecks(config: Config): RequiredCheck[] {
  const key = 'dualLane.gates.requiredChecks';
  const items = config.getOptionalConfigArray(key);
  if (!items) {
    return DEFAULT_REQUIRED_CHECKS.map(name => ({
      name,
      context: defaultContext(name),
      role: DEFAULT_GATE_ROLES[name],
    }));
  }
  if (items.length === 0) {
    throw new InputError(`${key} must list at least one check`);
  }
  const checks = items.map((item, index) => {
    const name = item.getString('name').trim();
    if (!name) {
      throw new InputError(`${key}[].name must not be empty`);
    }
    const role = item.getOptionalString('role')?.trim();
    if (role !== undefined && !(GATE_ROLES as string[]).includes(role)) {
      throw new InputError(
        `${key}[${index}].role must be one of ${GATE_ROLES.join(', ')}, got '${role}'`,
      );
    }
    const check: RequiredCheck = {
      name,
      context: item.getOptionalString('context')?.trim() || defaultContext(name),
      appId: item.getOptionalNumber('appId'),
      appSlug: item.getOptionalString('appSlug'),
    };
    if (role) check.role = role as GateRole;
    return check;
  });
  const seen = new Set<string>();
  const roles = new Map<GateRole, string>();
  for (const check of checks) {
    if (seen.has(check.context)) {
      throw new InputError(
        `${key} lists the context '${check.context}' twice`,
      );
    }
    seen.add(check.context);
    if (check.role) {
      const other = roles.get(check.role);
      if (other) {
        throw new InputError(
          `${key}: '${other}' and '${check.name}' both have the role '${check.role}'; each role belongs to one gate`,
        );
      }
      roles.set(check.role, check.name);
    }
  }
  return withSeedRoles(checks);
}
