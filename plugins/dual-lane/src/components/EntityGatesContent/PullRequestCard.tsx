import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Box,
  Flex,
  Link,
  Text,
} from '@backstage/ui';
import { PullRequestGates } from '@dual-lane/plugin-dual-lane-common';
import {
  formatTime,
  pullRequestStateLook,
  pullRequestUrl,
  StatusChip,
} from '../shared';
import { GateChips } from './GateChips';
import { PullRequestDetails } from './PullRequestDetails';
import { PullRequestFacts } from './PullRequestFacts';

/** One pull request: its gates, verdict, rework, label and timing. */
export function PullRequestCard(props: {
  pr: PullRequestGates;
  /** `owner/repo`, for links to GitHub. */
  repository?: string;
}) {
  const { pr, repository } = props;
  const { pullRequest, gateStatus } = pr;
  const state = pullRequestStateLook(pullRequest.state);
  const title = `#${pullRequest.number} ${pullRequest.title}`;
  let gatesTone: 'success' | 'danger' | 'warning' = 'warning';
  if (gateStatus.allPassing) gatesTone = 'success';
  else if (gateStatus.failing.length > 0) gatesTone = 'danger';
  return (
    <Box
      p="4"
      style={{
        border: '1px solid var(--bui-border-1)',
        borderRadius: 'var(--bui-radius-3)',
      }}
      aria-label={`Pull request ${pullRequest.number}`}
      role="group"
    >
      <Flex direction="column" gap="3">
        <Flex
          justify="between"
          align="start"
          gap="2"
          style={{ flexWrap: 'wrap' }}
        >
          <Flex direction="column" gap="1">
            <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
              {repository ? (
                <Link
                  href={pullRequestUrl(repository, pullRequest.number)}
                  target="_blank"
                  variant="body-medium"
                  weight="bold"
                >
                  {title}
                </Link>
              ) : (
                <Text variant="body-medium" weight="bold">
                  {title}
                </Text>
              )}
              <StatusChip tone={state.tone} label={state.label} />
              {pullRequest.draft && <StatusChip tone="neutral" label="draft" />}
            </Flex>
            <Text variant="body-x-small" color="secondary">
              {pullRequest.author ? `${pullRequest.author} · ` : ''}
              {pullRequest.headRef} → {pullRequest.baseRef} · updated{' '}
              {formatTime(pullRequest.updatedAt)}
            </Text>
          </Flex>
          <StatusChip
            tone={gatesTone}
            label={`gates ${gateStatus.summary}`}
            description={`${gateStatus.passing} of ${gateStatus.required} required gates pass on the head commit`}
          />
        </Flex>
        <GateChips status={gateStatus} />
        <PullRequestFacts pr={pr} />
        <Accordion>
          <AccordionTrigger
            title="Timeline, rework rounds and gate runs"
            subtitle={`${pr.laneEvents.length} lane markers · ${pr.verdicts.length} verdicts · ${pr.gateRuns.length} gate runs`}
          />
          <AccordionPanel>
            <PullRequestDetails pr={pr} repository={repository} />
          </AccordionPanel>
        </Accordion>
      </Flex>
    </Box>
  );
}
