import { findReverted, revertTargetOf } from './changeFailure';

describe('change failure (reverts)', () => {
  it("reads GitHub's revert branch and title", () => {
    expect(
      revertTargetOf({
        title: 'Revert "Add cache"',
        headRef: 'revert-12-feature/cache',
      }),
    ).toEqual({
      number: 12,
      title: 'Add cache',
    });
    expect(
      revertTargetOf({ title: 'Revert "Add cache"', headRef: 'fix/cache' }),
    ).toEqual({
      number: undefined,
      title: 'Add cache',
    });
    expect(
      revertTargetOf({
        title: 'Add cache',
        headRef: 'feature/revert-handling',
      }),
    ).toBeUndefined();
  });

  it('matches by number, then by the latest same-titled merge before the revert', () => {
    const merged = [
      { number: 1, title: 'Bump deps', mergedAt: '2026-11-01T00:00:00Z' },
      { number: 2, title: 'Bump deps', mergedAt: '2026-11-05T00:00:00Z' },
      { number: 3, title: 'Add cache', mergedAt: '2026-11-06T00:00:00Z' },
      { number: 4, title: 'Fix login', mergedAt: '2026-11-08T00:00:00Z' },
    ];
    const reverted = findReverted(merged, [
      {
        number: 10,
        title: 'Revert "Bump deps"',
        headRef: 'hotfix',
        mergedAt: '2026-11-06T00:00:00Z',
      },
      {
        number: 11,
        title: 'Undo',
        headRef: 'revert-3-feature/cache',
        mergedAt: '2026-11-07T00:00:00Z',
      },
      // Merged before the change it names: not its revert.
      {
        number: 12,
        title: 'Revert "Fix login"',
        headRef: 'x',
        mergedAt: '2026-11-07T00:00:00Z',
      },
    ]);
    expect([...reverted]).toEqual([
      [2, 10],
      [3, 11],
    ]);
  });
});
