import { parseArgs } from 'node:util';
import type { QueueStatus } from '../../node/queue/page-queue.js';
import { UsageError, type Command } from '../command.js';
import { queueTarget } from '../queue-target.js';

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

function describe(s: QueueStatus): string {
  const rate = s.pagesPerMinute === null ? 'pages/min: not yet known' : `${s.pagesPerMinute} pages/min`;
  const eta = s.etaSeconds === null ? 'ETA: unknown' : s.etaSeconds === 0 ? 'nothing left' : `ETA ${duration(s.etaSeconds)}`;
  return [
    `waiting ${s.waiting}${s.delayed ? ` (+${s.delayed} waiting to retry)` : ''}, active ${s.active}, done ${s.done}, failed ${s.failed}`,
    `${rate}, ${eta}; ${s.workers} worker(s) connected`,
  ].join('\n');
}

export const queueCmd: Command = {
  name: 'queue',
  summary: 'the state of a page queue (status) and retrying its dead-lettered pages (retry-failed)',
  usage: `htr-studio queue status --queue URL [--json] | htr-studio queue retry-failed --queue URL

  status: pages waiting, active, done and failed (dead-lettered after their
  tries), pages per minute over the last 10 minutes and the time left at that
  rate, workers connected. retry-failed: every failed page back in the queue
  with its tries reset (its last error is shown by status --json until then).`,
  async run(args, io) {
    const [sub, ...rest] = args;
    const { values } = parseArgs({ args: rest, options: { queue: { type: 'string' }, json: { type: 'boolean' } } });
    if (sub !== 'status' && sub !== 'retry-failed') throw new UsageError(`queue: expected status or retry-failed, got ${sub ? `"${sub}"` : 'nothing'}`);
    const target = await queueTarget(values.queue, `queue ${sub}`);
    const { openQueue, queueStatus, retryFailed } = await import('../../node/queue/page-queue.js');
    const queue = openQueue(target);
    try {
      if (sub === 'retry-failed') {
        const n = await retryFailed(queue);
        io.err(`${n} failed page(s) back in the queue`);
        if (values.json) io.out(JSON.stringify({ retried: n }));
        return 0;
      }
      const s = await queueStatus(queue);
      if (values.json) {
        // The dead-letter set with its errors (the first 100), for scripts and for people.
        const failedPages = (await queue.getFailed(0, 99)).map((j) => ({ image: j.data.image, error: j.failedReason, tries: j.attemptsMade }));
        io.out(JSON.stringify({ ...s, failedPages }, null, 2));
      } else io.out(describe(s));
      return 0;
    } finally {
      await queue.close();
    }
  },
};
