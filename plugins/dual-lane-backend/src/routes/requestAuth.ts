import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { DualLaneEntityPermission } from '@dual-lane/plugin-dual-lane-common';
import { Request } from 'express';
import { AccessibleEntity, EntityAccess } from '../services/EntityAccess';
import {
  IngestAuthorization,
  IngestPrincipal,
} from '../services/gates/IngestAuthorization';

/**
 * Push-model ingest is for CI systems: a Backstage service token or a
 * static external-access token (both are service principals) listed in
 * `dualLane.ingest.callers`. What it may write is checked per repository
 * once the body is read (`IngestAuthorization.repositories`), including
 * `dual-lane.ingest` on each entity, where a static token's
 * `accessRestrictions` bite.
 */
export async function authorizeIngest(
  req: Request,
  deps: { httpAuth: HttpAuthService; ingestAuthorization: IngestAuthorization },
): Promise<IngestPrincipal> {
  const credentials = await deps.httpAuth.credentials(req, {
    allow: ['service'],
  });
  return deps.ingestAuthorization.caller(credentials);
}

/**
 * Resolves `/entities/:kind/:namespace/:name/...` for a user or service
 * caller holding `permission` on that entity.
 */
export async function resolveEntity(
  req: Request<{ kind: string; namespace: string; name: string }>,
  permission: DualLaneEntityPermission,
  deps: { httpAuth: HttpAuthService; entityAccess: EntityAccess },
): Promise<AccessibleEntity & { credentials: BackstageCredentials }> {
  const credentials = await deps.httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const { kind, namespace, name } = req.params;
  const resolved = await deps.entityAccess.resolve(
    { kind, namespace, name },
    permission,
    credentials,
  );
  return { ...resolved, credentials };
}
