import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { dualLaneEntityResourceRef } from './resource';

const lower = (values: string[]) => values.map(v => v.toLowerCase());

/** Entities owned by one of the given refs (typically the user's ownership claims). */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description: 'Allow entities owned by one of the given entity refs',
  resourceRef: dualLaneEntityResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity refs of the owners, e.g. the user ownership claims'),
  }),
  apply: (entity, { claims }) =>
    !!entity.ownerRef && lower(claims).includes(entity.ownerRef.toLowerCase()),
  toQuery: ({ claims }) => ({ column: 'owner_ref', values: lower(claims) }),
});

/** Entities that are part of one of the given systems. */
export const isInSystem = createPermissionRule({
  name: 'IS_IN_SYSTEM',
  description: 'Allow entities that are part of one of the given systems',
  resourceRef: dualLaneEntityResourceRef,
  paramsSchema: z.object({
    systemRefs: z.array(z.string()).describe('Entity refs of systems, e.g. system:default/payments'),
  }),
  apply: (entity, { systemRefs }) =>
    !!entity.systemRef &&
    lower(systemRefs).includes(entity.systemRef.toLowerCase()),
  toQuery: ({ systemRefs }) => ({ column: 'system_ref', values: lower(systemRefs) }),
});

/** Entities of one of the given kinds. */
export const hasEntityKind = createPermissionRule({
  name: 'HAS_ENTITY_KIND',
  description: 'Allow entities of one of the given kinds',
  resourceRef: dualLaneEntityResourceRef,
  paramsSchema: z.object({
    kinds: z.array(z.string()).describe('Entity kinds, e.g. Component'),
  }),
  apply: (entity, { kinds }) => lower(kinds).includes(entity.kind.toLowerCase()),
  toQuery: ({ kinds }) => ({ column: 'kind', values: lower(kinds) }),
});

export const dualLaneEntityRules = [isEntityOwner, isInSystem, hasEntityKind];
