import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DualLaneApi, dualLaneApiRef } from '../api';
import { entity as defaultEntity } from './fixtures';

/** Renders an entity view in a test app with a mocked API and permissions. */
export function renderEntityView(
  element: JSX.Element,
  options: {
    api: DualLaneApi;
    allow?: boolean | ((permissionName: string) => boolean);
    entity?: Entity;
  },
) {
  const { api, allow = true, entity = defaultEntity } = options;
  const decide = typeof allow === 'function' ? allow : () => allow;
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        [dualLaneApiRef, api],
        mockApis.permission({
          authorize: request =>
            decide(request.permission.name)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
