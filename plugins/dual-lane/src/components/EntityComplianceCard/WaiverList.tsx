import { Button, Flex, Text } from '@backstage/ui';
import {
  getGoNoGoCriterion,
  isGoNoGoCriterionId,
  WaiverView,
} from '@dual-lane/plugin-dual-lane-common';
import { formatTime, StatusChip } from '../shared';

function waiverState(w: WaiverView) {
  if (w.revokedAt) return { tone: 'neutral' as const, label: 'revoked' };
  if (!w.active) return { tone: 'neutral' as const, label: 'expired' };
  return { tone: 'info' as const, label: 'active' };
}

/** Every waiver of the entity, newest first: the audit trail. */
export function WaiverList(props: {
  waivers: WaiverView[];
  canManage: boolean;
  revoking?: number;
  onRevoke: (id: number) => void;
}) {
  const { waivers, canManage, revoking, onRevoke } = props;
  if (waivers.length === 0) {
    return (
      <Text variant="body-small" color="secondary">
        No waivers. A waiver exempts this entity from one criterion until it
        expires.
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="2">
      {waivers.map(w => {
        const state = waiverState(w);
        const title = isGoNoGoCriterionId(w.criterion)
          ? getGoNoGoCriterion(w.criterion).title
          : w.criterion;
        return (
          <Flex
            key={w.id}
            justify="between"
            align="start"
            gap="2"
            role="group"
            aria-label={`Waiver ${w.id}`}
          >
            <Flex direction="column" gap="1">
              <Flex gap="2" align="center">
                <StatusChip tone={state.tone} label={state.label} />
                <Text variant="body-small" weight="bold">
                  {title}
                </Text>
              </Flex>
              <Text variant="body-x-small">{w.reason}</Text>
              <Text variant="body-x-small" color="secondary">
                by {w.createdBy} on {formatTime(w.createdAt)}; expires{' '}
                {formatTime(w.expiresAt)}
                {w.revokedAt &&
                  `; revoked by ${w.revokedBy ?? 'someone'} on ${formatTime(
                    w.revokedAt,
                  )}`}
              </Text>
            </Flex>
            {canManage && w.active && (
              <Button
                size="small"
                variant="tertiary"
                destructive
                isPending={revoking === w.id}
                onPress={() => onRevoke(w.id)}
              >
                Revoke
              </Button>
            )}
          </Flex>
        );
      })}
    </Flex>
  );
}
