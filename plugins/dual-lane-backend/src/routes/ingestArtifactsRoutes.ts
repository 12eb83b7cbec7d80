import express from 'express';
import Router from 'express-promise-router';
import multer from 'multer';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { IngestArtifactResponse } from '@dual-lane/plugin-dual-lane-common';
import { z } from 'zod';
import { IngestAuthorization } from '../services/gates/IngestAuthorization';
import { ArtifactVerification } from '../services/supplyChain/ArtifactVerification';
import { PolicyBundleVerification } from '../services/supplyChain/PolicyBundleVerification';
import { VerificationLimits } from '../services/verification/config';
import { FieldTooLargeError, limitedUpload } from './limitedUpload';
import { authorizeIngest } from './requestAuth';

const fields = z
  .object({
    repository: z
      .string()
      .regex(
        /^([\w.-]+\/)?[\w.-]+\/[\w.-]+$/,
        'repository must be owner/name or host/owner/name',
      ),
    kind: z
      .enum(['artifact-bundle', 'file', 'policy-bundle'])
      .default('artifact-bundle'),
    name: z.string().min(1).max(255).optional(),
    commitSha: z
      .string()
      .regex(
        /^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/,
        'commitSha must be a full git commit id',
      )
      .optional(),
    pullRequest: z.coerce.number().int().positive().optional(),
    version: z.string().min(1).max(100).optional(),
    sourceUrl: z.string().url().max(2048).optional(),
  })
  .strict();

function uploadFor(limits: VerificationLimits): express.RequestHandler {
  return limitedUpload(
    {
      artifact: {
        maxBytes: limits.maxCompressedBytes,
        limitKey: 'dualLane.verification.limits.maxCompressedBytes',
      },
      bundle: {
        maxBytes: limits.maxBundleBytes,
        limitKey: 'dualLane.verification.limits.maxBundleBytes',
      },
    },
    { files: 2, fields: 10, fieldSize: 4096, parts: 12 },
  );
}

/**
 * `POST /ingest/artifacts`: a CI system pushes an artifact (or a policy
 * bundle) with its Sigstore bundle as `multipart/form-data`, e.g.
 * `curl -F repository=acme/widget -F artifact=@artifact.tar.gz
 * -F bundle=@artifact.tar.gz.sigstore.json`. For callers listed in
 * `dualLane.ingest.callers`, for their repositories, with `dual-lane.ingest`
 * on the repository's entities (see `IngestAuthorization`); sizes limited by
 * `dualLane.verification.limits`. Answers with the verifications recorded.
 */
export function ingestArtifactsRoutes(deps: {
  httpAuth: HttpAuthService;
  ingestAuthorization: IngestAuthorization;
  verification: ArtifactVerification;
  policies: PolicyBundleVerification;
  limits: VerificationLimits;
}): express.Router {
  const router = Router();
  const upload = uploadFor(deps.limits);

  router.post(
    '/ingest/artifacts',
    async (req: express.Request, res: express.Response) => {
      const caller = await authorizeIngest(req, deps);
      if (!req.is('multipart/form-data')) {
        throw new InputError(
          'POST /ingest/artifacts takes multipart/form-data with an artifact file, an optional bundle file and a repository field',
        );
      }
      await new Promise<void>((resolve, reject) =>
        upload(req, res, (error?: unknown) => {
          if (!error) {
            resolve();
          } else if (error instanceof FieldTooLargeError) {
            reject(new InputError(error.message));
          } else if (error instanceof multer.MulterError) {
            reject(
              new InputError(
                `${error.message}${error.field ? ` (${error.field})` : ''}`,
              ),
            );
          } else {
            reject(error);
          }
        }),
      );
      const parsed = fields.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError(
          `Invalid field ${issue?.path.join('.') || ''}: ${issue?.message}`,
        );
      }
      const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      const artifact = files.artifact?.[0];
      const bundleFile = files.bundle?.[0];
      if (!artifact) {
        throw new InputError(
          'Missing the artifact file (form field "artifact")',
        );
      }
      let bundle: unknown;
      if (bundleFile) {
        try {
          bundle = JSON.parse(bundleFile.buffer.toString('utf8'));
        } catch (error) {
          throw new InputError(
            `bundle is not JSON: ${(error as Error).message}`,
          );
        }
      }
      const input = parsed.data;
      const [repository] = (
        await deps.ingestAuthorization.repositories(caller, [input], '')
      ).values();
      const run =
        input.kind === 'policy-bundle'
          ? await deps.policies.submitPolicyBundle({
              repository,
              name:
                input.name ?? artifact.originalname.replace(/\.tar\.gz$/, ''),
              version: input.version,
              bytes: artifact.buffer,
              bundle,
              sourceUrl: input.sourceUrl,
            })
          : await deps.verification.submitArtifact({
              repository,
              name: input.name ?? artifact.originalname,
              kind: input.kind,
              source: 'ingest',
              sourceUrl: input.sourceUrl,
              bytes: artifact.buffer,
              bundle,
              commitSha: input.commitSha,
              pullRequestNumber: input.pullRequest,
            });
      const body: IngestArtifactResponse = {
        subject: input.kind === 'policy-bundle' ? 'policy-version' : 'artifact',
        id: run.id,
        digest: run.digest,
        status: run.status,
        verifications: run.verifications.map(({ policy: _policy, ...v }) => v),
        ...(run.notes ? { notes: run.notes } : {}),
      };
      res.status(201).json(body);
    },
  );

  return router;
}
