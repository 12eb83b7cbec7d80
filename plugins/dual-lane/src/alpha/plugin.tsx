import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';
import { dualLaneApi } from './apis';
import {
  entityComplianceCard,
  entityGatesContent,
  entitySupplyChainContent,
} from './entityContents';
import { DualLaneIcon } from './icon';
import { dualLanePage } from './pages';

/**
 * The dual-lane plugin for the new frontend system: the API client, the
 * `/dual-lane` page, the entity "Gates" and "Supply chain" tabs and the
 * go/no-go card (the last three only for entities with
 * `github.com/project-slug`).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dual-lane',
  title: 'Dual-lane',
  icon: <DualLaneIcon />,
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    dualLaneApi,
    dualLanePage,
    entityGatesContent,
    entitySupplyChainContent,
    entityComplianceCard,
  ],
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
});
