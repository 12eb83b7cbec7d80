import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import {
  computeGateStatus,
  dualLaneEntityReadPermission,
  GateDefinition,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../../database';
import { EntityAccess } from '../../EntityAccess';
import { ENTITY_REF_DESCRIPTION, parseEntityRefInput } from './entityRefInput';

/**
 * `list-failing-pull-request-gates`: the required gates of a pull request's
 * head commit that do not pass, by the gates area's rule
 * (`computeGateStatus`: latest run per check, from the pinned app).
 */
export function createListFailingGatesAction(deps: {
  actionsRegistry: ActionsRegistryService;
  entityAccess: EntityAccess;
  store: DualLaneStore;
  gates: GateDefinition[];
}) {
  deps.actionsRegistry.register({
    name: 'list-failing-pull-request-gates',
    title: 'List failing dual-lane gates of a pull request',
    description: `Lists the required gates (status checks such as "SLSA Verification / Verify SLSA Provenance") that do not pass on the head commit of a pull request of the entity's repository: failing, still pending, missing, or reported by an app the gate is not pinned to, with the runs that decided it. Needs dual-lane.entity.read on the entity.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
          pullRequest: z
            .number()
            .int()
            .positive()
            .describe('The pull request number'),
        }),
      output: z =>
        z.object({
          pullRequest: z.object({
            number: z.number(),
            title: z.string(),
            state: z.string(),
            headSha: z.string(),
          }),
          summary: z.string().describe('passing/required, e.g. 3/4'),
          allPassing: z.boolean(),
          gates: z.array(
            z.object({
              name: z.string(),
              state: z.enum(['failing', 'pending', 'missing']),
              unexpectedApp: z.boolean(),
              runs: z.array(
                z.object({
                  checkName: z.string(),
                  status: z.string(),
                  conclusion: z.string().optional(),
                  detailsUrl: z.string().optional(),
                  completedAt: z.string().optional(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { repository } = await deps.entityAccess.resolve(
        parseEntityRefInput(input.entityRef),
        dualLaneEntityReadPermission,
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
      const runs = await deps.store.gates.listGateRuns({
        repositoryId: repository.id,
        headSha: pr.headSha,
      });
      const status = computeGateStatus(deps.gates, runs, pr.headSha);
      return {
        output: {
          pullRequest: {
            number: pr.number,
            title: pr.title,
            state: pr.state,
            headSha: pr.headSha,
          },
          summary: status.summary,
          allPassing: status.allPassing,
          gates: status.gates
            .filter(g => g.state !== 'passing')
            .map(g => ({
              name: g.name,
              state: g.state as 'failing' | 'pending' | 'missing',
              unexpectedApp: status.unexpectedApp.includes(g.name),
              runs: [...g.runs, ...g.ignoredRuns].map(r => ({
                checkName: r.checkName,
                status: r.status,
                ...(r.conclusion ? { conclusion: r.conclusion } : {}),
                ...(r.detailsUrl ? { detailsUrl: r.detailsUrl } : {}),
                ...(r.completedAt ? { completedAt: r.completedAt } : {}),
              })),
            })),
        },
      };
    },
  });
}
