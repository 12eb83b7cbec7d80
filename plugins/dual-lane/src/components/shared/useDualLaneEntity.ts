import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@dual-lane/plugin-dual-lane-common';
import { useMemo } from 'react';

export interface DualLaneEntityContext {
  /** The entity's kind, namespace and name, for the API. */
  ref: CompoundEntityRef;
  /** `kind:namespace/name` in lower case, as the backend's permission checks use it. */
  resourceRef: string;
  /** `owner/repo` from `github.com/project-slug`, if present. */
  projectSlug?: string;
}

/** The current catalog entity, in the forms the dual-lane views need. */
export function useDualLaneEntity(): DualLaneEntityContext {
  const { entity } = useEntity();
  return useMemo(() => {
    const ref = getCompoundEntityRef(entity);
    return {
      ref,
      resourceRef: stringifyEntityRef(ref).toLocaleLowerCase('en-US'),
      projectSlug:
        entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim() ||
        undefined,
    };
  }, [entity]);
}
