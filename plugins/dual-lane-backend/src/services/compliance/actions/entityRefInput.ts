import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** `kind:namespace/name`, with kind `component` and namespace `default` assumed. */
export function parseEntityRefInput(entityRef: string): CompoundEntityRef {
  try {
    return parseEntityRef(entityRef.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `entityRef '${entityRef}' is not an entity ref like component:default/payments: ${
        (error as Error).message
      }`,
    );
  }
}

export const ENTITY_REF_DESCRIPTION =
  'The entity, as kind:namespace/name (e.g. component:default/payments); kind defaults to component and namespace to default.';
