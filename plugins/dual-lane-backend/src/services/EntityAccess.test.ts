import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dualLaneEntityReadPermission } from '@dual-lane/plugin-dual-lane-common';
import { createTestDatabases, createTestStore } from '../__testUtils__/databases';
import { CatalogEntitySync } from './CatalogEntitySync';
import { EntityAccess } from './EntityAccess';

const databases = createTestDatabases();

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'widget', namespace: 'default', annotations: { 'github.com/project-slug': 'acme/widget' } },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'plain', namespace: 'default' },
    spec: {},
  },
];

describe.each(databases.eachSupportedId())('EntityAccess on %p', id => {
  async function setup(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const { store } = await createTestStore(databases, id);
    const catalog = catalogServiceMock({ entities });
    const access = new EntityAccess({
      catalog,
      permissions: mockServices.permissions.mock({
        authorize: async requests => requests.map(() => ({ result })),
      }),
      store,
      catalogSync: new CatalogEntitySync({
        catalog,
        auth: mockServices.auth(),
        store,
        integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
        logger: mockServices.logger.mock(),
      }),
    });
    return { store, access };
  }
  const ref = (name: string) => ({ kind: 'Component', namespace: 'default', name });

  it('mirrors a not-yet-synced entity and returns it with its repository', async () => {
    const { store, access } = await setup(AuthorizeResult.ALLOW);
    const { entity, repository } = await access.resolve(
      ref('widget'),
      dualLaneEntityReadPermission,
      mockCredentials.user(),
    );
    expect(entity.entityRef).toBe('component:default/widget');
    expect(`${repository.owner}/${repository.name}`).toBe('acme/widget');
    expect(await store.repositories.listEntities()).toHaveLength(1);
  });

  it('refuses a denied caller, an unknown entity and one without the annotation', async () => {
    const denied = await setup(AuthorizeResult.DENY);
    await expect(
      denied.access.resolve(ref('widget'), dualLaneEntityReadPermission, mockCredentials.user()),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed to read component:default/widget (dual-lane.entity.read)',
    });
    const { access } = await setup(AuthorizeResult.ALLOW);
    await expect(
      access.resolve(ref('missing'), dualLaneEntityReadPermission, mockCredentials.user()),
    ).rejects.toMatchObject({ name: 'NotFoundError', message: 'No entity component:default/missing in the catalog' });
    await expect(
      access.resolve(ref('plain'), dualLaneEntityReadPermission, mockCredentials.user()),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('has no github.com/project-slug annotation'),
    });
  });
});
