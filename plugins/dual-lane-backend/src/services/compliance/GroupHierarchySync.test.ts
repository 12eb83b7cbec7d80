import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { closureOf, GroupHierarchySync, parentOf } from './GroupHierarchySync';

const group = (name: string, extra: Partial<Entity> = {}, namespace = 'default'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace },
  spec: { type: 'team', children: [] },
  ...extra,
});

describe('GroupHierarchySync', () => {
  it('reads the parent from childOf, else from spec.parent in the group namespace', () => {
    expect(
      parentOf(group('a', { relations: [{ type: 'childOf', targetRef: 'group:default/Org' }] })),
    ).toBe('group:default/org');
    expect(parentOf(group('b', { spec: { parent: 'platform' } }, 'eng'))).toBe('group:eng/platform');
    expect(parentOf(group('c', { spec: { parent: 'user:default/jane' } }))).toBeUndefined();
    expect(parentOf(group('e', { spec: { parent: 'a:b:c/d/e' } }))).toBeUndefined();
    expect(parentOf(group('d'))).toBeUndefined();
  });

  it('closes the hierarchy transitively and cuts cycles', () => {
    const closure = closureOf(
      new Map([
        ['group:default/org', undefined],
        ['group:default/dept', 'group:default/org'],
        ['group:default/team', 'group:default/dept'],
        ['group:default/x', 'group:default/y'],
        ['group:default/y', 'group:default/x'],
      ]),
    );
    const of = (descendant: string) =>
      closure.filter(c => c.descendantRef === descendant).map(c => [c.ancestorRef, c.depth]);
    expect(of('group:default/team')).toEqual([
      ['group:default/team', 0],
      ['group:default/dept', 1],
      ['group:default/org', 2],
    ]);
    expect(of('group:default/x')).toEqual([
      ['group:default/x', 0],
      ['group:default/y', 1],
    ]);
  });

  it('mirrors the catalog groups into the store', async () => {
    const replaceGroupHierarchy = jest.fn();
    const sync = new GroupHierarchySync({
      catalog: catalogServiceMock({
        entities: [
          group('org'),
          group('team', { spec: { parent: 'org' } }),
          { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'svc' } },
        ],
      }),
      auth: mockServices.auth(),
      store: { compliance: { replaceGroupHierarchy } } as any,
      logger: mockServices.logger.mock(),
    });
    expect(await sync.sync()).toEqual({ groups: 2, pairs: 3 });
    expect(replaceGroupHierarchy.mock.calls[0][0].groups).toEqual([
      { groupRef: 'group:default/org', parentRef: undefined },
      { groupRef: 'group:default/team', parentRef: 'group:default/org' },
    ]);
  });
});
