import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PermissionRuleParams,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_DUAL_LANE_ENTITY } from '@dual-lane/plugin-dual-lane-common';
import { createTestDatabases, createTestStore } from '../__testUtils__/databases';
import { applyEntityFilter } from './filterToKnex';
import { EntityFilter } from './resource';
import { dualLaneEntityRules } from './rules';

const databases = createTestDatabases();

type Condition = PermissionCriteria<
  PermissionCondition<string, PermissionRuleParams>
>;

const cond = (rule: string, params: PermissionRuleParams): Condition => ({
  rule,
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
  params,
});

const inSystem = (...systemRefs: string[]) => cond('IS_IN_SYSTEM', { systemRefs });
const ownedBy = (...claims: string[]) => cond('IS_ENTITY_OWNER', { claims });
const ofKind = (...kinds: string[]) => cond('HAS_ENTITY_KIND', { kinds });

/** Shapes whose SQL and in-memory answers used to differ, and some that did not. */
const SHAPES: Array<[string, Condition]> = [
  ['a rule', inSystem('system:default/payments')],
  ['not a rule on a column that may be NULL', { not: inSystem('system:default/payments') }],
  ['not an owner rule', { not: ownedBy('group:default/team-a') }],
  ['an empty anyOf', { anyOf: [] } as unknown as Condition],
  ['an empty allOf', { allOf: [] } as unknown as Condition],
  ['not an empty allOf', { not: { allOf: [] } } as unknown as Condition],
  ['not an empty anyOf', { not: { anyOf: [] } } as unknown as Condition],
  ['a rule with no values', inSystem()],
  ['not a rule with no values', { not: inSystem() }],
  [
    'nested',
    {
      anyOf: [
        { allOf: [ofKind('component'), { not: inSystem('system:default/payments') }] },
        { not: { anyOf: [ownedBy('group:default/team-a'), ofKind('Component')] } },
      ],
    },
  ],
];

const ENTITIES = [
  { ref: 'component:default/a', kind: 'Component', owner: 'group:default/team-a', system: 'system:default/payments' },
  { ref: 'component:default/b', kind: 'Component', owner: 'group:default/team-b', system: undefined },
  { ref: 'api:default/c', kind: 'API', owner: undefined, system: 'system:default/search' },
  { ref: 'resource:default/d', kind: 'Resource', owner: undefined, system: undefined },
];

describe.each(databases.eachSupportedId())('applyEntityFilter on %p', id => {
  it.each(SHAPES)('selects the entities apply() allows: %s', async (_name, conditions) => {
    const { knex, store } = await createTestStore(databases, id);
    await store.repositories.upsertEntities(
      ENTITIES.map(e => ({
        entityRef: e.ref,
        kind: e.kind,
        namespace: 'default',
        name: e.ref.split('/')[1],
        ownerRef: e.owner,
        systemRef: e.system,
        annotations: {},
      })),
    );
    const entities = await store.repositories.listEntities();

    const authorize = createConditionAuthorizer(dualLaneEntityRules);
    const allowed = entities
      .filter(e =>
        authorize(
          {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'dual-lane',
            resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
            conditions,
          },
          e,
        ),
      )
      .map(e => e.entityRef)
      .sort();

    const filter = createConditionTransformer<EntityFilter, typeof dualLaneEntityRules>(
      dualLaneEntityRules,
    )(conditions);
    const selected = (
      (await applyEntityFilter(knex('entities'), filter).pluck('entity_ref')) as string[]
    ).sort();

    expect(selected).toEqual(allowed);
  });
});
