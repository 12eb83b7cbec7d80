import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleDualLane } from './module';
import { TEMPLATE_GATES_DEPRECATION } from './services/config/templateGates';

describe('scaffolderModuleDualLane', () => {
  async function start(dualLane: object) {
    const logger = mockServices.logger.mock();
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleDualLane,
        mockServices.rootConfig.factory({ data: { dualLane } }),
        logger.factory,
      ],
    });
    return { logger, addActions };
  }

  it('registers its actions and logs the deprecated templateGates setting', async () => {
    const { logger, addActions } = await start({
      scaffolder: {
        templateGates: {
          policy: 'Policy Verification / Validate Policy Bundle',
        },
      },
    });
    expect(addActions.mock.calls[0].map((a: { id: string }) => a.id)).toEqual([
      'dual-lane:config:read',
      'dual-lane:repo:create',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(TEMPLATE_GATES_DEPRECATION);
  });

  it('says nothing when the gates carry roles only', async () => {
    const { logger } = await start({});
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
