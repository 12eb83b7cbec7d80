import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_REQUIRED_CHECKS } from '@dual-lane/plugin-dual-lane-common';

/** One required gate, as read from `dualLane.gates.requiredChecks`. */
export interface RequiredCheck {
  /** `<workflow> / <job>`, as people name the gate. */
  name: string;
  /** The check-run name / status context GitHub reports. */
  context: string;
  appId?: number;
  appSlug?: string;
}

/** The context of a gate name: the part after the last ` / `. */
export function defaultContext(name: string): string {
  const at = name.lastIndexOf(' / ');
  return at === -1 ? name : name.slice(at + 3);
}

/**
 * Reads `dualLane.gates.requiredChecks`, falling back to the seed's four
 * gates. Throws an `InputError` naming the key on duplicates or empty names.
 */
export function readRequiredChecks(config: Config): RequiredCheck[] {
  const key = 'dualLane.gates.requiredChecks';
  const items = config.getOptionalConfigArray(key);
  if (!items) {
    return DEFAULT_REQUIRED_CHECKS.map(name => ({
      name,
      context: defaultContext(name),
    }));
  }
  if (items.length === 0) {
    throw new InputError(`${key} must list at least one check`);
  }
  const checks = items.map(item => {
    const name = item.getString('name').trim();
    if (!name) {
      throw new InputError(`${key}[].name must not be empty`);
    }
    return {
      name,
      context: item.getOptionalString('context')?.trim() || defaultContext(name),
      appId: item.getOptionalNumber('appId'),
      appSlug: item.getOptionalString('appSlug'),
    };
  });
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.context)) {
      throw new InputError(
        `${key} lists the context '${check.context}' twice`,
      );
    }
    seen.add(check.context);
  }
  return checks;
}
