import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ComplianceVerdict } from '@dual-lane/plugin-dual-lane-common';

/** An entity whose stored verdict went from go to no-go, or back. */
export interface VerdictFlip {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  ownerRef?: string;
  from: ComplianceVerdict;
  to: ComplianceVerdict;
  reasons: string[];
}

export const GO_NO_GO_NOTIFICATION_TOPIC = 'dual-lane-go-no-go';

/** Only go ↔ no-go counts as a flip; no-data on either side does not. */
export function isFlip(
  from: ComplianceVerdict | undefined,
  to: ComplianceVerdict,
) {
  return (from === 'go' && to === 'no-go') || (from === 'no-go' && to === 'go');
}

/**
 * Tells an entity's owner when its go/no-go flips. At most `maxPerRun`
 * notifications per evaluation run (a threshold change must not flood
 * everyone's inbox); a failed send is logged, never fatal.
 */
export class ComplianceNotifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      logger: LoggerService;
      enabled: boolean;
      maxPerRun: number;
    },
  ) {}

  async notify(flips: VerdictFlip[]): Promise<number> {
    const { notifications, logger, enabled, maxPerRun } = this.deps;
    if (!enabled || flips.length === 0) return 0;
    const owned = flips.filter(f => f.ownerRef);
    const unowned = flips.length - owned.length;
    if (unowned > 0) {
      logger.info(
        `${unowned} go/no-go flips not notified: the entities have no owner`,
      );
    }
    const sending = owned.slice(0, maxPerRun);
    if (owned.length > sending.length) {
      logger.warn(
        `${owned.length} go/no-go flips in one run; notifying the first ${sending.length} (dualLane.compliance.notifications.maxPerRun)`,
      );
    }
    let sent = 0;
    for (const flip of sending) {
      const label = flip.title ?? flip.name;
      const noGo = flip.to === 'no-go';
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: flip.ownerRef! },
          payload: {
            title: noGo
              ? `${label} is now NO-GO for dual-lane scaling`
              : `${label} is GO again for dual-lane scaling`,
            description: noGo
              ? flip.reasons.slice(0, 4).join(' ')
              : `All go/no-go criteria pass again (was ${flip.from}).`,
            link: `/catalog/${flip.namespace}/${flip.kind.toLowerCase()}/${
              flip.name
            }`,
            severity: noGo ? 'high' : 'normal',
            topic: GO_NO_GO_NOTIFICATION_TOPIC,
            scope: `dual-lane:go-no-go:${flip.entityRef}`,
          },
        });
        sent += 1;
      } catch (error) {
        logger.warn(
          `Could not notify ${flip.ownerRef} that ${flip.entityRef} is ${flip.to}: ${error}`,
        );
      }
    }
    return sent;
  }
}
