import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Button,
  Flex,
  Text,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import {
  ComplianceWaiverItem,
  GO_NO_GO_CRITERIA,
} from '@dual-lane/plugin-dual-lane-common';
import { useCallback, useState } from 'react';
import { dualLaneApiRef } from '../../api';
import {
  formatDay,
  plural,
  Section,
  StatusChip,
  useCursorPages,
} from '../shared';

/** Waivers per request of the organisation list. */
export const WAIVERS_PAGE_SIZE = 25;

function criterionTitle(id: string): string {
  return GO_NO_GO_CRITERIA.find(c => c.id === id)?.title ?? id;
}

function WaiverRow(props: { waiver: ComplianceWaiverItem }) {
  const { waiver } = props;
  const entityLink = useEntityRefLink();
  const { entity } = waiver;
  let state = 'expired';
  if (waiver.active) state = 'active';
  else if (waiver.revokedAt) state = 'revoked';
  return (
    <Flex direction="column" gap="1" data-testid={`waiver-${waiver.id}`}>
      <Flex gap="2" align="center">
        <StatusChip
          tone={waiver.active ? 'warning' : 'neutral'}
          label={state}
        />
        <Text variant="body-small">
          <a href={entityLink(waiver.entityRef)}>
            {entity.title ?? entity.name}
          </a>{' '}
          waives <strong>{criterionTitle(waiver.criterion)}</strong>
        </Text>
      </Flex>
      <Text variant="body-x-small" color="secondary">
        {waiver.active
          ? `until ${formatDay(waiver.expiresAt)}`
          : `ended ${formatDay(waiver.revokedAt ?? waiver.expiresAt)}`}
        {` · by ${waiver.createdBy} on ${formatDay(waiver.createdAt)}`}
        {entity.ownerRef ? ` · owned by ${entity.ownerRef}` : ''}
      </Text>
      <Text variant="body-x-small">{waiver.reason}</Text>
    </Flex>
  );
}

/**
 * The organisation's waivers: which entities are exempt from which
 * criterion, until when and why, for every entity the user may read.
 */
export function WaiversSection() {
  const api = useApi(dualLaneApiRef);
  const [activeOnly, setActiveOnly] = useState(true);
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      api.listWaivers({
        active: activeOnly,
        limit: WAIVERS_PAGE_SIZE,
        cursor,
      }),
    [api, activeOnly],
  );
  const pages = useCursorPages(fetchPage, activeOnly ? 'active' : 'all');
  const items = pages.pages.flatMap(p => p.items);
  const first = pages.pages[0];

  let body;
  if (pages.loading) {
    body = <Progress />;
  } else if (pages.error) {
    body = <ResponseErrorPanel error={pages.error} />;
  } else if (items.length === 0) {
    body = (
      <Text variant="body-small" color="secondary">
        {activeOnly
          ? 'No waiver is in force: every entity is judged on all seven criteria.'
          : 'No waiver has been given yet.'}
      </Text>
    );
  } else {
    body = (
      <Flex direction="column" gap="3">
        {items.map(waiver => (
          <WaiverRow key={waiver.id} waiver={waiver} />
        ))}
        {pages.moreError && <ResponseErrorPanel error={pages.moreError} />}
        {pages.hasMore && (
          <span>
            <Button
              variant="secondary"
              onPress={pages.loadMore}
              isPending={pages.loadingMore}
            >
              Load more
            </Button>
          </span>
        )}
      </Flex>
    );
  }

  return (
    <section aria-label="Waivers">
      <Section
        title="Waivers"
        subtitle={
          first
            ? `${plural(
                first.totalCount,
                activeOnly ? 'waiver in force' : 'waiver',
                activeOnly ? 'waivers in force' : 'waivers',
              )}; each lasts at most ${first.waiverMaxDays} days.`
            : 'Time-boxed exemptions from a go/no-go criterion.'
        }
        actions={
          <ToggleButtonGroup
            aria-label="Which waivers"
            selectionMode="single"
            disallowEmptySelection
            selectedKeys={[activeOnly ? 'active' : 'all']}
            onSelectionChange={keys => {
              const [next] = [...keys];
              if (next) setActiveOnly(next === 'active');
            }}
          >
            <ToggleButton id="active">In force</ToggleButton>
            <ToggleButton id="all">All</ToggleButton>
          </ToggleButtonGroup>
        }
      >
        {body}
      </Section>
    </section>
  );
}
