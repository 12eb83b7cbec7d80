import { laneBranchOf, laneBranchOfMarker, parseLaneMarkers } from './laneMarkers';

describe('parseLaneMarkers', () => {
  it('finds both markers with their slugs, once each, in order', () => {
    expect(
      parseLaneMarkers(
        'Apply bridge [CLAUDE-APPLIED:codex-agents-bridge]\n\nFrom [codex-ready: codex-agents-bridge] and again [CLAUDE-APPLIED:codex-agents-bridge]',
      ),
    ).toEqual([
      { kind: 'claude-applied', slug: 'codex-agents-bridge' },
      { kind: 'codex-ready', slug: 'codex-agents-bridge' },
    ]);
  });

  it('ignores look-alikes and empty slugs', () => {
    expect(parseLaneMarkers('[CODEX-READY] [CODEX-READY:] CODEX-READY:x [CODEX-READIED:x]')).toEqual([]);
  });

  it('uses configured markers', () => {
    expect(
      parseLaneMarkers('[BUILD-DONE:a/b] [CODEX-READY:x]', { ready: 'BUILD-DONE', applied: 'ENFORCED' }),
    ).toEqual([{ kind: 'codex-ready', slug: 'a/b' }]);
  });
});

describe('laneBranchOf', () => {
  it('recognises the lane branches and nothing else', () => {
    expect(laneBranchOf('feature/dual-lane-agents-bridge')).toEqual({ lane: 'feature', slug: 'dual-lane-agents-bridge' });
    expect(laneBranchOf('refs/heads/staging/x')).toEqual({ lane: 'staging', slug: 'x' });
    expect(laneBranchOf('feature/')).toBeUndefined();
    expect(laneBranchOf('main')).toBeUndefined();
    expect(laneBranchOf('lane/x', { staging: 'build/', feature: 'lane/' })).toEqual({ lane: 'feature', slug: 'x' });
  });

  it('records a marker on its conventional branch', () => {
    expect(laneBranchOfMarker({ kind: 'codex-ready', slug: 'x' })).toBe('staging/x');
    expect(laneBranchOfMarker({ kind: 'claude-applied', slug: 'x' })).toBe('feature/x');
  });
});
