import { computeGateStatus, contextMatches, GateRunFacts } from './gateStatus';

const gates = [
  { name: 'LEO Gate Validation / Run Gate 3 for PRD-*', context: 'Run Gate 3 for PRD-*' },
  { name: 'Story Release Gate Check / Check Story Release Gate', context: 'Check Story Release Gate' },
  { name: 'SLSA Verification / Verify SLSA Provenance', context: 'Verify SLSA Provenance', appId: 15368 },
  { name: 'Policy Verification / Validate Policy Bundle', context: 'Validate Policy Bundle' },
];

function run(checkName: string, over: Partial<GateRunFacts> = {}): GateRunFacts {
  return {
    checkName,
    headSha: 'head',
    status: 'completed',
    conclusion: 'success',
    appId: 15368,
    appSlug: 'github-actions',
    startedAt: '2025-01-19T10:00:00Z',
    externalId: '1',
    ...over,
  };
}

describe('contextMatches', () => {
  it('treats * as a wildcard and everything else literally', () => {
    expect(contextMatches('Run Gate 3 for PRD-*', 'Run Gate 3 for PRD-42')).toBe(true);
    expect(contextMatches('Run Gate 3 for PRD-*', 'Run Gate 3 for PRD')).toBe(false);
    expect(contextMatches('a.b', 'axb')).toBe(false);
    expect(contextMatches('Check', 'check')).toBe(false);
  });
});

describe('computeGateStatus', () => {
  it('counts n of required passing on the head commit only', () => {
    const status = computeGateStatus(
      gates,
      [
        run('Run Gate 3 for PRD-7'),
        run('Check Story Release Gate', { conclusion: 'failure' }),
        run('Verify SLSA Provenance', { status: 'in_progress', conclusion: undefined }),
        run('Validate Policy Bundle', { headSha: 'older' }),
      ],
      'head',
    );
    expect(status.summary).toBe('1/4');
    expect(status.failing).toEqual(['Story Release Gate Check / Check Story Release Gate']);
    expect(status.pending).toEqual(['SLSA Verification / Verify SLSA Provenance']);
    expect(status.missing).toEqual(['Policy Verification / Validate Policy Bundle']);
    expect(status.allPassing).toBe(false);
  });

  it('uses the latest run per check, so a green re-run replaces a red one', () => {
    const status = computeGateStatus(
      gates.slice(1, 2),
      [
        run('Check Story Release Gate', { conclusion: 'failure', externalId: '5', startedAt: '2025-01-19T10:00:00Z' }),
        run('Check Story Release Gate', { conclusion: 'success', externalId: '9', startedAt: '2025-01-19T11:00:00Z' }),
      ],
      'head',
    );
    expect(status.allPassing).toBe(true);
    expect(status.gates[0].runs.map(r => r.externalId)).toEqual(['9']);
  });

  it('does not count a pinned gate reported by another app', () => {
    const status = computeGateStatus(
      [gates[2]],
      [run('Verify SLSA Provenance', { appId: 999, appSlug: 'impostor' })],
      'head',
    );
    expect(status.gates[0].state).toBe('missing');
    expect(status.unexpectedApp).toEqual(['SLSA Verification / Verify SLSA Provenance']);
    expect(status.gates[0].ignoredRuns[0].appSlug).toBe('impostor');
  });

  it('treats skipped and neutral as not passing', () => {
    const status = computeGateStatus(
      [gates[3]],
      [run('Validate Policy Bundle', { conclusion: 'skipped' })],
      'head',
    );
    expect(status.gates[0].state).toBe('failing');
  });

  it('fails a wildcard gate when any matching check fails', () => {
    const status = computeGateStatus(
      [gates[0]],
      [run('Run Gate 3 for PRD-1'), run('Run Gate 3 for PRD-2', { conclusion: 'failure', externalId: '2' })],
      'head',
    );
    expect(status.gates[0].state).toBe('failing');
  });
});
