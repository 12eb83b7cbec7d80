import { ResponseErrorPanel } from '@backstage/core-components';
import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
  Select,
  Text,
  TextAreaField,
} from '@backstage/ui';
import {
  CreateWaiverRequest,
  CriterionResult,
  GO_NO_GO_CRITERIA,
  GoNoGoCriterionId,
} from '@dual-lane/plugin-dual-lane-common';
import { useState } from 'react';
import { criterionLook } from '../shared';

/** The usual durations a waiver is given for. */
export const WAIVER_DURATIONS_DAYS = [1, 7, 14, 30, 60, 90];
export const DEFAULT_WAIVER_DAYS = 14;

/**
 * The durations the dialog offers under the backend's maximum
 * (`dualLane.compliance.waivers.maxDays`, from the compliance response):
 * the usual ones up to it, and the maximum itself.
 */
export function waiverDurations(maxDays: number): number[] {
  const max = Math.max(1, Math.floor(maxDays));
  return [...new Set([...WAIVER_DURATIONS_DAYS.filter(d => d < max), max])];
}

/**
 * The expiry of a waiver given now for `days`: the end of that UTC day, or
 * of the day before when that would pass `maxDays` from now (the backend
 * refuses an expiry later than now plus `maxDays`).
 */
export function waiverExpiry(
  days: number,
  now = new Date(),
  maxDays = Infinity,
): string {
  const endOfDay = (offset: number) =>
    `${new Date(now.getTime() + offset * 86_400_000)
      .toISOString()
      .slice(0, 10)}T23:59:59Z`;
  const end = endOfDay(days);
  return Date.parse(end) > now.getTime() + maxDays * 86_400_000
    ? endOfDay(days - 1)
    : end;
}

/** Why the reason cannot be sent yet, or undefined when it can. */
export function waiverReasonProblem(reason: string): string | undefined {
  return reason.trim().length < 10
    ? 'Say why, in at least 10 characters.'
    : undefined;
}

/**
 * Creates a time-boxed waiver of one criterion. The backend checks the
 * reason, the expiry (at most `dualLane.compliance.waivers.maxDays` ahead)
 * and the caller's permission; its answer is shown as is.
 */
export function WaiverDialog(props: {
  isOpen: boolean;
  onClose: () => void;
  criteria: CriterionResult[];
  /** The backend's `waiverMaxDays`. */
  maxDays: number;
  onCreate: (waiver: CreateWaiverRequest) => Promise<void>;
}) {
  const { isOpen, onClose, criteria, maxDays, onCreate } = props;
  const durations = waiverDurations(maxDays);
  const firstFailing =
    criteria.find(c => c.status === 'fail' || c.status === 'no-data')
      ?.criterion ?? GO_NO_GO_CRITERIA[0].id;
  const [criterion, setCriterion] = useState<GoNoGoCriterionId>(firstFailing);
  const [reason, setReason] = useState('');
  const [days, setDays] = useState(Math.min(DEFAULT_WAIVER_DAYS, maxDays));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const problem = waiverReasonProblem(reason);
  const expiresAt = waiverExpiry(days, new Date(), maxDays);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onCreate({
        criterion,
        reason: reason.trim(),
        expiresAt,
      });
      setReason('');
      onClose();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const statusOf = (id: GoNoGoCriterionId) => {
    const status = criteria.find(c => c.criterion === id)?.status;
    return status && criterionLook(status).label;
  };

  return (
    <Dialog
      isOpen={isOpen}
      onOpenChange={open => !open && onClose()}
      width={560}
    >
      <DialogHeader>Waive a go/no-go criterion</DialogHeader>
      <DialogBody>
        <Flex direction="column" gap="3">
          <Text variant="body-small" color="secondary">
            A waiver counts a failing or no-data criterion as passing until it
            expires or is revoked. It is recorded with your name.
          </Text>
          <Select
            label="Criterion"
            value={criterion}
            onChange={key =>
              key && setCriterion(String(key) as GoNoGoCriterionId)
            }
            options={GO_NO_GO_CRITERIA.map(c => ({
              id: c.id,
              label: `${c.title}${
                statusOf(c.id) ? ` (${statusOf(c.id)})` : ''
              }`,
            }))}
          />
          <TextAreaField
            label="Reason"
            description="Why the entity may skip this criterion for now."
            value={reason}
            onChange={setReason}
            rows={3}
          />
          <Select
            label="Expires in"
            description={`The waiver ends ${expiresAt.slice(
              0,
              10,
            )} 23:59 UTC; at most ${maxDays} days (dualLane.compliance.waivers.maxDays).`}
            value={String(days)}
            onChange={key => key && setDays(Number(key))}
            options={durations.map(d => ({
              id: String(d),
              label: d === 1 ? '1 day' : `${d} days`,
            }))}
          />
          {problem && reason.length > 0 && (
            <Text variant="body-x-small" color="danger">
              {problem}
            </Text>
          )}
          {error && <ResponseErrorPanel error={error} />}
        </Flex>
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onPress={onClose}>
          Cancel
        </Button>
        <Button
          variant="primary"
          onPress={submit}
          isPending={busy}
          isDisabled={problem !== undefined}
        >
          Create waiver
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
