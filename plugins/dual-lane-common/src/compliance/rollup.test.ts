import { emptyCriterionTallies, summarizeScope } from './rollup';

describe('summarizeScope', () => {
  it('is no-data for an empty scope', () => {
    expect(
      summarizeScope(
        { go: 0, 'no-go': 0, 'no-data': 0, total: 0 },
        undefined,
        'group:default/a',
      ),
    ).toMatchObject({
      verdict: 'no-data',
      reasons: ['No dual-lane entity in group:default/a.'],
    });
  });

  it('is go only when every entity is go', () => {
    expect(
      summarizeScope({ go: 3, 'no-go': 0, 'no-data': 0, total: 3 }).verdict,
    ).toBe('go');
    expect(
      summarizeScope(
        { go: 3, 'no-go': 0, 'no-data': 1, total: 4 },
        undefined,
        'the organisation',
      ),
    ).toMatchObject({
      verdict: 'no-data',
      reasons: [
        '1 of 4 entities in the organisation cannot show evidence yet (no data); the pass bar needs every entity.',
      ],
    });
  });

  it('is no-go when any entity is, and says which criteria fail for how many', () => {
    const tallies = emptyCriterionTallies();
    tallies[0].failing = 2;
    tallies[6].failing = 5;
    tallies[4].noData = 1;
    tallies[2].waived = 1;
    const summary = summarizeScope(
      { go: 10, 'no-go': 6, 'no-data': 1, total: 17 },
      tallies,
      'the organisation',
    );
    expect(summary.verdict).toBe('no-go');
    expect(summary.reasons).toEqual([
      '6 of 17 entities in the organisation are no-go.',
      'Label accuracy fails for 5 entities.',
      'PLAN verdict coverage fails for 2 entities.',
      'Negative tests blocked in production has no data for 1 entity.',
      'Waivers in effect: Artifacts signed (1 entity).',
    ]);
    expect(summary.criteria).toHaveLength(7);
  });
});
