import { SLSA_GATE } from './checks';
import { PullRequestKind, PullRequestPlan } from './pullRequests';
import { Random } from './random';
import { DemoComponentDefinition } from './story';

const DAY = 1440;

/** What the SLSA gate says when the release job ships without signing. */
export const UNSIGNED_SLSA_FAILURE = {
  status: 'completed' as const,
  conclusion: 'failure' as const,
  title: 'Verify SLSA Provenance: artifact.tar.gz is not signed',
  summary:
    'artifact.tar.gz has no Sigstore bundle and `gh attestation verify` found no attestation for it: the release job (release.yml) packs the bundle without the attest-build-provenance step.',
};

/**
 * The pull requests of one component, by its scenario: merged work over
 * the last four weeks (one of it with a rework round), one or two open
 * pull requests in different lane states, sometimes an abandoned one, and
 * the scenario's twist.
 */
export function planPullRequests(
  component: DemoComponentDefinition,
  random: Random,
): PullRequestPlan[] {
  if (component.scenario === 'no-data') return [];
  const ideas = random.sample(component.changes, component.changes.length);
  let nextIdea = 0;
  const idea = () => ideas[nextIdea++ % ideas.length];
  const plans: PullRequestPlan[] = [];
  const plan = (
    kind: PullRequestKind,
    startAgo: number,
    extra: Partial<PullRequestPlan> = {},
  ): PullRequestPlan => {
    const p: PullRequestPlan = {
      kind,
      change: idea(),
      startAgo,
      rounds: 1,
      verdictVia: random.chance(0.25) ? 'comment' : 'review',
      squashed: kind !== 'codex-ready' && random.chance(0.25),
      ...extra,
    };
    plans.push(p);
    return p;
  };

  // Merged work, spread over 27 to 3 days ago, one slot each.
  const merged = random.int(3, 4);
  const from = 27 * DAY;
  const to = 3 * DAY;
  const slot = Math.floor((from - to) / merged);
  const mergedPlans = Array.from({ length: merged }, (_, i) =>
    plan('merged', from - i * slot - random.int(0, slot - 2 * DAY)),
  );
  random.pick(mergedPlans.slice(0, -1)).rounds = 2;

  const open = random.sample(
    [
      'plan-review',
      'claude-enforcing',
      'codex-ready',
      'rework-requested',
    ] as const,
    random.int(1, 2),
  );
  const openStart: Record<(typeof open)[number], () => number> = {
    'plan-review': () => random.int(10 * 60, 40 * 60),
    'claude-enforcing': () => random.int(35, 80),
    'codex-ready': () => random.int(90, 400),
    'rework-requested': () => random.int(26 * 60, 50 * 60),
  };
  for (const kind of open) plan(kind, openStart[kind]());
  if (random.chance(0.25)) plan('abandoned', random.int(8 * DAY, 20 * DAY));

  switch (component.scenario) {
    case 'failing-slsa-gate':
      // The newest merge went in past the failing gate (an administrator
      // bypassed protection), and the open pull request is stuck on it.
      mergedPlans[mergedPlans.length - 1].gateOutcomes = {
        [SLSA_GATE]: UNSIGNED_SLSA_FAILURE,
      };
      mergedPlans[mergedPlans.length - 1].labels = ['claude-enforcing'];
      plan('gate-failing', random.int(5 * 60, 9 * 60), {
        gateOutcomes: { [SLSA_GATE]: UNSIGNED_SLSA_FAILURE },
      });
      break;
    case 'rework':
      // Four rounds: three times PLAN asked for changes before approving.
      Object.assign(mergedPlans[1], { rounds: 4, verdictVia: 'review' });
      break;
    case 'wrong-labels': {
      // The auto-label workflow broke halfway through the month.
      const [stale, unlabelled] = mergedPlans.slice(-2);
      stale.labels = ['plan-approved', 'plan-review'];
      unlabelled.labels = [];
      plan('plan-review', random.int(6 * 60, 20 * 60), {
        labels: ['claude-enforcing'],
      });
      break;
    }
    default:
      break;
  }
  return plans;
}
