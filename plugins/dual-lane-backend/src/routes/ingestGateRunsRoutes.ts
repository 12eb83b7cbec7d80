import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { IngestGateRunsRequest } from '@dual-lane/plugin-dual-lane-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { reportedTime } from './reportedTime';
import { GateRunIngest } from '../services/gates/GateRunIngest';
import { IngestAuthorization } from '../services/gates/IngestAuthorization';
import { zodMessage } from './gatesRoutes';
import { authorizeIngest } from './requestAuth';

/** Most runs one request may carry. */
export const MAX_INGEST_BATCH = 500;

const sha = /^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/;
const runSchema = z
  .object({
    repository: z
      .string()
      .regex(
        /^(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/,
        "must be 'owner/repo' or 'host/owner/repo'",
      ),
    pullRequest: z.number().int().positive().optional(),
    headSha: z.string().regex(sha, 'must be a full commit sha (40 hex digits)'),
    gate: z.string().trim().min(1).max(255),
    checkName: z.string().trim().min(1).max(255).optional(),
    status: z.enum(['queued', 'in_progress', 'completed']),
    conclusion: z
      .enum([
        'success',
        'failure',
        'neutral',
        'cancelled',
        'skipped',
        'timed_out',
        'action_required',
        'stale',
      ])
      .optional(),
    externalId: z.string().trim().min(1).max(255),
    detailsUrl: z
      .string()
      .max(2048)
      .url()
      .refine(u => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
    policyDigest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, "must be 'sha256:' and 64 hex digits")
      .optional(),
    startedAt: reportedTime.optional(),
    completedAt: reportedTime.optional(),
  })
  .strict()
  .superRefine((run, ctx) => {
    if (run.status === 'completed' && !run.conclusion) {
      ctx.addIssue({
        code: 'custom',
        path: ['conclusion'],
        message: "is required when status is 'completed'",
      });
    }
    if (run.status !== 'completed' && run.conclusion) {
      ctx.addIssue({
        code: 'custom',
        path: ['conclusion'],
        message: `must be absent while status is '${run.status}'`,
      });
    }
  });

const bodySchema = z
  .object({
    runs: z
      .array(runSchema)
      .min(1, 'must list at least one run')
      .max(MAX_INGEST_BATCH, `must list at most ${MAX_INGEST_BATCH} runs`),
  })
  .strict();

/**
 * `POST /ingest/gate-runs`: gate runs from CI systems that are not GitHub.
 * For a service principal listed in `dualLane.ingest.callers`, for the
 * repositories it lists, with `dual-lane.ingest` on their entities; repeated
 * posts of one `externalId` by the same caller update the run.
 */
export function ingestGateRunsRoutes(deps: {
  httpAuth: HttpAuthService;
  ingestAuthorization: IngestAuthorization;
  ingest: GateRunIngest;
}): express.Router {
  const router = Router();
  router.post('/ingest/gate-runs', async (req, res) => {
    const caller = await authorizeIngest(req, deps);
    const body = bodySchema.safeParse(req.body);
    if (!body.success) {
      throw new InputError(`Invalid gate runs: ${zodMessage(body.error)}`);
    }
    const request: IngestGateRunsRequest = body.data;
    res.status(201).json(await deps.ingest.ingest(request.runs, caller));
  });
  return router;
}
