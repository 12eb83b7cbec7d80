import { ConfigReader } from '@backstage/config';
import { readLaneConventions, readNegativeTestChecks } from './laneConventions';

const read = (dualLane: object) =>
  readLaneConventions(new ConfigReader({ dualLane } as any));

describe('readLaneConventions', () => {
  it('defaults to the seed markers, prefixes, verdict convention and report check', () => {
    expect(readLaneConventions(new ConfigReader({}))).toEqual({
      markers: { ready: 'CODEX-READY', applied: 'CLAUDE-APPLIED' },
      branchPrefixes: { staging: 'staging/', feature: 'feature/' },
      verdicts: {
        marker: 'PLAN-VERDICT',
        supervisors: [],
        reviewStates: true,
        comments: true,
      },
      negativeTests: {
        checkNames: ['Report Negative Tests'],
        checkPrefix: 'negative-test/',
        githubEnvironments: ['ci', 'staging', 'production'],
      },
    });
  });

  it('reads overrides, trimming values and dropping blank supervisors', () => {
    const conventions = read({
      markers: { ready: ' BUILT ', applied: 'ENFORCED' },
      branchPrefixes: { staging: 'build/', feature: 'enforce/' },
      verdicts: {
        marker: 'SUPERVISOR',
        supervisors: [' plan-bot ', ' '],
        reviewStates: false,
        comments: false,
      },
      negativeTests: {
        checkNames: [' Negative Tests Report '],
        checkPrefix: 'neg/',
        githubEnvironments: ['ci', 'staging'],
      },
    });
    expect(conventions).toEqual({
      markers: { ready: 'BUILT', applied: 'ENFORCED' },
      branchPrefixes: { staging: 'build/', feature: 'enforce/' },
      verdicts: {
        marker: 'SUPERVISOR',
        supervisors: ['plan-bot'],
        reviewStates: false,
        comments: false,
      },
      negativeTests: {
        checkNames: ['Negative Tests Report'],
        checkPrefix: 'neg/',
        githubEnvironments: ['ci', 'staging'],
      },
    });
  });

  it('refuses bad values with the key in the message', () => {
    expect(() => read({ markers: { ready: 'X', applied: 'x' } })).toThrow(
      "dualLane.markers.ready and dualLane.markers.applied must differ, both are 'X'",
    );
    expect(() => read({ markers: { ready: ' ' } })).toThrow(
      'dualLane.markers.ready must not be empty',
    );
    expect(() =>
      read({ branchPrefixes: { staging: 'lane/', feature: 'lane/' } }),
    ).toThrow(
      "dualLane.branchPrefixes.staging and .feature must differ, both are 'lane/'",
    );
    expect(() => read({ verdicts: { marker: ' ' } })).toThrow(
      'dualLane.verdicts.marker must not be empty',
    );
    expect(() => read({ negativeTests: { checkPrefix: ' ' } })).toThrow(
      'dualLane.negativeTests.checkPrefix must not be empty',
    );
    expect(() => read({ negativeTests: { checkNames: ['A', ' '] } })).toThrow(
      'dualLane.negativeTests.checkNames[1] must not be empty',
    );
    expect(() =>
      read({ negativeTests: { githubEnvironments: ['ci', 'prod'] } }),
    ).toThrow(
      "dualLane.negativeTests.githubEnvironments[1] must be one of ci, staging, production, got 'prod'",
    );
  });

  it('allows an empty report-check list (only negative-test/<name> checks are read)', () => {
    expect(
      readNegativeTestChecks(
        new ConfigReader({ dualLane: { negativeTests: { checkNames: [] } } }),
      ).checkNames,
    ).toEqual([]);
  });
});
