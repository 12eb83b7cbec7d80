import { DEFAULT_REQUIRED_CHECKS } from '@dual-lane/plugin-dual-lane-common';
import { DemoAnnotation, DemoCheckRun } from '../fixtures/schema';
import { relativeTime } from '../fixtures/relativeTime';

/*
 * Check runs as the dual-lane repository template's workflows report them:
 * one job per gate, named after the part of the gate name after the slash
 * (which is what branch protection requires), the policy gate's
 * `dual-lane policy bundle` annotation and the negative-test report's
 * annotations.
 */

/** The job (check run) name of a gate: its context. */
export const gateContext = (gate: string) => gate.split(' / ').pop()!;

export const LEO_GATE = DEFAULT_REQUIRED_CHECKS[0];
export const STORY_GATE = DEFAULT_REQUIRED_CHECKS[1];
export const SLSA_GATE = DEFAULT_REQUIRED_CHECKS[2];
export const POLICY_GATE = DEFAULT_REQUIRED_CHECKS[3];
export const NEGATIVE_TESTS_CHECK = 'Report Negative Tests';

export type GateOutcome =
  | { status: 'completed'; conclusion: 'success' }
  | {
      status: 'completed';
      conclusion: 'failure';
      title: string;
      summary: string;
    }
  | { status: 'in_progress' | 'queued' };

/** The org policy bundle a policy gate verified. */
export interface VerifiedPolicy {
  digest: string;
  version: string;
  source: string;
  signer: string;
}

export interface IdSource {
  next(kind: 'check' | 'run'): number;
}

/**
 * The four gates' check runs on one commit, each with its outcome (default
 * success), started `startedAgo` minutes ago.
 */
export function gateRuns(options: {
  ids: IdSource;
  headSha: string;
  startedAgo: number;
  durations: number[];
  outcomes?: Partial<Record<string, GateOutcome>>;
  policy?: VerifiedPolicy;
}): DemoCheckRun[] {
  const runs: DemoCheckRun[] = [];
  DEFAULT_REQUIRED_CHECKS.forEach((gate, i) => {
    const outcome: GateOutcome = options.outcomes?.[gate] ?? {
      status: 'completed',
      conclusion: 'success',
    };
    const started = options.startedAgo;
    const completed = Math.max(
      0,
      started - options.durations[i % options.durations.length],
    );
    const annotations: DemoAnnotation[] = [];
    if (
      gate === POLICY_GATE &&
      outcome.status === 'completed' &&
      options.policy
    ) {
      const p = options.policy;
      annotations.push(
        outcome.conclusion === 'success'
          ? {
              path: '.github',
              line: 1,
              level: 'notice',
              title: 'dual-lane policy bundle',
              message: `policy-digest=${p.digest} version=${p.version} source=${p.source}`,
            }
          : {
              path: '.github',
              line: 1,
              level: 'failure',
              title: 'dual-lane policy bundle',
              message: `${p.source} ${p.version} policies.tar.gz is not signed by ${p.signer} (https://token.actions.githubusercontent.com)`,
            },
      );
    }
    const completedRun = outcome.status === 'completed';
    runs.push({
      id: options.ids.next('check'),
      name: gateContext(gate),
      headSha: options.headSha,
      status: outcome.status,
      conclusion: completedRun ? outcome.conclusion : undefined,
      startedAt: relativeTime(started),
      completedAt: completedRun ? relativeTime(completed) : undefined,
      app: 'github-actions',
      runId: options.ids.next('run'),
      // GitHub Actions jobs write no output; a failing gate says why.
      ...(completedRun && outcome.conclusion === 'failure'
        ? { output: { title: outcome.title, summary: outcome.summary } }
        : {}),
      ...(annotations.length ? { annotations } : {}),
    });
  });
  return runs;
}

export interface NegativeTestResult {
  test: string;
  blocked: boolean;
  reason: string;
}

/**
 * The template's negative-test report job (`run-negative-tests.sh`): an
 * `environment=` annotation and one annotation per test. In production the
 * job is named `Report Negative Tests (production)` and runs the two
 * admission tests against the cluster.
 */
export function negativeTestReport(options: {
  ids: IdSource;
  headSha: string;
  environment: 'ci' | 'production';
  results: NegativeTestResult[];
  ago: number;
}): DemoCheckRun {
  const failed = options.results.some(r => !r.blocked);
  const name =
    options.environment === 'ci'
      ? NEGATIVE_TESTS_CHECK
      : `${NEGATIVE_TESTS_CHECK} (${options.environment})`;
  const blocked = options.results.filter(r => r.blocked).length;
  return {
    id: options.ids.next('check'),
    name,
    headSha: options.headSha,
    status: 'completed',
    conclusion: failed ? 'failure' : 'success',
    startedAt: relativeTime(options.ago + 6),
    completedAt: relativeTime(options.ago),
    app: 'github-actions',
    runId: options.ids.next('run'),
    output: {
      title: `${blocked} of ${options.results.length} negative tests blocked`,
      summary: `Negative tests against ${
        options.environment === 'ci'
          ? 'the policies in CI'
          : `the ${options.environment} cluster`
      }: ${blocked} of ${options.results.length} blocked.`,
    },
    annotations: [
      {
        path: '.github',
        line: 1,
        level: 'notice',
        title: 'negative-test environment',
        message: `environment=${options.environment}`,
      },
      ...options.results.map(
        (r): DemoAnnotation => ({
          path: '.github',
          line: 1,
          level: r.blocked ? 'notice' : 'failure',
          title: 'negative-test',
          message: `${r.test}: ${r.blocked ? 'blocked' : 'not blocked'} — ${
            r.reason
          }`,
        }),
      ),
    ],
  };
}

export const CI_RESULTS: NegativeTestResult[] = [
  {
    test: 'unsigned-image',
    blocked: true,
    reason:
      'blocked: require-signed-images: verify-signature: fail: no matching signatures',
  },
  {
    test: 'non-digest-image',
    blocked: true,
    reason:
      'blocked: require-image-digest: check-digest: fail: images must use a digest',
  },
  {
    test: 'provenance-replay',
    blocked: true,
    reason: "the provenance's subject digest does not match out/other.txt",
  },
  {
    test: 'policy-tampering',
    blocked: true,
    reason: 'the signature does not cover the modified bundle',
  },
];

export const PRODUCTION_BLOCKED: NegativeTestResult[] = [
  {
    test: 'unsigned-image',
    blocked: true,
    reason:
      'denied by the cluster: admission webhook "mutate.kyverno.svc-fail" denied the request: require-signed-images: image signature verification failed',
  },
  {
    test: 'non-digest-image',
    blocked: true,
    reason:
      'denied by the cluster: admission webhook "validate.kyverno.svc-fail" denied the request: require-image-digest: images must use a digest',
  },
];

/** Production after the tampered (Audit-mode) policy bundle was applied. */
export const PRODUCTION_ADMITTED: NegativeTestResult[] = [
  {
    test: 'unsigned-image',
    blocked: false,
    reason:
      'admitted by the cluster: pod/negative-unsigned-image created (server dry run); require-signed-images is in Audit mode',
  },
  {
    test: 'non-digest-image',
    blocked: false,
    reason:
      'admitted by the cluster: pod/negative-non-digest-image created (server dry run); require-image-digest is in Audit mode',
  },
];
