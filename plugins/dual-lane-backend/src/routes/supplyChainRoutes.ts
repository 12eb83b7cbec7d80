import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  dualLaneEntityReadPermission,
  dualLaneReverifyPermission,
  ReverifyResponse,
} from '@dual-lane/plugin-dual-lane-common';
import { z } from 'zod';
import { DualLaneStore } from '../database';
import { EntityAccess } from '../services/EntityAccess';
import { entitySupplyChain } from '../services/supplyChain/EntitySupplyChain';
import { Reverifier } from '../services/supplyChain/Reverifier';
import { resolveEntity } from './requestAuth';

const reverifyQuery = z.object({
  force: z.enum(['true', 'false']).optional(),
});

/**
 * `GET /entities/:kind/:namespace/:name/supply-chain` and
 * `POST .../supply-chain/reverify` (re-verifies every artifact and policy
 * bundle of the entity's repository under the policy in force; with
 * `?force=false` only those verified under another policy).
 */
export function supplyChainRoutes(deps: {
  httpAuth: HttpAuthService;
  entityAccess: EntityAccess;
  store: DualLaneStore;
  reverifier: Reverifier;
}): express.Router {
  const router = Router();
  const base = '/entities/:kind/:namespace/:name/supply-chain';

  router.get(base, async (req, res) => {
    const { entity, repository } = await resolveEntity(
      req,
      dualLaneEntityReadPermission,
      deps,
    );
    res.json(
      await entitySupplyChain(
        deps.store,
        entity.entityRef,
        repository,
        await deps.reverifier.currentPolicyHash(),
      ),
    );
  });

  router.post(`${base}/reverify`, async (req, res) => {
    const query = reverifyQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`Invalid query: ${query.error.issues[0]?.message}`);
    }
    const { entity, repository } = await resolveEntity(
      req,
      dualLaneReverifyPermission,
      deps,
    );
    const result = await deps.reverifier.reverify({
      repositoryIds: [repository.id],
      force: query.data.force !== 'false',
    });
    const body: ReverifyResponse = {
      entityRef: entity.entityRef,
      reverified: result.reverified,
      changes: result.changes,
      currentPolicyHash: result.policyHash,
      ...(result.skipped ? { skipped: result.skipped } : {}),
    };
    res.json(body);
  });

  return router;
}
