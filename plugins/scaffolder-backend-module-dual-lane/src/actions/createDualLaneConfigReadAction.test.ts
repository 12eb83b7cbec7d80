import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  DEFAULT_LANE_LABELS,
  NEGATIVE_TESTS,
} from '@dual-lane/plugin-dual-lane-common';
import {
  createDualLaneConfigReadAction,
  readTemplateValues,
} from './createDualLaneConfigReadAction';

describe('dual-lane:config:read', () => {
  it('outputs the seed gates, labels and lane conventions by default', async () => {
    const ctx = createMockActionContext();
    await createDualLaneConfigReadAction({
      config: new ConfigReader({}),
    }).handler(ctx);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(out.gates.leo).toEqual({
      name: 'LEO Gate Validation / Run Gate 3 for PRD-*',
      workflow: 'LEO Gate Validation',
      context: 'Run Gate 3 for PRD-*',
      role: 'leo-gate',
    });
    expect(out.gates.policy.workflow).toBe('Policy Verification');
    expect(out.requiredChecks).toHaveLength(4);
    expect(out.labelsByState['plan-review']).toEqual({
      state: 'plan-review',
      ...DEFAULT_LANE_LABELS['plan-review'],
    });
    expect(out.markers).toEqual({
      ready: 'CODEX-READY',
      applied: 'CLAUDE-APPLIED',
    });
    expect(out.branchPrefixes).toEqual({
      staging: 'staging/',
      feature: 'feature/',
    });
    expect(out.negativeTests).toEqual([...NEGATIVE_TESTS]);
    expect(out.negativeTestCheckName).toBe('Report Negative Tests');
    expect(out.verdicts).toEqual({
      marker: 'PLAN-VERDICT',
      supervisors: [],
      reviewStates: true,
      comments: true,
    });
    expect(out.repositoryTopic).toBe('dual-lane');
    expect(out.driftCheck).toEqual({
      required: true,
      name: 'LEO Drift Check / Check AGENTS.md vs CLAUDE.md',
      workflow: 'LEO Drift Check',
      context: 'Check AGENTS.md vs CLAUDE.md',
    });
  });

  it('documents its outputs for the template editor', () => {
    const action = createDualLaneConfigReadAction({
      config: new ConfigReader({}),
    });
    expect(
      Object.keys((action.schema?.output as any).properties).sort(),
    ).toEqual([
      'branchPrefixes',
      'driftCheck',
      'gates',
      'labels',
      'labelsByState',
      'markers',
      'negativeTestCheckName',
      'negativeTests',
      'orgPolicyBundle',
      'repositoryTopic',
      'requiredChecks',
      'verdicts',
    ]);
  });

  it('follows configured gates and labels', () => {
    const values = readTemplateValues(
      new ConfigReader({
        dualLane: {
          gates: {
            requiredChecks: [
              { name: 'LEO / leo', appId: 15368 },
              { name: 'Story / story' },
              { name: 'SLSA / slsa' },
              { name: 'Policy / policy' },
              { name: 'Scan', context: 'scan/ci', appId: 42 },
            ],
          },
          labels: { 'plan-approved': { name: 'lane/approved' } },
          scaffolder: {
            templateGates: {
              leo: 'LEO / leo',
              storyRelease: 'story',
              slsa: 'SLSA / slsa',
              policy: 'Policy / policy',
            },
          },
        },
      }),
    );
    expect(values.gates.leo).toEqual({
      name: 'LEO / leo',
      workflow: 'LEO',
      context: 'leo',
      appId: 15368,
    });
    expect(values.requiredChecks[4]).toEqual({
      name: 'Scan',
      workflow: 'scan/ci',
      context: 'scan/ci',
      appId: 42,
    });
    expect(values.labelsByState['plan-approved'].name).toBe('lane/approved');
  });

  it('maps gates to workflows by name, so reordering the checks changes nothing', () => {
    const seed = [
      'LEO Gate Validation / Run Gate 3 for PRD-*',
      'Story Release Gate Check / Check Story Release Gate',
      'SLSA Verification / Verify SLSA Provenance',
      'Policy Verification / Validate Policy Bundle',
    ];
    const values = readTemplateValues(
      new ConfigReader({
        dualLane: {
          gates: {
            // CodeQL first and the seed's gates reversed.
            requiredChecks: [
              { name: 'CodeQL / Analyze', appId: 57789 },
              ...[...seed].reverse().map(name => ({ name })),
            ],
          },
        },
      }),
    );
    expect(values.gates.leo.context).toBe('Run Gate 3 for PRD-*');
    expect(values.gates.storyRelease.context).toBe('Check Story Release Gate');
    expect(values.gates.slsa.context).toBe('Verify SLSA Provenance');
    expect(values.gates.policy.workflow).toBe('Policy Verification');
  });

  it('refuses gates it cannot map to the template workflows, naming each', () => {
    expect(() =>
      readTemplateValues(
        new ConfigReader({
          dualLane: {
            gates: { requiredChecks: [{ name: 'A / a' }, { name: 'B / b' }] },
            scaffolder: { templateGates: { leo: 'A / a', storyRelease: 'a' } },
          },
        }),
      ),
    ).toThrow(
      /cannot tell which configured gate each of its workflows reports[\s\S]*storyRelease: 'a' is already the leo gate[\s\S]*slsa: no gate of dualLane.gates.requiredChecks has the role 'slsa' \(give one `role: slsa`\)/,
    );
  });

  it('finds the template gates by their role, whatever they are called', () => {
    const values = readTemplateValues(
      new ConfigReader({
        dualLane: {
          gates: {
            requiredChecks: [
              { name: 'Policy / conftest', role: 'policy' },
              { name: 'Build / provenance', role: 'slsa' },
              { name: 'Stories / release', role: 'story-release' },
              { name: 'Gate 3 / gate', role: 'leo-gate' },
              { name: 'Agents / drift', role: 'drift' },
            ],
          },
        },
      }),
    );
    expect(values.gates.policy).toEqual({
      name: 'Policy / conftest',
      workflow: 'Policy',
      context: 'conftest',
      role: 'policy',
    });
    expect(values.gates.leo.context).toBe('gate');
    // The drift-role gate is the template's drift check job.
    expect(values.driftCheck).toEqual({
      required: true,
      name: 'Agents / drift',
      workflow: 'Agents',
      context: 'drift',
    });
  });

  it('refuses a deprecated templateGates entry that disagrees with a role', () => {
    expect(() =>
      readTemplateValues(
        new ConfigReader({
          dualLane: {
            gates: {
              requiredChecks: [
                { name: 'LEO Gate Validation / Run Gate 3 for PRD-*' },
                { name: 'Story Release Gate Check / Check Story Release Gate' },
                { name: 'SLSA Verification / Verify SLSA Provenance' },
                { name: 'OPA / conftest', role: 'policy' },
                { name: 'Policy Verification / Validate Policy Bundle' },
              ],
            },
            scaffolder: {
              templateGates: {
                policy: 'Policy Verification / Validate Policy Bundle',
              },
            },
          },
        }),
      ),
    ).toThrow(
      "policy: dualLane.scaffolder.templateGates.policy is 'Policy Verification / Validate Policy Bundle' but 'OPA / conftest' has the role 'policy'; drop the deprecated setting or make them agree",
    );
  });

  it('needs a negative-test report check to name the report job after', () => {
    expect(() =>
      readTemplateValues(
        new ConfigReader({ dualLane: { negativeTests: { checkNames: [] } } }),
      ),
    ).toThrow(
      'dualLane.negativeTests.checkNames must name at least one check; the template names its report job after the first',
    );
  });

  it('reads the lane conventions the backend reads', () => {
    const values = readTemplateValues(
      new ConfigReader({
        dualLane: {
          markers: { ready: 'BUILT', applied: 'ENFORCED' },
          branchPrefixes: { staging: 'build/', feature: 'enforce/' },
          verdicts: {
            marker: 'SUPERVISOR',
            supervisors: [' plan-bot '],
            reviewStates: false,
            comments: false,
          },
          negativeTests: { checkNames: ['Negative Tests Report'] },
        },
      }),
    );
    expect(values.markers).toEqual({ ready: 'BUILT', applied: 'ENFORCED' });
    expect(values.branchPrefixes).toEqual({
      staging: 'build/',
      feature: 'enforce/',
    });
    expect(values.verdicts).toEqual({
      marker: 'SUPERVISOR',
      supervisors: ['plan-bot'],
      reviewStates: false,
      comments: false,
    });
    expect(values.negativeTestCheckName).toBe('Negative Tests Report');
    expect(() =>
      readTemplateValues(
        new ConfigReader({
          dualLane: { markers: { ready: 'SAME', applied: 'same' } },
        }),
      ),
    ).toThrow(
      /dualLane.markers.ready and dualLane.markers.applied must differ/,
    );
  });
});
