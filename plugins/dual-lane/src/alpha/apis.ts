import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { DualLaneClient, dualLaneApiRef } from '../api';

/** The dual-lane API client. */
export const dualLaneApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dualLaneApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DualLaneClient({ discoveryApi, fetchApi }),
    }),
});
