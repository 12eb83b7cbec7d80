import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Alert,
  Button,
  Flex,
  Text,
} from '@backstage/ui';
import {
  CreateWaiverRequest,
  dualLaneEvaluatePermission,
  dualLaneWaiverManagePermission,
  EntityComplianceResponse,
} from '@dual-lane/plugin-dual-lane-common';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { dualLaneApiRef } from '../../api';
import {
  complianceVerdictLook,
  formatDay,
  formatTime,
  plural,
  shortSha,
  StatusChip,
  useDualLaneEntity,
} from '../shared';
import { CriterionRow } from './CriterionRow';
import { KpiTable } from './KpiTable';
import { WaiverDialog } from './WaiverDialog';
import { WaiverList } from './WaiverList';

const CARD_TITLE = 'Dual-lane go/no-go';

function VerdictHeader(props: { data: EntityComplianceResponse }) {
  const { data } = props;
  const look = complianceVerdictLook(data.verdict);
  return (
    <Flex direction="column" gap="2">
      <Flex gap="3" align="center" style={{ flexWrap: 'wrap' }}>
        <StatusChip size="large" tone={look.tone} label={look.label} />
        <Text variant="body-small">
          {data.failingCount > 0
            ? `${plural(data.failingCount, 'criterion', 'criteria')} failing`
            : 'no criterion failing'}
        </Text>
      </Flex>
      <Text variant="body-x-small" color="secondary">
        Evaluated {formatTime(data.evaluatedAt)} over the last{' '}
        {data.window.days} days ({formatDay(data.window.start)} –{' '}
        {formatDay(data.window.end)}).
      </Text>
      {data.reasons.map(reason => (
        <Text key={reason} variant="body-small">
          • {reason}
        </Text>
      ))}
    </Flex>
  );
}

/**
 * The entity overview card: the entity's go/no-go, each of the seven
 * criteria explained with its culprits, the KPI table, waivers, and the
 * actions the user may take (re-evaluate, create or revoke a waiver).
 */
export function EntityComplianceCard() {
  const api = useApi(dualLaneApiRef);
  const { ref, resourceRef } = useDualLaneEntity();
  const { allowed: canEvaluate } = usePermission({
    permission: dualLaneEvaluatePermission,
    resourceRef,
  });
  const { allowed: canManageWaivers } = usePermission({
    permission: dualLaneWaiverManagePermission,
    resourceRef,
  });
  const [dialogOpen, setDialogOpen] = useState(false);
  const [revoking, setRevoking] = useState<number>();

  // The card shows whatever answered last: a read or a re-evaluation. A
  // failed action keeps the verdict on screen and says why above it.
  const [data, setData] = useState<EntityComplianceResponse>();
  const [state, load] = useAsyncFn(
    async () => setData(await api.getEntityCompliance(ref)),
    [api, ref],
  );
  const [evaluation, evaluate] = useAsyncFn(
    async () => setData(await api.evaluateCompliance(ref)),
    [api, ref],
  );
  const [revokeState, revoke] = useAsyncFn(
    async (id: number) => {
      setRevoking(id);
      try {
        await api.revokeWaiver(ref, id);
        await load();
      } finally {
        setRevoking(undefined);
      }
    },
    [api, ref, load],
  );
  useEffect(() => {
    load();
  }, [load]);

  const createWaiver = async (waiver: CreateWaiverRequest) => {
    await api.createWaiver(ref, waiver);
    await load();
  };

  const actions = data && (
    <>
      {canManageWaivers && (
        <Button
          size="small"
          variant="secondary"
          onPress={() => setDialogOpen(true)}
        >
          Add waiver
        </Button>
      )}
      {canEvaluate && (
        <Button
          size="small"
          variant="secondary"
          isPending={evaluation.loading}
          onPress={() => evaluate()}
        >
          Re-evaluate now
        </Button>
      )}
    </>
  );

  let body;
  if (!data && state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (!data) {
    body = <Progress />;
  } else {
    const repository = `${data.repository.owner}/${data.repository.name}`;
    const activeWaivers = data.waivers.filter(w => w.active).length;
    body = (
      <Flex direction="column" gap="3">
        {evaluation.error && (
          <Alert
            status="danger"
            title="Re-evaluation failed; showing the last verdict"
            description={evaluation.error.message}
          />
        )}
        {state.error && (
          <Alert
            status="danger"
            title="Reloading failed; showing the last verdict"
            description={state.error.message}
          />
        )}
        <VerdictHeader data={data} />
        {data.thresholds.annotationErrors.length > 0 && (
          <Alert
            status="warning"
            title="Some dual-lane/go-no-go.* annotations were ignored"
            description={data.thresholds.annotationErrors.join(' ')}
          />
        )}
        {data.openDriftIncidents.length > 0 && (
          <Alert
            status="danger"
            title={`${plural(
              data.openDriftIncidents.length,
              'drift incident',
            )} open`}
            description={data.openDriftIncidents
              .map(
                i =>
                  `AGENTS.md and CLAUDE.md disagree at ${shortSha(
                    i.commitSha,
                  )}: ${i.differences
                    .map(
                      d =>
                        `${d.kind} (${d.agents ?? '—'} vs ${d.claude ?? '—'})`,
                    )
                    .join(', ')}`,
              )
              .join(' ')}
          />
        )}
        <div>
          {data.criteria.map(result => (
            <CriterionRow
              key={result.criterion}
              result={result}
              repository={repository}
              host={data.repository.host}
            />
          ))}
        </div>
        <Accordion>
          <AccordionTrigger
            title="KPIs"
            subtitle="The retrospective’s Data & KPIs table for this entity"
          />
          <AccordionPanel>
            <KpiTable indicators={data.indicators} />
          </AccordionPanel>
        </Accordion>
        <Accordion defaultExpanded={activeWaivers > 0}>
          <AccordionTrigger
            title={`Waivers (${activeWaivers} active)`}
            subtitle={`${plural(data.waivers.length, 'waiver')} recorded`}
          />
          <AccordionPanel>
            {revokeState.error && (
              <ResponseErrorPanel error={revokeState.error} />
            )}
            <WaiverList
              waivers={data.waivers}
              canManage={canManageWaivers}
              revoking={revoking}
              onRevoke={id => revoke(id)}
            />
          </AccordionPanel>
        </Accordion>
        {dialogOpen && (
          <WaiverDialog
            isOpen
            onClose={() => setDialogOpen(false)}
            criteria={data.criteria}
            maxDays={data.waiverMaxDays}
            onCreate={createWaiver}
          />
        )}
      </Flex>
    );
  }

  return (
    <EntityInfoCard title={CARD_TITLE} headerActions={actions}>
      {body}
    </EntityInfoCard>
  );
}
