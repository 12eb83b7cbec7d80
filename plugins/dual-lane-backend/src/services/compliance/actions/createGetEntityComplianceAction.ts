import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { dualLaneEntityReadPermission } from '@dual-lane/plugin-dual-lane-common';
import { EntityAccess } from '../../EntityAccess';
import { ComplianceReader } from '../ComplianceReader';
import { ENTITY_REF_DESCRIPTION, parseEntityRefInput } from './entityRefInput';

/**
 * `get-entity-compliance`: the go/no-go of one entity with each criterion's
 * value, threshold, gap, explanation and culprits — what the dashboard shows.
 */
export function createGetEntityComplianceAction(deps: {
  actionsRegistry: ActionsRegistryService;
  entityAccess: EntityAccess;
  reader: ComplianceReader;
}) {
  deps.actionsRegistry.register({
    name: 'get-entity-compliance',
    title: 'Get dual-lane go/no-go of an entity',
    description: `Returns whether a catalog entity meets the dual-lane go/no-go pass bar for scaling (go, no-go or no-data), with each of the seven criteria (PLAN verdict coverage, rework cycles, artifacts signed, provenance verified, negative tests blocked in production, drift incidents, label accuracy): its measured value, threshold, how far it is from passing, a sentence explaining it, and the pull requests or artifacts that caused a failure. Needs dual-lane.entity.read on the entity.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          verdict: z.enum(['go', 'no-go', 'no-data']),
          failingCount: z.number(),
          evaluatedAt: z.string(),
          reasons: z.array(z.string()),
          criteria: z.array(
            z
              .object({
                criterion: z.string(),
                title: z.string(),
                status: z.enum(['pass', 'fail', 'no-data', 'waived']),
                value: z.number().nullable(),
                threshold: z.number(),
                gap: z.number().nullable(),
                explanation: z.string(),
                culprits: z.object({
                  total: z.number(),
                  pullRequests: z
                    .array(
                      z.object({
                        number: z.number(),
                        title: z.string(),
                        detail: z.string().optional(),
                      }),
                    )
                    .optional(),
                  artifacts: z
                    .array(
                      z.object({
                        digest: z.string(),
                        name: z.string(),
                        outcome: z.string().optional(),
                        reason: z.string().optional(),
                      }),
                    )
                    .optional(),
                  negativeTests: z
                    .array(
                      z.object({
                        testName: z.string(),
                        environment: z.string(),
                        blocked: z.boolean(),
                        commitSha: z.string(),
                        observedAt: z.string(),
                        evidenceUrl: z.string().optional(),
                      }),
                    )
                    .optional(),
                  driftIncidents: z
                    .array(
                      z.object({
                        id: z.number(),
                        commitSha: z.string(),
                        detectedAt: z.string(),
                        resolvedAt: z.string().optional(),
                        differences: z.number(),
                      }),
                    )
                    .optional(),
                }),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entity, repository } = await deps.entityAccess.resolve(
        parseEntityRefInput(input.entityRef),
        dualLaneEntityReadPermission,
        credentials,
      );
      const compliance = await deps.reader.entityCompliance(entity, repository);
      return {
        output: {
          entityRef: compliance.entityRef,
          verdict: compliance.verdict,
          failingCount: compliance.failingCount,
          evaluatedAt: compliance.evaluatedAt,
          reasons: compliance.reasons,
          criteria: compliance.criteria.map(c => ({
            criterion: c.criterion,
            title: c.title,
            status: c.status,
            value: c.value,
            threshold: c.threshold,
            gap: c.gap,
            explanation: c.explanation,
            culprits: c.culprits,
          })),
        },
      };
    },
  });
}
