import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';
import { DualLaneIcon } from './icon';

/** The organisation's compliance page at `/dual-lane`, with a sidebar item. */
export const dualLanePage = PageBlueprint.make({
  params: {
    path: '/dual-lane',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    title: 'Dual-lane',
    icon: <DualLaneIcon />,
    loader: () =>
      import('../components/CompliancePage').then(m =>
        compatWrapper(<m.CompliancePageContent />),
      ),
  },
});
