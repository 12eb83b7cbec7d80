import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  IngestNegativeTestsRequest,
  NEGATIVE_TEST_ENVIRONMENTS,
  NEGATIVE_TESTS,
} from '@dual-lane/plugin-dual-lane-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { reportedTime } from './reportedTime';
import { IngestAuthorization } from '../services/gates/IngestAuthorization';
import { NegativeTestIngest } from '../services/gates/NegativeTestIngest';
import { zodMessage } from './gatesRoutes';
import { authorizeIngest } from './requestAuth';

/** Most results one request may carry. */
export const MAX_NEGATIVE_TEST_BATCH = 500;

const resultSchema = z
  .object({
    repository: z
      .string()
      .regex(
        /^(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/,
        "must be 'owner/repo' or 'host/owner/repo'",
      ),
    environment: z.enum(NEGATIVE_TEST_ENVIRONMENTS as [string, ...string[]], {
      message: `must be one of ${NEGATIVE_TEST_ENVIRONMENTS.join(', ')}`,
    }),
    testName: z.enum(NEGATIVE_TESTS, {
      message: `must be one of ${NEGATIVE_TESTS.join(', ')}`,
    }),
    blocked: z.boolean({ message: 'must be true or false' }),
    commitSha: z
      .string()
      .regex(
        /^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/,
        'must be a full commit sha (40 hex digits)',
      ),
    evidenceUrl: z
      .string()
      .max(2048)
      .url()
      .refine(u => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
    observedAt: reportedTime.optional(),
  })
  .strict();

const bodySchema = z
  .object({
    results: z
      .array(resultSchema)
      .min(1, 'must list at least one result')
      .max(
        MAX_NEGATIVE_TEST_BATCH,
        `must list at most ${MAX_NEGATIVE_TEST_BATCH} results`,
      ),
  })
  .strict();

/**
 * `POST /ingest/negative-tests`: negative-test observations from outside
 * GitHub, e.g. an admission controller's denials in a staging or
 * production cluster. For a service principal listed in
 * `dualLane.ingest.callers`, for its repositories and environments
 * (`production` only when listed), with `dual-lane.ingest` on their entities.
 */
export function ingestNegativeTestsRoutes(deps: {
  httpAuth: HttpAuthService;
  ingestAuthorization: IngestAuthorization;
  ingest: NegativeTestIngest;
}): express.Router {
  const router = Router();
  router.post('/ingest/negative-tests', async (req, res) => {
    const caller = await authorizeIngest(req, deps);
    const body = bodySchema.safeParse(req.body);
    if (!body.success) {
      throw new InputError(`Invalid negative tests: ${zodMessage(body.error)}`);
    }
    const request = body.data as IngestNegativeTestsRequest;
    res.status(201).json(await deps.ingest.ingest(request.results, caller));
  });
  return router;
}
