import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/dual-lane',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const dualLanePlugin = createFrontendPlugin({
  pluginId: 'dual-lane',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
