import { compatWrapper } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';

/**
 * Only entities with a repository take part; the same rule as
 * `isDualLaneAvailable`, written as a filter the catalog can read.
 */
export const dualLaneEntityFilter = {
  'metadata.annotations.github.com/project-slug': { $exists: true },
};

export const entityGatesContent = EntityContentBlueprint.make({
  name: 'gates',
  params: {
    path: '/gates',
    title: 'Gates',
    group: 'development',
    filter: dualLaneEntityFilter,
    loader: () =>
      import('../components/EntityGatesContent').then(m =>
        compatWrapper(<m.EntityGatesContent />),
      ),
  },
});

export const entitySupplyChainContent = EntityContentBlueprint.make({
  name: 'supply-chain',
  params: {
    path: '/supply-chain',
    title: 'Supply chain',
    group: 'deployment',
    filter: dualLaneEntityFilter,
    loader: () =>
      import('../components/EntitySupplyChainContent').then(m =>
        compatWrapper(<m.EntitySupplyChainContent />),
      ),
  },
});

export const entityComplianceCard = EntityCardBlueprint.make({
  name: 'compliance',
  params: {
    filter: dualLaneEntityFilter,
    type: 'content',
    loader: () =>
      import('../components/EntityComplianceCard').then(m =>
        compatWrapper(<m.EntityComplianceCard />),
      ),
  },
});
