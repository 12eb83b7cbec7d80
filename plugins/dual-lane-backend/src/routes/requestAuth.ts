import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DualLaneEntityPermission,
  dualLaneIngestPermission,
} from '@dual-lane/plugin-dual-lane-common';
import { Request } from 'express';
import { AccessibleEntity, EntityAccess } from '../services/EntityAccess';

/**
 * Push-model ingest is for CI systems: a Backstage service token or a
 * static external-access token (both are service principals), granted
 * `dual-lane.ingest`. A static token's `accessRestrictions` bite here
 * because of this permission check.
 */
export async function authorizeIngest(
  req: Request,
  deps: { httpAuth: HttpAuthService; permissions: PermissionsService },
): Promise<BackstageCredentials> {
  const credentials = await deps.httpAuth.credentials(req, {
    allow: ['service'],
  });
  const [decision] = await deps.permissions.authorize(
    [{ permission: dualLaneIngestPermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed to ingest into dual-lane (${dualLaneIngestPermission.name})`,
    );
  }
  return credentials;
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
