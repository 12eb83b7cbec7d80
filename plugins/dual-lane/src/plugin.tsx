import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { rootRouteRef } from './routes';

export const overviewPage = PageBlueprint.make({
  params: {
    path: '/dual-lane',
    routeRef: rootRouteRef,
    title: 'Dual-lane',
    loader: () =>
      import('./components/OverviewPage').then(m => <m.OverviewPage />),
  },
});

export const dualLanePlugin = createFrontendPlugin({
  pluginId: 'dual-lane',
  extensions: [overviewPage],
  routes: {
    root: rootRouteRef,
  },
});
