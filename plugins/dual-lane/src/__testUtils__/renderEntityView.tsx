import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { act, RenderResult, waitFor } from '@testing-library/react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DualLaneApi, dualLaneApiRef } from '../api';
import { entity as defaultEntity } from './fixtures';

let entities = 0;

/**
 * The fixture entity under a name of its own: usePermission caches
 * answers per resource across renders, so tests of different permission
 * decisions must not share an entity.
 */
export function uniqueEntity(): Entity {
  entities += 1;
  return {
    ...defaultEntity,
    metadata: { ...defaultEntity.metadata, name: `payments-api-${entities}` },
  };
}

/** Renders an entity view in a test app with a mocked API and permissions. */
export function renderEntityView(
  element: JSX.Element,
  options: {
    api: DualLaneApi;
    allow?: boolean | ((permissionName: string) => boolean);
    entity?: Entity;
  },
): RenderResult & { decided(permissionName: string): Promise<void> } {
  const { api, allow = true, entity = uniqueEntity() } = options;
  const decide = typeof allow === 'function' ? allow : () => allow;
  const permissionsAsked: string[] = [];
  const rendered = renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        [dualLaneApiRef, api],
        mockApis.permission({
          authorize: request => {
            permissionsAsked.push(request.permission.name);
            return decide(request.permission.name)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY;
          },
        }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return Object.assign(rendered, {
    /** Resolves once the view has asked for a permission decision. */
    async decided(permissionName: string) {
      await waitFor(() => expect(permissionsAsked).toContain(permissionName));
      // Let the hook apply the answer.
      await act(async () => {});
    },
  });
}
