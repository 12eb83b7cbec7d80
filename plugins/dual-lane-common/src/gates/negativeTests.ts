import { NEGATIVE_TESTS } from '../constants';
import { NegativeTestEnvironment } from '../types';

/*
 * How gates report the negative tests. Two forms are read from check runs:
 *
 * 1. A report check (default name `Report Negative Tests`, the job of the
 *    template's `negative-tests.yml`) whose output summary, text or
 *    annotations carry one result per test, in any of these line forms:
 *      unsigned-image: blocked            (also `not blocked`, `admitted`)
 *      ✅ blocked: unsigned-image — reason  /  ❌ NOT blocked: ...
 *      | unsigned-image | ✅ | reason |      (the job summary's table)
 *    or the JSON the template's script writes:
 *      {"results": [{"name": "unsigned-image", "blocked": true, ...}]}
 * 2. One check run per test named `negative-test/<name>`: conclusion
 *    `success` means the bad input was blocked, `failure` that it got
 *    through; other conclusions and unfinished runs report nothing.
 *
 * Only the known test names count; for a name reported twice the last
 * report wins.
 *
 * Where the tests ran (see `negativeTestEnvironmentOf`): `ci` unless the
 * check's name ends in ` (<environment>)` (e.g. `Report Negative Tests
 * (production)`, `negative-test/unsigned-image (staging)`) or the report
 * declares it: a line `environment=<environment>` (also `environment:
 * <environment>`) in its summary, text or an annotation, or a top-level
 * `"environment"` in its JSON. Conflicting declarations make the report
 * count for nothing.
 */

/** Where a negative test ran. */
export const NEGATIVE_TEST_ENVIRONMENTS: readonly NegativeTestEnvironment[] = [
  'ci',
  'staging',
  'production',
];

/** Which check runs report negative tests, and what they may claim. */
export interface NegativeTestChecks {
  /** Report checks whose output lists the results. */
  checkNames: string[];
  /** Prefix of one-check-per-test runs, `negative-test/<name>`. */
  checkPrefix: string;
  /**
   * The environments a GitHub check run may report results for; a report
   * claiming another one is not recorded (such results then come only
   * through `POST /ingest/negative-tests`).
   */
  githubEnvironments: NegativeTestEnvironment[];
}

export const DEFAULT_NEGATIVE_TEST_CHECKS: NegativeTestChecks = {
  checkNames: ['Report Negative Tests'],
  checkPrefix: 'negative-test/',
  githubEnvironments: ['ci', 'staging', 'production'],
};

const ENV_SUFFIX = /^(.*\S)\s+\((ci|staging|production)\)$/i;
const ENV_LINE = /^\s*[-*]?\s*`?environment\s*[=:]\s*(ci|staging|production)`?\s*$/gim;

/**
 * Splits `<name> (<environment>)` into the name and the environment;
 * names without the suffix come back whole.
 */
export function splitEnvironmentSuffix(checkName: string): {
  name: string;
  environment?: NegativeTestEnvironment;
} {
  const m = ENV_SUFFIX.exec(checkName.trim());
  if (!m) return { name: checkName };
  return {
    name: m[1],
    environment: m[2].toLowerCase() as NegativeTestEnvironment,
  };
}

/** Environments a report text declares (`environment=production`, JSON). */
export function declaredEnvironments(
  text: string | null | undefined,
): NegativeTestEnvironment[] {
  if (!text) return [];
  const out = new Set<NegativeTestEnvironment>();
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const env = String(JSON.parse(trimmed)?.environment ?? '').toLowerCase();
      if ((NEGATIVE_TEST_ENVIRONMENTS as string[]).includes(env)) {
        out.add(env as NegativeTestEnvironment);
      }
    } catch {
      // Not JSON after all: read it as lines.
    }
  }
  for (const m of trimmed.matchAll(ENV_LINE)) {
    out.add(m[1].toLowerCase() as NegativeTestEnvironment);
  }
  return [...out];
}

/**
 * The environment a negative-test report is for: what its check name's
 * suffix says (`nameEnvironment`, see `splitEnvironmentSuffix`) and what
 * its texts declare, `ci` when neither says. `error` when they disagree,
 * which a caller must not record as any environment.
 */
export function negativeTestEnvironmentOf(
  nameEnvironment: NegativeTestEnvironment | undefined,
  texts: Array<string | null | undefined>,
):
  | { environment: NegativeTestEnvironment; error?: undefined }
  | { environment?: undefined; error: string } {
  const declared = new Set(texts.flatMap(declaredEnvironments));
  if (nameEnvironment) declared.add(nameEnvironment);
  if (declared.size > 1) {
    return {
      error: `it reports for several environments (${[...declared].join(
        ', ',
      )})`,
    };
  }
  return { environment: [...declared][0] ?? 'ci' };
}

