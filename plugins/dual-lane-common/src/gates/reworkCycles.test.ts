import { computeReworkRounds, reworkCount } from './reworkCycles';

const ev = (occurredAt: string) => ({ occurredAt });
const v = (verdict: any, recordedAt: string) => ({ verdict, recordedAt, commitSha: 'x', author: 'plan' });

describe('computeReworkRounds', () => {
  it('is one round with no rework when PLAN approves the first attempt', () => {
    const rounds = computeReworkRounds(
      { createdAt: '2025-01-19T10:15:00Z' },
      [ev('2025-01-19T10:00:00Z'), ev('2025-01-19T10:10:00Z')],
      [v('approved', '2025-01-19T12:00:00Z')],
    );
    expect(rounds).toEqual([
      { cycle: 1, startedAt: '2025-01-19T10:00:00Z', endedAt: '2025-01-19T12:00:00Z', verdict: 'approved' },
    ]);
    expect(reworkCount(rounds)).toBe(0);
  });

  it('starts a round for work after each decision', () => {
    const rounds = computeReworkRounds(
      { createdAt: '2025-01-19T10:15:00Z' },
      [ev('2025-01-19T10:00:00Z'), ev('2025-01-19T13:00:00Z'), ev('2025-01-19T13:05:00Z'), ev('2025-01-19T15:00:00Z')],
      [
        v('changes-requested', '2025-01-19T12:00:00Z'),
        v('changes-requested', '2025-01-19T14:00:00Z'),
        v('approved', '2025-01-19T14:30:00Z'),
      ],
    );
    expect(rounds.map(r => [r.cycle, r.startedAt, r.verdict])).toEqual([
      [1, '2025-01-19T10:00:00Z', 'changes-requested'],
      [2, '2025-01-19T13:00:00Z', 'approved'],
      [3, '2025-01-19T15:00:00Z', undefined],
    ]);
    expect(rounds[2].endedAt).toBeUndefined();
    expect(reworkCount(rounds)).toBe(2);
  });

  it('starts the first round at the pull request when a verdict precedes any marker', () => {
    expect(
      computeReworkRounds({ createdAt: '2025-01-19T09:00:00Z' }, [], [v('approved', '2025-01-19T12:00:00Z')]),
    ).toEqual([{ cycle: 1, startedAt: '2025-01-19T09:00:00Z', endedAt: '2025-01-19T12:00:00Z', verdict: 'approved' }]);
    expect(computeReworkRounds({ createdAt: '2025-01-19T09:00:00Z' }, [], [])).toEqual([]);
  });
});
