import { NEGATIVE_TESTS } from '../constants';

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
 */

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
  const name = run.name.slice(prefix.length).trim().toLowerCase();
  if (!names.map(n => n.toLowerCase()).includes(name)) return undefined;
  if (run.status !== 'completed') return undefined;
  if (run.conclusion === 'success') return { testName: name, blocked: true };
  if (run.conclusion === 'failure') return { testName: name, blocked: false };
  return undefined;
}