export interface NegativeTestReport {
  testName: string;
  blocked: boolean;
  reason?: string;
}

const BLOCKED = /^(blocked|yes|true|pass(ed)?|✅|✔️?)$/i;
const NOT_BLOCKED = /^(not[ -]?blocked|admitted|allowed|no|false|fail(ed)?|❌|✖️?)$/i;

function outcome(word: string): boolean | undefined {
  const w = word.trim().replace(/\*\*/g, '');
  if (NOT_BLOCKED.test(w)) return false;
  if (BLOCKED.test(w)) return true;
  return undefined;
}

function fromJson(
  text: string,
  known: Set<string>,
): NegativeTestReport[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed)
    ? parsed
    : (parsed as { results?: unknown })?.results;
  if (!Array.isArray(list)) return undefined;
  const out: NegativeTestReport[] = [];
  for (const item of list) {
    const name = String(item?.name ?? item?.test ?? '').toLowerCase();
    if (known.has(name) && typeof item?.blocked === 'boolean') {
      out.push({
        testName: name,
        blocked: item.blocked,
        reason: typeof item.reason === 'string' ? item.reason : undefined,
      });
    }
  }
  return out;
}

function fromLine(line: string, known: Set<string>): NegativeTestReport | undefined {
  const text = line.trim();
  // | unsigned-image | ✅ | reason |
  if (text.startsWith('|')) {
    const cells = text.split('|').slice(1, -1).map(c => c.trim());
    const name = cells[0]?.replace(/`/g, '').toLowerCase();
    if (name && known.has(name) && cells.length >= 2) {
      const blocked = outcome(cells[1]);
      if (blocked !== undefined) {
        return { testName: name, blocked, reason: cells[2] || undefined };
      }
    }
    return undefined;
  }
  // ✅ blocked: unsigned-image — reason / ❌ NOT blocked: name — reason
  const prefixed = /^(?:[✅❌✔✖️]\s*)?(not\s+blocked|blocked)\s*:\s*([A-Za-z0-9-]+)\s*(?:[—–-]+\s*(.*))?$/i.exec(
    text,
  );
  if (prefixed && known.has(prefixed[2].toLowerCase())) {
    return {
      testName: prefixed[2].toLowerCase(),
      blocked: !/^not/i.test(prefixed[1]),
      reason: prefixed[3]?.trim() || undefined,
    };
  }
  // unsigned-image: blocked — reason
  const suffixed = /^[-*]?\s*`?([A-Za-z0-9-]+)`?\s*:\s*(not[ -]?blocked|blocked|admitted|allowed)\b\s*(?:[—–:-]+\s*(.*))?$/i.exec(
    text,
  );
  if (suffixed && known.has(suffixed[1].toLowerCase())) {
    return {
      testName: suffixed[1].toLowerCase(),
      blocked: outcome(suffixed[2])!,
      reason: suffixed[3]?.trim() || undefined,
    };
  }
  return undefined;
}

/**
 * Parses a negative-test report (see the conventions above). `names` are
 * the test names that count, the seed's four by default.
 */
export function parseNegativeTestReport(
  text: string | null | undefined,
  names: readonly string[] = NEGATIVE_TESTS,
): NegativeTestReport[] {
  if (!text) return [];
  const known = new Set(names.map(n => n.toLowerCase()));
  const byName = new Map<string, NegativeTestReport>();
  const json = fromJson(text, known);
  const reports =
    json ??
    text
      .split(/\r?\n/)
      .map(line => fromLine(line, known))
      .filter((r): r is NegativeTestReport => r !== undefined);
  for (const report of reports) byName.set(report.testName, report);
  return [...byName.values()];
}

/** A `negative-test/<name>` check run's result, if it reports one. */
export function negativeTestOfCheckRun(
  run: { name: string; status: string; conclusion?: string | null },
  prefix: string = 'negative-test/',
  names: readonly string[] = NEGATIVE_TESTS,
): NegativeTestReport | undefined {
  if (!run.name.toLowerCase().startsWith(prefix.toLowerCase())) return undefined;
  const name = splitEnvironmentSuffix(run.name.slice(prefix.length).trim())
    .name.trim()
    .toLowerCase();
  if (!names.map(n => n.toLowerCase()).includes(name)) return undefined;
  if (run.status !== 'completed') return undefined;
  if (run.conclusion === 'success') return { testName: name, blocked: true };
  if (run.conclusion === 'failure') return { testName: name, blocked: false };
  return undefined;
}
