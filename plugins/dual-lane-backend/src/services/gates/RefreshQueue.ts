import { LoggerService } from '@backstage/backend-plugin-api';

export interface RefreshJob {
  /** Identical keys waiting in the queue are run once. */
  key: string;
  run: () => Promise<void>;
}

/**
 * Work a webhook asks for, done after the webhook was answered (GitHub
 * waits 10 s, and a subscriber that throws loses the event). In memory,
 * deduplicated by key, a few at a time, bounded: when full, new jobs are
 * dropped with a warning and the next scheduled sync picks up what they
 * would have read. A failing job is logged, not retried, for the same
 * reason.
 */
export class RefreshQueue {
  private readonly pending = new Map<string, RefreshJob>();
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly logger: LoggerService,
    private readonly options: { concurrency: number; maxPending: number } = {
      concurrency: 2,
      maxPending: 10_000,
    },
  ) {}

  /** Returns false when the job was dropped. */
  enqueue(job: RefreshJob): boolean {
    if (this.stopped) return false;
    if (this.pending.has(job.key)) return true;
    if (this.pending.size >= this.options.maxPending) {
      this.logger.warn(
        `Dual-lane refresh queue full (${this.options.maxPending}); dropping ${job.key}, the scheduled sync will catch up`,
      );
      return false;
    }
    this.pending.set(job.key, job);
    this.pump();
    return true;
  }

  get size() {
    return this.pending.size + this.running;
  }

  /** Resolves once nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  stop() {
    this.stopped = true;
    this.pending.clear();
  }

  private pump() {
    while (this.running < this.options.concurrency && this.pending.size > 0) {
      const [key, job] = this.pending.entries().next().value as [string, RefreshJob];
      this.pending.delete(key);
      this.running += 1;
      job
        .run()
        .catch(error =>
          this.logger.warn(
            `Dual-lane refresh ${key} failed, the scheduled sync will repair it: ${error}`,
          ),
        )
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (this.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            waiters.forEach(w => w());
          }
        });
    }
  }
}
