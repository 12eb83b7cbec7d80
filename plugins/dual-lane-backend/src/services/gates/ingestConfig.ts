import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  NEGATIVE_TEST_ENVIRONMENTS,
  NegativeTestEnvironment,
} from '@dual-lane/plugin-dual-lane-common';

const KEY = 'dualLane.ingest.callers';

/** Environments a caller may report negative tests for unless it lists others. */
export const DEFAULT_INGEST_ENVIRONMENTS: NegativeTestEnvironment[] = [
  'ci',
  'staging',
];

/** One repository pattern: `[host/]owner/name`, each part literal or `*`. */
export interface RepositoryPattern {
  /** Undefined: the default host (github.com). */
  host?: string;
  owner: string;
  name: string;
}

/** What one service principal may push through `POST /ingest/...`. */
export interface IngestCaller {
  /**
   * The principal's subject: `external:<subject>` for a static
   * external-access token, `plugin:<pluginId>` for another plugin.
   */
  subject: string;
  repositories: RepositoryPattern[];
  /** Negative-test environments it may report for. */
  negativeTestEnvironments: NegativeTestEnvironment[];
}

export interface IngestConfig {
  /** Undefined when `dualLane.ingest.callers` is not set at all. */
  callers?: IngestCaller[];
}

const PART = /^(?:\*|[A-Za-z0-9][A-Za-z0-9._-]*)$/;

function readPattern(text: string, key: string): RepositoryPattern {
  const trimmed = text.trim();
  if (trimmed === '*') return { host: '*', owner: '*', name: '*' };
  const parts = trimmed.split('/');
  if (
    (parts.length !== 2 && parts.length !== 3) ||
    !parts.every(p => PART.test(p))
  ) {
    throw new InputError(
      `${key} must be 'owner/repo' or 'host/owner/repo' (each part a name or *), or '*' for every repository, got '${text}'`,
    );
  }
  const [host, owner, name] =
    parts.length === 3 ? parts : [undefined, ...parts];
  return {
    host: host?.toLowerCase(),
    owner: owner!.toLowerCase(),
    name: name!.toLowerCase(),
  };
}

/**
 * Reads `dualLane.ingest.callers`: which service principals may push gate
 * runs, negative tests and artifacts, for which repositories, and which
 * negative-test environments. An empty list lets no one ingest; see
 * `IngestAuthorization` for what happens when the key is not set.
 */
export function readIngestConfig(config: Config): IngestConfig {
  if (!config.has(KEY)) return {};
  const entries = config.getConfigArray(KEY);
  const seen = new Set<string>();
  const callers = entries.map((entry, i) => {
    const key = `${KEY}[${i}]`;
    const subject = entry.getString('subject').trim();
    if (!/^[a-z]+:\S+$/.test(subject)) {
      throw new InputError(
        `${key}.subject must be a service principal's subject such as 'external:jenkins' (a static token's subject) or 'plugin:my-plugin', got '${subject}'`,
      );
    }
    if (seen.has(subject)) {
      throw new InputError(`${key}.subject '${subject}' is listed twice`);
    }
    seen.add(subject);
    const repositories = entry.getStringArray('repositories');
    if (repositories.length === 0) {
      throw new InputError(
        `${key}.repositories must list at least one repository`,
      );
    }
    const environments =
      entry.getOptionalStringArray('negativeTestEnvironments') ??
      DEFAULT_INGEST_ENVIRONMENTS;
    for (const [j, env] of environments.entries()) {
      if (!(NEGATIVE_TEST_ENVIRONMENTS as string[]).includes(env)) {
        throw new InputError(
          `${key}.negativeTestEnvironments[${j}] must be one of ${NEGATIVE_TEST_ENVIRONMENTS.join(
            ', ',
          )}, got '${env}'`,
        );
      }
    }
    return {
      subject,
      repositories: repositories.map((r, j) =>
        readPattern(r, `${key}.repositories[${j}]`),
      ),
      negativeTestEnvironments: environments as NegativeTestEnvironment[],
    };
  });
  return { callers };
}

/** Whether a pattern covers `host/owner/name` (lower case). */
export function patternMatches(
  pattern: RepositoryPattern,
  key: string,
  defaultHost: string,
): boolean {
  const [host, owner, name] = key.split('/');
  const want = (p: string, v: string) => p === '*' || p === v;
  return (
    want(pattern.host ?? defaultHost.toLowerCase(), host) &&
    want(pattern.owner, owner) &&
    want(pattern.name, name)
  );
}
