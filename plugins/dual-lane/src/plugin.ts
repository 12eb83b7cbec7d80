import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DualLaneClient, dualLaneApiRef } from './api';
import {
  entityGatesRouteRef,
  entitySupplyChainRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The dual-lane plugin for the legacy frontend system. Apps on the new
 * frontend system use the default export of
 * `@dual-lane/plugin-dual-lane/alpha` instead.
 *
 * @public
 */
export const dualLanePlugin = createPlugin({
  id: 'dual-lane',
  apis: [
    createApiFactory({
      api: dualLaneApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DualLaneClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityGates: entityGatesRouteRef,
    entitySupplyChain: entitySupplyChainRouteRef,
  },
});

/**
 * The org-wide compliance page, e.g.
 * `<Route path="/dual-lane" element={<DualLanePage />} />`.
 *
 * @public
 */
export const DualLanePage = dualLanePlugin.provide(
  createRoutableExtension({
    name: 'DualLanePage',
    component: () =>
      import('./components/CompliancePage').then(m => m.DualLanePage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Gates" entity tab: pull requests with their gates, lane markers,
 * verdicts, rework cycles, labels and merge conformance.
 *
 * @public
 */
export const EntityDualLaneGatesContent = dualLanePlugin.provide(
  createRoutableExtension({
    name: 'EntityDualLaneGatesContent',
    component: () =>
      import('./components/EntityGatesContent').then(m => m.EntityGatesContent),
    mountPoint: entityGatesRouteRef,
  }),
);

/**
 * The "Supply chain" entity tab: artifacts with their signature,
 * provenance and SBOM outcomes, policy versions, and re-verify.
 *
 * @public
 */
export const EntityDualLaneSupplyChainContent = dualLanePlugin.provide(
  createRoutableExtension({
    name: 'EntityDualLaneSupplyChainContent',
    component: () =>
      import('./components/EntitySupplyChainContent').then(
        m => m.EntitySupplyChainContent,
      ),
    mountPoint: entitySupplyChainRouteRef,
  }),
);

/**
 * The entity overview card: the entity's go/no-go with each criterion
 * explained, KPIs and waivers.
 *
 * @public
 */
export const EntityDualLaneComplianceCard = dualLanePlugin.provide(
  createComponentExtension({
    name: 'EntityDualLaneComplianceCard',
    component: {
      lazy: () =>
        import('./components/EntityComplianceCard').then(
          m => m.EntityComplianceCard,
        ),
    },
  }),
);
