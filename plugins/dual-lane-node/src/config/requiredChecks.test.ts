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
