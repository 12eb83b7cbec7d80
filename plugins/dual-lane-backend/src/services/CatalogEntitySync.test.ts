import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases, createTestStore } from '../__testUtils__/databases';
import { CatalogEntitySync } from './CatalogEntitySync';

const databases = createTestDatabases();

function component(name: string, annotations: Record<string, string>, extra: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/payments' },
      { type: 'partOf', targetRef: 'component:default/parent' },
    ],
    ...extra,
  };
}

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: { github: [{ host: 'github.com' }, { host: 'ghe.acme.dev', apiBaseUrl: 'https://ghe.acme.dev/api/v3' }] },
  }),
);

describe.each(databases.eachSupportedId())('CatalogEntitySync on %p', id => {
  it('mirrors dual-lane entities with owner, system and repository, and drops the rest', async () => {
    const { store } = await createTestStore(databases, id);
    const logger = mockServices.logger.mock();
    const entities = [
      component('widget', {
        'github.com/project-slug': 'Acme/Widget',
        'dual-lane/threshold.verdict-coverage': '90',
        'backstage.io/techdocs-ref': 'dir:.',
      }),
      // A monorepo: two entities, one repository.
      component('widget-api', { 'github.com/project-slug': 'acme/widget' }),
      component('enterprise', {
        'github.com/project-slug': 'platform/enterprise',
        'backstage.io/source-location': 'url:https://ghe.acme.dev/platform/enterprise/tree/main/',
      }),
      component('broken', { 'github.com/project-slug': 'not a slug' }),
      component('unrelated', {}),
    ];
    const sync = new CatalogEntitySync({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      store,
      integrations,
      logger,
    });

    const result = await sync.syncAll();
    expect(result).toMatchObject({
      entities: 3,
      repositories: 2,
      removed: 0,
      rejected: [
        {
          entityRef: 'component:default/broken',
          reason: "annotation github.com/project-slug must be 'owner/repo', got 'not a slug'",
        },
      ],
    });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('component:default/broken'));

    const repos = await store.repositories.listRepositories();
    expect(repos.map(r => `${r.host}/${r.owner}/${r.name}`)).toEqual([
      'github.com/acme/widget',
      'ghe.acme.dev/platform/enterprise',
    ]);
    const stored = await store.repositories.listEntities();
    expect(stored.map(e => [e.entityRef, e.repositoryId])).toEqual([
      ['component:default/enterprise', repos[1].id],
      ['component:default/widget', repos[0].id],
      ['component:default/widget-api', repos[0].id],
    ]);
    expect(stored[1]).toMatchObject({
      ownerRef: 'group:default/team-a',
      systemRef: 'system:default/payments',
      annotations: { 'dual-lane/threshold.verdict-coverage': '90' },
    });

    // The catalog loses an entity: the next sync removes it.
    const shrunk = new CatalogEntitySync({
      catalog: catalogServiceMock({ entities: entities.slice(0, 1) }),
      auth: mockServices.auth(),
      store,
      integrations,
      logger,
    });
    expect((await shrunk.syncAll()).removed).toBe(2);
    expect((await store.repositories.listEntities()).map(e => e.entityRef)).toEqual([
      'component:default/widget',
    ]);
  });
});
