import { z } from 'zod';

/** How far ahead of the server's clock a CI system's timestamps may be. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A time a CI system reports (`startedAt`, `observedAt`, ...): ISO-8601
 * with an offset, and not in the future, since stored runs and results are
 * ordered by these times and a future one would outrank every later report.
 */
export const reportedTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 timestamp' })
  .refine(
    t => Date.parse(t) <= Date.now() + CLOCK_SKEW_MS,
    'must not be in the future',
  );
