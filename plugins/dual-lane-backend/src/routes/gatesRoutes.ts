import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { dualLaneEntityReadPermission } from '@dual-lane/plugin-dual-lane-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EntityAccess } from '../services/EntityAccess';
import { GatesReader } from '../services/gates/GatesReader';
import { resolveEntity } from './requestAuth';

const querySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(512).optional(),
    state: z.enum(['open', 'closed', 'merged']).optional(),
  })
  .strict();

/** `path: message` for every problem of a zod error. */
export function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map(issue => {
      const path = issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
        .join('');
      return `${path || '(body)'}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * `GET /entities/:kind/:namespace/:name/gates?limit=&cursor=&state=`:
 * the entity's pull requests with their gates, lanes, verdicts, rework
 * cycles, labels (expected vs actual) and merge conformance, newest update
 * first. Needs `dual-lane.entity.read` on the entity.
 */
export function gatesRoutes(deps: {
  httpAuth: HttpAuthService;
  entityAccess: EntityAccess;
  reader: GatesReader;
}): express.Router {
  const router = Router();
  router.get('/entities/:kind/:namespace/:name/gates', async (req, res) => {
    const query = querySchema.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`Invalid query: ${zodMessage(query.error)}`);
    }
    const { repository } = await resolveEntity(
      req,
      dualLaneEntityReadPermission,
      deps,
    );
    res.json(await deps.reader.list(repository, query.data));
  });
  return router;
}
