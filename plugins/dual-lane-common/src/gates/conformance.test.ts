import {
  evaluateConformance,
  gatesPassedAtMerge,
  ProtectionRequirement,
} from './conformance';
import { GateRunFacts } from './gateStatus';

const gates = [
  { name: 'SLSA Verification / Verify SLSA Provenance', context: 'Verify SLSA Provenance' },
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

const protectionOf = (requirements: ProtectionRequirement[]) => ({
  readable: true,
  sources: ['branch-protection' as const],
  requirements,
});

const pr = { headSha: 'head', mergeCommitSha: 'merge', baseRef: 'main' };

describe('evaluateConformance', () => {
  it('conforms when every gate passed from the app protection pins', () => {
    const result = evaluateConformance({
      pullRequest: pr,
      gates,
      protection: protectionOf([
        { context: 'Verify SLSA Provenance', appId: 15368, source: 'branch-protection' },
        { context: 'Validate Policy Bundle', source: 'branch-protection' },
      ]),
      runs: [run('Verify SLSA Provenance'), run('Validate Policy Bundle')],
      evaluatedAt: '2025-01-20T00:00:00Z',
    });
    expect(result).toMatchObject({ conforming: true, bypassedProtection: false, findings: [], unenforced: [] });
    expect(result.gates[0]).toMatchObject({ enforced: true, appId: 15368, state: 'passing' });
  });

  it('flags a merge past a failing required check as a bypass', () => {
    const result = evaluateConformance({
      pullRequest: pr,
      gates,
      protection: protectionOf([{ context: 'Validate Policy Bundle', source: 'branch-protection' }]),
      runs: [run('Verify SLSA Provenance'), run('Validate Policy Bundle', { conclusion: 'failure' })],
      evaluatedAt: '2025-01-20T00:00:00Z',
    });
    expect(result.conforming).toBe(false);
    expect(result.failing).toEqual(['Policy Verification / Validate Policy Bundle']);
    expect(result.bypassedProtection).toBe(true);
    expect(result.unenforced).toEqual(['SLSA Verification / Verify SLSA Provenance']);
    expect(result.findings.join('\n')).toMatch(/protection was bypassed/);
  });

  it('does not count a required check posted by an unexpected app', () => {
    const result = evaluateConformance({
      pullRequest: pr,
      gates: [gates[0]],
      protection: protectionOf([{ context: 'Verify SLSA Provenance', appId: 15368, source: 'ruleset' }]),
      runs: [run('Verify SLSA Provenance', { appId: 4242, appSlug: 'impostor' })],
      evaluatedAt: '2025-01-20T00:00:00Z',
    });
    expect(result.unexpectedApp).toEqual(['SLSA Verification / Verify SLSA Provenance']);
    expect(result.bypassedProtection).toBe(true);
    expect(result.gates[0].unexpectedApps).toEqual([{ appId: 4242, appSlug: 'impostor' }]);
  });

  it('adds checks only protection requires, and accepts runs on the merge commit', () => {
    const result = evaluateConformance({
      pullRequest: pr,
      gates: [gates[0]],
      protection: protectionOf([{ context: 'lint', source: 'branch-protection' }]),
      runs: [run('Verify SLSA Provenance', { headSha: 'merge' }), run('lint', { conclusion: 'skipped' })],
      evaluatedAt: '2025-01-20T00:00:00Z',
    });
    expect(result.gates.map(g => [g.name, g.state, g.configured, g.commitSha])).toEqual([
      ['SLSA Verification / Verify SLSA Provenance', 'passing', true, 'merge'],
      ['lint', 'failing', false, 'head'],
    ]);
    // GitHub lets a skipped required check through: not a bypass, but not a pass either.
    expect(result.bypassedProtection).toBe(false);
    expect(result.conforming).toBe(false);
  });

  it('reports an unknown bypass when protection cannot be read', () => {
    const result = evaluateConformance({
      pullRequest: pr,
      gates,
      protection: { readable: false, sources: [], requirements: [], unreadableReason: '403 on branch protection' },
      runs: [],
      evaluatedAt: '2025-01-20T00:00:00Z',
    });
    expect(result.bypassedProtection).toBeNull();
    expect(result.missing).toHaveLength(2);
    expect(result.findings.join('\n')).toMatch(/could not be read \(403 on branch protection\)/);
  });
});

describe('gatesPassedAtMerge', () => {
  it('passes a gate on the head, or on the merge commit when the head has no run', () => {
    const both = [run('Verify SLSA Provenance'), run('Validate Policy Bundle', { headSha: 'merge' })];
    expect(gatesPassedAtMerge(gates, both, pr)).toBe(true);
    // A failing run on the head is not rescued by the merge commit.
    expect(
      gatesPassedAtMerge(
        gates,
        [...both, run('Validate Policy Bundle', { conclusion: 'failure', externalId: '2' })],
        pr,
      ),
    ).toBe(false);
    expect(gatesPassedAtMerge(gates, [run('Verify SLSA Provenance')], pr)).toBe(false);
    expect(gatesPassedAtMerge([], [], pr)).toBe(false);
  });
});
