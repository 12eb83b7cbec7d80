import { createDevApp } from '@backstage/frontend-dev-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import dualLanePlugin from '../src/alpha';

// Serves the plugin against a running backend (`yarn start` at the root
// starts one on :7007); the catalog provides the entity pages.
createDevApp({ features: [catalogPlugin, dualLanePlugin] });
