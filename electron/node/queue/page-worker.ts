/**
 * A worker: takes page jobs from the queue, `concurrency` at a time, and runs
 * them with models loaded once.
 *
 * The lease: BullMQ locks each job for `leaseMs` and the worker renews the lock
 * every half lease while the page runs. A worker that dies (SIGKILL, OOM, a lost
 * node) stops renewing; the next stalled-job check by any worker after the lease
 * has run out puts its job back in the queue. So a job is lost to a dead worker
 * for at most lease + check interval (60 s + 30 s by default). The lease is
 * long against a page (≈1 s) because renewal runs on the event loop: a long
 * synchronous stretch (a huge scan's decoding) must not look like death. A job
 * whose worker dies twice (a page that crashes the process) is dead-lettered.
 *
 * Stopping: `stop()` (the first SIGTERM) takes no new job and finishes those in
 * hand; `handBack()` (a second signal) aborts them and puts them back in the
 * queue without counting a try.
 */
import os from 'node:os';
import { Worker, WaitingError, type Job } from 'bullmq';
import { DEFAULT_LEASE_MS } from './defaults.js';
import { bullConnection, QUEUE_NAME } from './connection.js';
import type { RedisTarget } from './resp-client.js';
import { MissingOutputFolder, ModelCache, runPageJob, type PageJobData, type PageJobResult } from './page-job.js';

export interface PageWorkerOptions {
  readonly concurrency: number;
  readonly leaseMs?: number;
  readonly log: (line: string) => void;
  /** Called once when this worker cannot go on (its storage is missing): the caller stops it and exits 2. */
  readonly onFatal?: (message: string) => void;
}

export interface PageWorker {
  /** Takes no new job, finishes those in hand, closes the connections and the models. */
  stop(): Promise<void>;
  /** Aborts the jobs in hand and puts them back in the queue. */
  handBack(): void;
  readonly counts: { done: number; failed: number };
}

export function startPageWorker(target: RedisTarget, opts: PageWorkerOptions): PageWorker {
  const models = new ModelCache();
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  let handingBack = false;
  let fatal = false;
  const counts = { done: 0, failed: 0 };

  const processor = async (job: Job<PageJobData, PageJobResult>, token?: string, signal?: AbortSignal): Promise<PageJobResult> => {
    try {
      return await runPageJob(job.data, models, signal);
    } catch (e) {
      const putBack = (handingBack && signal?.aborted) || e instanceof MissingOutputFolder;
      if (!putBack) throw e;
      // Back to waiting without counting a try: the page did nothing wrong.
      await job.moveToWait(token);
      if (e instanceof MissingOutputFolder && !fatal) {
        fatal = true;
        opts.onFatal?.(e.message);
      }
      throw new WaitingError();
    }
  };

  const worker = new Worker<PageJobData, PageJobResult>(QUEUE_NAME, processor, {
    // Named so that `queue status` can count the workers connected.
    connection: bullConnection(target, `${os.hostname()}:${process.pid}`),
    concurrency: opts.concurrency,
    lockDuration: leaseMs,
    // How often this worker looks for jobs whose lease ran out (their worker died).
    stalledInterval: Math.min(30_000, leaseMs),
    maxStalledCount: 1,
  });

  worker.on('completed', (job, result) => {
    counts.done++;
    opts.log(result.existed ? `done ${job.data.image} (output already there: nothing written)` : `done ${job.data.image} → ${result.output} (${result.lines} lines, ${result.ms} ms)`);
  });
  worker.on('failed', (job, err) => {
    if (!job || err instanceof WaitingError || err.name === 'WaitingError') return;
    const tries = job.opts.attempts ?? 1;
    const dead = job.attemptsMade >= tries;
    if (dead) counts.failed++;
    opts.log(`error: ${job.data.image}: ${err.message} (try ${job.attemptsMade} of ${tries}${dead ? ': dead-lettered, see queue retry-failed' : ', will retry'})`);
  });
  worker.on('stalled', (jobId) => opts.log(`job ${jobId} was in the hands of a worker that stopped answering: back in the queue`));
  worker.on('error', (err) => opts.log(`queue error: ${err.message}`));

  return {
    counts,
    async stop() {
      try {
        await worker.close();
      } finally {
        await models.dispose();
      }
    },
    handBack() {
      handingBack = true;
      worker.cancelAllJobs('handed back: the worker is stopping');
    },
  };
}
