import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Flex,
  Text,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import {
  GatesResponse,
  PullRequestState,
} from '@dual-lane/plugin-dual-lane-common';
import { useCallback, useState } from 'react';
import { dualLaneApiRef } from '../../api';
import {
  EmptyPanel,
  formatTime,
  Section,
  useCursorPages,
  useDualLaneEntity,
} from '../shared';
import { GatesOverview, syncCadence } from './GatesOverview';
import { NegativeTestsSection } from './NegativeTestsSection';
import { PullRequestCard } from './PullRequestCard';

/** Pull requests per page. */
export const GATES_PAGE_SIZE = 10;

type StateFilter = PullRequestState | 'all';
const FILTERS: Array<{ id: StateFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'open', label: 'Open' },
  { id: 'merged', label: 'Merged' },
  { id: 'closed', label: 'Closed' },
];

function NoPullRequests(props: {
  filter: StateFilter;
  response: GatesResponse;
  repository?: string;
}) {
  const { filter, response, repository } = props;
  if (filter !== 'all') {
    return (
      <EmptyPanel title={`No ${filter} pull requests`}>
        <Text variant="body-small">
          Choose “All” to see the other pull requests.
        </Text>
      </EmptyPanel>
    );
  }
  const lastError = response.sync?.lastError;
  return (
    <EmptyPanel title="No pull requests synced yet">
      <Text variant="body-small">
        The GitHub sync reads the pull requests of{' '}
        {repository ?? 'the repository'}
        {response.sync?.host ? ` on ${response.sync.host}` : ''} with their
        check runs, lane markers, verdicts and labels; its schedule:{' '}
        {syncCadence(response.sync)} (dualLane.sync.github.schedule). Last sync:{' '}
        {response.sync?.lastSyncedAt
          ? formatTime(response.sync.lastSyncedAt)
          : 'never'}
        {response.sync?.nextSyncAt
          ? `; next due ${formatTime(response.sync.nextSyncAt)}`
          : ''}
        .
      </Text>
      {lastError && (
        <Text variant="body-small" color="danger">
          The last sync failed: {lastError}. Check that the repository exists
          and that the GitHub integration's credentials can read it.
        </Text>
      )}
      <Text variant="body-small">
        CI systems can also push gate runs: POST
        /api/dual-lane/ingest/gate-runs.
      </Text>
    </EmptyPanel>
  );
}

/**
 * The "Gates" tab of an entity: the required gates, negative tests, and
 * every pull request with its gates, lane markers, PLAN verdict, rework
 * cycles, label accuracy, time from [CODEX-READY] to opening and, once
 * merged, its required-check conformance.
 */
export function EntityGatesContent() {
  const api = useApi(dualLaneApiRef);
  const { ref, projectSlug } = useDualLaneEntity();
  const [filter, setFilter] = useState<StateFilter>('all');
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      api.getGates(ref, {
        limit: GATES_PAGE_SIZE,
        cursor,
        state: filter === 'all' ? undefined : filter,
      }),
    [api, ref, filter],
  );
  const paging = useCursorPages(
    fetchPage,
    `${stringifyEntityRef(ref)}|${filter}`,
  );
  const first = paging.pages[0];
  const items = paging.pages.flatMap(page => page.items);

  let body;
  if (paging.loading) {
    body = <Progress />;
  } else if (paging.error) {
    body = <ResponseErrorPanel error={paging.error} />;
  } else if (first) {
    body = (
      <>
        <Section
          title="Pull requests"
          subtitle={`Showing ${items.length} of ${first.totalCount}, most recently updated first.`}
        >
          <Flex direction="column" gap="3">
            {items.length === 0 ? (
              <NoPullRequests
                filter={filter}
                response={first}
                repository={projectSlug}
              />
            ) : (
              items.map(pr => (
                <PullRequestCard
                  key={pr.pullRequest.id}
                  pr={pr}
                  repository={projectSlug}
                />
              ))
            )}
            {paging.moreError && (
              <ResponseErrorPanel error={paging.moreError} />
            )}
            {paging.hasMore && (
              <span>
                <Button
                  variant="secondary"
                  onPress={paging.loadMore}
                  isPending={paging.loadingMore}
                >
                  Load more pull requests
                </Button>
              </span>
            )}
          </Flex>
        </Section>
        <GatesOverview response={first} repository={projectSlug} />
        <NegativeTestsSection tests={first.negativeTests} />
      </>
    );
  }

  return (
    <Flex direction="column" gap="4">
      <Flex align="center" gap="3">
        <Text variant="body-small" color="secondary">
          Pull requests:
        </Text>
        <ToggleButtonGroup
          aria-label="Pull request state"
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[filter]}
          onSelectionChange={keys => {
            const [next] = [...keys];
            if (next) setFilter(next as StateFilter);
          }}
        >
          {FILTERS.map(f => (
            <ToggleButton key={f.id} id={f.id}>
              {f.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Flex>
      {body}
    </Flex>
  );
}
