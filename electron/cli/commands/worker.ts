import { parseArgs } from 'node:util';
import os from 'node:os';
import { DEFAULT_LEASE_MS } from '../../node/queue/defaults.js';
import { intOption, type Command } from '../command.js';
import { queueTarget } from '../queue-target.js';

export const workerCmd: Command = {
  name: 'worker',
  summary: 'process pages from a Redis job queue filled by `htr-studio enqueue` (queue mode)',
  usage: `htr-studio worker --queue URL [--concurrency N] [--lease SECONDS]

  Takes page jobs from the queue at URL and writes each page's PAGE file
  atomically where enqueue said; models are loaded once. Runs until stopped:
  SIGTERM or Ctrl+C finishes the pages in hand and exits 0; a second one hands
  them back to the queue at once. --concurrency N: pages at a time (default: up
  to 2, as process --jobs). A failed page is retried with backoff, then
  dead-lettered (queue status, queue retry-failed). A worker that dies has its
  pages taken up by another after its lease runs out (--lease, default
  ${DEFAULT_LEASE_MS / 1000} s, renewed every half lease while a page runs; keep it well above the
  longest page). Exit 2 when the output storage is missing on this machine.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        queue: { type: 'string' },
        concurrency: { type: 'string', short: 'c' },
        lease: { type: 'string' },
      },
    });
    const concurrency = intOption(values.concurrency, 'concurrency', 1, 64) ?? Math.max(1, Math.min(2, os.availableParallelism()));
    const leaseS = intOption(values.lease, 'lease', 2, 3600);
    const target = await queueTarget(values.queue, 'worker');
    const { startPageWorker } = await import('../../node/queue/page-worker.js');
    let fatal: string | undefined;
    let signals = 0;
    let stopping: Promise<void> | undefined;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const worker = startPageWorker(target, {
      concurrency,
      ...(leaseS !== undefined && { leaseMs: leaseS * 1000 }),
      log: (line) => io.err(line),
      onFatal: (message) => {
        fatal = message;
        stop();
      },
    });
    const stop = (): void => {
      stopping ??= worker
        .stop()
        .catch((e: Error) => io.err(`while stopping: ${e.message}`))
        .finally(finish);
    };
    const onSignal = (sig: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        io.err(`${sig}: finishing the page(s) in hand, then stopping (${sig} again hands them back now)`);
        stop();
      } else {
        io.err(`${sig}: handing the page(s) in hand back to the queue`);
        worker.handBack();
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    io.err(`worker: ${concurrency} page(s) at a time from ${target.tls ? 'rediss' : 'redis'}://${target.host}:${target.port}/${target.db}`);
    try {
      await finished;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
    io.err(`worker stopped: ${worker.counts.done} page(s) done, ${worker.counts.failed} dead-lettered`);
    if (fatal) {
      io.err(`htr-studio worker: ${fatal}`);
      return 2;
    }
    return 0;
  },
};
