import { mockServices } from '@backstage/backend-test-utils';
import { RefreshQueue } from './RefreshQueue';

describe('RefreshQueue', () => {
  it('runs each waiting key once, a few at a time, and survives failures', async () => {
    const logger = mockServices.logger.mock();
    const queue = new RefreshQueue(logger, { concurrency: 2, maxPending: 3 });
    const ran: string[] = [];
    let running = 0;
    let peak = 0;
    const job = (key: string, fail = false) => ({
      key,
      run: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise(r => setTimeout(r, 10));
        running -= 1;
        ran.push(key);
        if (fail) throw new Error('boom');
      },
    });
    queue.enqueue(job('a', true));
    queue.enqueue(job('b'));
    expect(queue.enqueue(job('c'))).toBe(true);
    expect(queue.enqueue(job('c'))).toBe(true);
    queue.enqueue(job('d'));
    queue.enqueue(job('e'));
    expect(queue.enqueue(job('f'))).toBe(false);
    await queue.onIdle();
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(peak).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/refresh a failed, the scheduled sync will repair it: Error: boom/));
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/queue full \(3\); dropping f/));
  });
});
