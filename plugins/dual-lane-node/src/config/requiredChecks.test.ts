import { ConfigReader } from '@backstage/config';
import { defaultContext, readRequiredChecks } from './requiredChecks';

describe('readRequiredChecks', () => {
  it('defaults to the seed four gates with job-name contexts', () => {
    const checks = readRequiredChecks(new ConfigReader({}));
    expect(checks.map(c => c.context)).toEqual([
      'Run Gate 3 for PRD-*',
      'Check Story Release Gate',
      'Verify SLSA Provenance',
      'Validate Policy Bundle',
    ]);
    expect(checks[2].name).toBe('SLSA Verification / Verify SLSA Provenance');
    expect(checks.map(c => c.role)).toEqual([
      'leo-gate',
      'story-release',
      'slsa',
      'policy',
    ]);
  });

  it('reads roles, and gives the seed names their role unless another gate claims it', () => {
    const checks = readRequiredChecks(
      new ConfigReader({
        dualLane: {
          gates: {
            requiredChecks: [
              { name: 'SLSA Verification / Verify SLSA Provenance' },
              { name: 'Policy Verification / Validate Policy Bundle' },
              { name: 'OPA / conftest', role: 'policy' },
              { name: 'Drift / Check AGENTS.md vs CLAUDE.md', role: 'drift' },
              { name: 'Lint / lint' },
            ],
          },
        },
      }),
    );
    expect(checks.map(c => [c.context, c.role])).toEqual([
      ['Verify SLSA Provenance', 'slsa'],
      ['Validate Policy Bundle', undefined],
      ['conftest', 'policy'],
      ['Check AGENTS.md vs CLAUDE.md', 'drift'],
      ['lint', undefined],
    ]);
  });

  it('refuses unknown roles and a role given to two gates', () => {
    const read = (requiredChecks: unknown) => () =>
      readRequiredChecks(
        new ConfigReader({ dualLane: { gates: { requiredChecks } } } as any),
      );
    expect(read([{ name: 'A / a', role: 'sbom' }])).toThrow(
      "dualLane.gates.requiredChecks[0].role must be one of leo-gate, story-release, slsa, policy, drift, got 'sbom'",
    );
    expect(
      read([
        { name: 'A / a', role: 'policy' },
        { name: 'B / b', role: 'policy' },
      ]),
    ).toThrow(
      "dualLane.gates.requiredChecks: 'A / a' and 'B / b' both have the role 'policy'; each role belongs to one gate",
    );
  });

  it('reads app pins and explicit contexts', () => {
    const checks = readRequiredChecks(
      new ConfigReader({
        dualLane: {
          gates: {
            requiredChecks: [
              { name: 'Build / build', appId: 15368, appSlug: 'github-actions' },
              { name: 'External scan', context: 'scan/ci' },
            ],
          },
        },
      }),
    );
    expect(checks).toEqual([
      { name: 'Build / build', context: 'build', appId: 15368, appSlug: 'github-actions' },
      { name: 'External scan', context: 'scan/ci', appId: undefined, appSlug: undefined },
    ]);
  });

  it('refuses an empty list, empty names and duplicate contexts', () => {
    const read = (requiredChecks: unknown) => () =>
      readRequiredChecks(
        new ConfigReader({ dualLane: { gates: { requiredChecks } } } as any),
      );
    expect(read([])).toThrow(/at least one check/);
    expect(read([{ name: ' ' }])).toThrow(/name must not be empty/);
    expect(read([{ name: 'A / x' }, { name: 'B / x' }])).toThrow(
      /lists the context 'x' twice/,
    );
  });

  it('takes the whole name when there is no workflow part', () => {
    expect(defaultContext('lint')).toBe('lint');
  });
});
