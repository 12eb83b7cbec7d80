import { GateRun } from '../types';
import { escapeRegExp, GateDefinition } from './conventions';

/** The fields of a gate run the rules look at. */
export type GateRunFacts = Pick<
  GateRun,
  'checkName' | 'headSha' | 'status' | 'conclusion' | 'appId' | 'appSlug'
> &
  Partial<
    Pick<
      GateRun,
      | 'externalId'
      | 'source'
      | 'detailsUrl'
      | 'startedAt'
      | 'completedAt'
      | 'gateName'
    >
  >;

/**
 * - `passing`: the latest run of every matching check concluded `success`;
 * - `failing`: a latest run completed with any other conclusion (neutral and
 *   skipped included: a skipped gate did not pass);
 * - `pending`: a latest run is queued or in progress;
 * - `missing`: no run from an accepted app.
 */
export type GateState = 'passing' | 'failing' | 'pending' | 'missing';

export interface GateResult {
  name: string;
  context: string;
  appId?: number;
  appSlug?: string;
  state: GateState;
  /** The runs that count: the latest per check name, from an accepted app. */
  runs: GateRunFacts[];
  /**
   * Runs with a matching name reported by an app the gate is not pinned to.
   * They do not count.
   */
  ignoredRuns: GateRunFacts[];
}

/** Where a pull request's head commit stands against the required gates. */
export interface GateStatus {
  headSha: string;
  /** Number of required gates. */
  required: number;
  /** Number of required gates passing. */
  passing: number;
  /** `passing/required`, e.g. `3/4`. */
  summary: string;
  allPassing: boolean;
  /** Names of the gates in each state other than passing. */
  failing: string[];
  pending: string[];
  missing: string[];
  /** Gates whose only matching runs came from an unexpected app. */
  unexpectedApp: string[];
  gates: GateResult[];
}

const patternCache = new Map<string, RegExp>();

/**
 * Whether a check-run name matches a gate context; `*` matches any run of
 * characters, everything else literally (case-sensitive, as GitHub
 * compares required contexts).
 */
export function contextMatches(context: string, checkName: string): boolean {
  if (!context.includes('*')) {
    return context === checkName;
  }
  let re = patternCache.get(context);
  if (!re) {
    re = new RegExp(
      `^${context.split('*').map(escapeRegExp).join('.*')}$`,
      's',
    );
    patternCache.set(context, re);
  }
  return re.test(checkName);
}

/** Whether a run was reported by the app a gate is pinned to (if any). */
export function appAccepted(
  gate: Pick<GateDefinition, 'appId' | 'appSlug'>,
  run: Pick<GateRunFacts, 'appId' | 'appSlug'>,
): boolean {
  if (gate.appId !== undefined) {
    return run.appId === gate.appId;
  }
  if (gate.appSlug !== undefined) {
    return run.appSlug === gate.appSlug;
  }
  return true;
}

function timeOf(run: GateRunFacts): string {
  return run.startedAt ?? run.completedAt ?? '';
}

/** Newest first: by start time, then by numeric external id. */
export function compareRunsNewestFirst(a: GateRunFacts, b: GateRunFacts) {
  const byTime = timeOf(b).localeCompare(timeOf(a));
  if (byTime !== 0) return byTime;
  const ia = Number(a.externalId ?? 0);
  const ib = Number(b.externalId ?? 0);
  if (Number.isFinite(ia) && Number.isFinite(ib) && ia !== ib) return ib - ia;
  return String(b.externalId ?? '').localeCompare(String(a.externalId ?? ''));
}

/** The latest run per check name (and app), as GitHub's `filter=latest`. */
export function latestRuns(runs: GateRunFacts[]): GateRunFacts[] {
  const latest = new Map<string, GateRunFacts>();
  for (const run of [...runs].sort(compareRunsNewestFirst)) {
    const key = `${run.checkName}\u0000${run.appId ?? run.appSlug ?? ''}`;
    if (!latest.has(key)) latest.set(key, run);
  }
  return [...latest.values()];
}

/** The state of one run: see {@link GateState}. */
export function runState(
  run: Pick<GateRunFacts, 'status' | 'conclusion'>,
): Exclude<GateState, 'missing'> {
  if (run.status !== 'completed') return 'pending';
  return run.conclusion === 'success' ? 'passing' : 'failing';
}

/** Evaluates one gate against the runs on one commit. */
export function evaluateGate(
  gate: GateDefinition,
  runsOnCommit: GateRunFacts[],
): GateResult {
  const matching = runsOnCommit.filter(r =>
    contextMatches(gate.context, r.checkName),
  );
  const accepted = latestRuns(matching.filter(r => appAccepted(gate, r)));
  const ignored = latestRuns(matching.filter(r => !appAccepted(gate, r)));
  let state: GateState = 'missing';
  if (accepted.length > 0) {
    const states = accepted.map(runState);
    if (states.includes('failing')) state = 'failing';
    else if (states.includes('pending')) state = 'pending';
    else state = 'passing';
  }
  return {
    name: gate.name,
    context: gate.context,
    appId: gate.appId,
    appSlug: gate.appSlug,
    state,
    runs: accepted,
    ignoredRuns: ignored,
  };
}

/**
 * Gate status of a pull request: each required gate evaluated against the
 * runs on its head commit (runs on other commits are ignored).
 */
export function computeGateStatus(
  gates: GateDefinition[],
  runs: GateRunFacts[],
  headSha: string,
): GateStatus {
  const onHead = runs.filter(r => r.headSha === headSha);
  const results = gates.map(g => evaluateGate(g, onHead));
  const names = (state: GateState) =>
    results.filter(r => r.state === state).map(r => r.name);
  const passing = results.filter(r => r.state === 'passing').length;
  return {
    headSha,
    required: gates.length,
    passing,
    summary: `${passing}/${gates.length}`,
    allPassing: gates.length > 0 && passing === gates.length,
    failing: names('failing'),
    pending: names('pending'),
    missing: names('missing'),
    unexpectedApp: results
      .filter(r => r.state === 'missing' && r.ignoredRuns.length > 0)
      .map(r => r.name),
    gates: results,
  };
}

/** Whether a check-run name belongs to any of the gates. */
export function matchesAnyGate(
  gates: Array<Pick<GateDefinition, 'context'>>,
  checkName: string,
): boolean {
  return gates.some(g => contextMatches(g.context, checkName));
}
