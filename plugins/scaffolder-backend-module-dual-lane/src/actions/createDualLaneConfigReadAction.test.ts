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
    expect(out.repositoryTopic).toBe('dual-lane');
  });

  it('documents its outputs for the template editor', () => {
    const action = createDualLaneConfigReadAction({
      config: new ConfigReader({}),
    });
    expect(
      Object.keys((action.schema?.output as any).properties).sort(),
    ).toEqual([
      'branchPrefixes',
      'gates',
      'labels',
      'labelsByState',
      'markers',
      'negativeTests',
      'repositoryTopic',
      'requiredChecks',
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

  it('refuses fewer than the four gates the template renders', () => {
    expect(() =>
      readTemplateValues(
        new ConfigReader({
          dualLane: { gates: { requiredChecks: [{ name: 'A / a' }] } },
        }),
      ),
    ).toThrow(
      /lists 1 checks; the dual-lane repository template needs the four gates/,
    );
  });
});
