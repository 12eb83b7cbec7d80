import { createRouteRef } from '@backstage/core-plugin-api';

/** The org-wide page, `/dual-lane` by default. */
export const rootRouteRef = createRouteRef({ id: 'dual-lane' });

/** The entity "Gates" tab (legacy frontend system). */
export const entityGatesRouteRef = createRouteRef({ id: 'dual-lane:gates' });

/** The entity "Supply chain" tab (legacy frontend system). */
export const entitySupplyChainRouteRef = createRouteRef({
  id: 'dual-lane:supply-chain',
});
