import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import {
  dualLaneVerdictRecordPermission,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../../database';
import { EntityAccess } from '../../EntityAccess';
import { ComplianceEvaluator } from '../ComplianceEvaluator';
import { principalRef } from '../principal';
import { ENTITY_REF_DESCRIPTION, parseEntityRefInput } from './entityRefInput';

/**
 * `record-plan-verdict`: the supervisor lane (PLAN) records its verdict on
 * a pull request (source `api`), and the entities of the repository are
 * re-evaluated at once. One verdict per author and commit: recording again
 * on the same commit replaces it.
 */
export function createRecordPlanVerdictAction(deps: {
  actionsRegistry: ActionsRegistryService;
  entityAccess: EntityAccess;
  store: DualLaneStore;
  evaluator: ComplianceEvaluator;
  /**
   * Recomputes what derives from a pull request's facts (lane label,
   * rework rounds), so the verdict shows in the gates view at once.
   */
  rederivePullRequests?: (
    repository: Repository,
    numbers: number[],
  ) => Promise<unknown>;
  clock?: () => Date;
}) {
  deps.actionsRegistry.register({
    name: 'record-plan-verdict',
    title: 'Record a PLAN verdict on a pull request',
    description: `Records the supervisor (PLAN) verdict on a pull request of the entity's repository — approved, changes-requested or rejected — for the commit given (default: the pull request's head). It counts for the "≥95% PRs with PLAN verdict" go/no-go criterion; the entity is re-evaluated and its new go/no-go returned. Needs dual-lane.verdict.record on the entity.`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
          pullRequest: z
            .number()
            .int()
            .positive()
            .describe('The pull request number'),
          verdict: z.enum(['approved', 'changes-requested', 'rejected']),
          summary: z
            .string()
            .max(10_000)
            .optional()
            .describe('Why, in the supervisor’s words'),
          commitSha: z
            .string()
            .regex(/^[0-9a-f]{40}$/, 'a full 40-character commit sha')
            .optional()
            .describe(
              'The commit judged; defaults to the head of the pull request',
            ),
        }),
      output: z =>
        z.object({
          pullRequest: z.number(),
          verdict: z.string(),
          commitSha: z.string(),
          author: z.string(),
          recordedAt: z.string(),
          compliance: z.object({
            verdict: z.enum(['go', 'no-go', 'no-data']),
            failingCount: z.number(),
            reasons: z.array(z.string()),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entity, repository } = await deps.entityAccess.resolve(
        parseEntityRefInput(input.entityRef),
        dualLaneVerdictRecordPermission,
        credentials,
      );
      const pr = await deps.store.gates.getPullRequest(
        repository.id,
        input.pullRequest,
      );
      if (!pr) {
        throw new NotFoundError(
          `No pull request #${input.pullRequest} in ${repository.owner}/${repository.name}`,
        );
      }
      const author = principalRef(credentials);
      const commitSha = input.commitSha ?? pr.headSha;
      const recordedAt = (deps.clock ? deps.clock() : new Date()).toISOString();
      await deps.store.gates.upsertVerdicts([
        {
          pullRequestId: pr.id,
          source: 'api',
          externalId: `${author}@${commitSha}`,
          verdict: input.verdict,
          author,
          body: input.summary,
          commitSha,
          recordedAt,
        },
      ]);
      await deps.rederivePullRequests?.(repository, [pr.number]);
      await deps.evaluator.evaluateRepositories([repository.id]);
      const evaluation = await deps.store.compliance.getEvaluation(
        entity.entityRef,
      );
      return {
        output: {
          pullRequest: pr.number,
          verdict: input.verdict,
          commitSha,
          author,
          recordedAt,
          compliance: {
            verdict: evaluation!.verdict,
            failingCount: evaluation!.failingCount,
            reasons: evaluation!.reasons,
          },
        },
      };
    },
  });
}
