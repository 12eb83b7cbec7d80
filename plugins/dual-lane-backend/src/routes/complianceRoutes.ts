import {
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  COMPLIANCE_SORT_FIELDS,
  dualLaneEntityReadPermission,
  dualLaneEvaluatePermission,
  dualLaneWaiverManagePermission,
  GO_NO_GO_CRITERION_IDS,
} from '@dual-lane/plugin-dual-lane-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ComplianceFilters } from '../database/ComplianceListQueries';
import { dualLaneEntityResourceRef, EntityFilter } from '../permissions';
import { ComplianceEvaluator } from '../services/compliance/ComplianceEvaluator';
import { ComplianceReader } from '../services/compliance/ComplianceReader';
import { principalRef } from '../services/compliance/principal';
import { WaiverService } from '../services/compliance/WaiverService';
import { EntityAccess } from '../services/EntityAccess';
import { resolveEntity } from './requestAuth';

const ref = z
  .string()
  .trim()
  .min(3)
  .max(255)
  .regex(/^[a-z0-9_-]+:[^/\s]+\/[^\s]+$/i, 'must be an entity ref like group:default/team-a');

const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform(s => s.split(',').map(v => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(1024).optional(),
    sort: z.enum(COMPLIANCE_SORT_FIELDS as [string, ...string[]]).default('verdict'),
    order: z.enum(['asc', 'desc']).optional(),
    owner: ref.optional(),
    system: ref.optional(),
    verdict: listOf(['go', 'no-go', 'no-data']).optional(),
    criterion: z.enum(GO_NO_GO_CRITERION_IDS).optional(),
    criterionStatus: z.enum(['pass', 'fail', 'no-data', 'waived']).optional(),
    q: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine(q => !q.criterionStatus || q.criterion, {
    message: 'criterionStatus needs criterion',
    path: ['criterionStatus'],
  });

const rollupQuery = z
  .object({
    by: z.enum(['owner', 'system']),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
    owner: ref.optional(),
    system: ref.optional(),
  })
  .strict();

const waiversQuery = z
  .object({
    active: z
      .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
      .transform(v => v === 'true')
      .optional(),
    criterion: z.enum(GO_NO_GO_CRITERION_IDS).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(1024).optional(),
  })
  .strict();

const historyQuery = z
  .object({ days: z.coerce.number().int().min(1).max(3660).default(90) })
  .strict();

const waiverBody = z
  .object({
    criterion: z.enum(GO_NO_GO_CRITERION_IDS),
    reason: z.string().trim().min(10, 'say why, in at least 10 characters').max(2000),
    expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-12-31T00:00:00Z' }),
  })
  .strict();

function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map(issue => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(`Invalid ${what}: ${zodMessage(parsed.error)}`);
  }
  return parsed.data;
}

export interface ComplianceRoutesDeps {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  entityAccess: EntityAccess;
  reader: ComplianceReader;
  evaluator: ComplianceEvaluator;
  waivers: WaiverService;
}

/**
 * What the caller may read, as SQL filters: `undefined` for everything,
 * criteria for a conditional decision. Throws for a denial.
 */
async function readableEntities(
  req: Request,
  deps: ComplianceRoutesDeps,
): Promise<PermissionCriteria<EntityFilter> | undefined> {
  const credentials = await deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
  const [decision] = await deps.permissions.authorizeConditional(
    [{ permission: dualLaneEntityReadPermission }],
    { credentials },
  );
  if (decision.result === AuthorizeResult.DENY) {
    throw new NotAllowedError(
      `Not allowed to read dual-lane compliance (${dualLaneEntityReadPermission.name})`,
    );
  }
  if (decision.result !== AuthorizeResult.CONDITIONAL) return undefined;
  const transform = createConditionTransformer(
    deps.permissionsRegistry.getPermissionRuleset(dualLaneEntityResourceRef),
  );
  return transform(decision.conditions);
}

/**
 * The compliance routes: the org-wide list, rollups and waivers (filtered in
 * SQL by the caller's `dual-lane.entity.read` decision), one entity's compliance,
 * history and waivers, and re-evaluation.
 */
export function complianceRoutes(deps: ComplianceRoutesDeps): express.Router {
  const router = Router();

  router.get('/compliance', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    const permission = await readableEntities(req, deps);
    const filters: ComplianceFilters = {
      permission,
      ownerRef: query.owner,
      systemRef: query.system,
      verdicts: query.verdict as ComplianceFilters['verdicts'],
      criterion: query.criterion,
      criterionStatus: query.criterionStatus,
      search: query.q,
    };
    res.json(
      await deps.reader.list({
        filters,
        sort: query.sort as (typeof COMPLIANCE_SORT_FIELDS)[number],
        order: query.order,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  router.get('/compliance/rollups', async (req, res) => {
    const query = parse(rollupQuery, req.query, 'query');
    const permission = await readableEntities(req, deps);
    res.json(
      await deps.reader.rollups({
        by: query.by,
        filters: { permission, ownerRef: query.owner, systemRef: query.system },
        limit: query.limit,
        offset: query.offset,
      }),
    );
  });

  router.get('/compliance/waivers', async (req, res) => {
    const query = parse(waiversQuery, req.query, 'query');
    const permission = await readableEntities(req, deps);
    res.json(
      await deps.waivers.listOrganisation({
        filters: { permission, active: query.active, criterion: query.criterion },
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  router.get('/compliance/criteria', async (req, res) => {
    await readableEntities(req, deps);
    res.json(deps.reader.criteria());
  });

  const entityPath = '/entities/:kind/:namespace/:name/compliance';

  router.get(entityPath, async (req, res) => {
    const { entity, repository } = await resolveEntity(req, dualLaneEntityReadPermission, deps);
    res.json(await deps.reader.entityCompliance(entity, repository));
  });

  router.get(`${entityPath}/history`, async (req, res) => {
    const query = parse(historyQuery, req.query, 'query');
    const { entity } = await resolveEntity(req, dualLaneEntityReadPermission, deps);
    res.json(await deps.reader.history(entity.entityRef, query.days));
  });

  router.post(`${entityPath}/evaluate`, async (req, res) => {
    const { entity, repository } = await resolveEntity(req, dualLaneEvaluatePermission, deps);
    await deps.evaluator.evaluateEntities([entity.entityRef]);
    res.json(await deps.reader.entityCompliance(entity, repository));
  });

  router.get(`${entityPath}/waivers`, async (req, res) => {
    const { entity } = await resolveEntity(req, dualLaneEntityReadPermission, deps);
    res.json({ items: await deps.waivers.list(entity.entityRef) });
  });

  router.post(`${entityPath}/waivers`, async (req, res) => {
    const body = parse(waiverBody, req.body, 'waiver');
    const { entity, credentials } = await resolveEntity(
      req,
      dualLaneWaiverManagePermission,
      deps,
    );
    res
      .status(201)
      .json(await deps.waivers.create(entity.entityRef, body, principalRef(credentials)));
  });

  router.delete(`${entityPath}/waivers/:id`, async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0) {
      throw new InputError(`Invalid waiver id '${req.params.id}': expected a positive whole number`);
    }
    const { entity, credentials } = await resolveEntity(
      req as unknown as Request<{ kind: string; namespace: string; name: string }>,
      dualLaneWaiverManagePermission,
      deps,
    );
    res.json(await deps.waivers.revoke(entity.entityRef, id, principalRef(credentials)));
  });

  return router;
}
