/**
 * The backlog on Redis, through BullMQ: adding pages, counting them, retrying
 * the dead-lettered ones.
 *
 * Finished jobs are kept (about 1 KB each in Redis): they are what makes a
 * second `enqueue` of the same page add nothing, what `queue status` counts as
 * done, and where the pages-per-minute figure comes from. Failed jobs are the
 * dead-letter set: each keeps its last error until `queue retry-failed`.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { BACKOFF_MS } from './defaults.js';
import { bullConnection, QUEUE_NAME } from './connection.js';
import type { RedisTarget } from './resp-client.js';
import { pageJobId, type PageJobData } from './page-job.js';

export function openQueue(target: RedisTarget): Queue<PageJobData> {
  return new Queue<PageJobData>(QUEUE_NAME, { connection: bullConnection(target) });
}

export interface EnqueueResult {
  readonly added: number;
  /** Already in the queue (waiting, running, done or failed). */
  readonly present: number;
}

/** Adds each page once; pages go in batches so a list of millions is a few thousand round trips. */
export async function enqueuePages(queue: Queue<PageJobData>, pages: readonly PageJobData[], outDir: string, attempts: number, onBatch?: (done: number) => void): Promise<EnqueueResult> {
  const opts = (data: PageJobData): JobsOptions => ({
    jobId: pageJobId(data.image, outDir),
    attempts,
    backoff: { type: 'exponential', delay: BACKOFF_MS },
    removeOnComplete: false,
    removeOnFail: false,
  });
  let added = 0;
  const BATCH = 500;
  for (let i = 0; i < pages.length; i += BATCH) {
    const batch = pages.slice(i, i + BATCH);
    const ids = batch.map((p) => pageJobId(p.image, outDir));
    // Which of these ids the queue holds already, so the count of pages added is exact.
    const known = await Promise.all(ids.map((id) => queue.getJobState(id)));
    const fresh = batch.filter((_, k) => known[k] === 'unknown');
    // addBulk skips ids present by now too (another enqueue racing this one): a page is never queued twice.
    if (fresh.length) await queue.addBulk(fresh.map((data) => ({ name: 'page', data, opts: opts(data) })));
    added += fresh.length;
    onBatch?.(Math.min(i + BATCH, pages.length));
  }
  return { added, present: pages.length - added };
}

export interface QueueStatus {
  readonly waiting: number;
  readonly active: number;
  /** Waiting out a backoff before a retry. */
  readonly delayed: number;
  readonly done: number;
  readonly failed: number;
  /** Pages finished per minute over the last RATE_WINDOW_MS (or since the first finish, when more recent); null before two finishes. */
  readonly pagesPerMinute: number | null;
  /** Seconds until waiting + active + delayed are done at that rate; null when unknown, 0 when nothing is left. */
  readonly etaSeconds: number | null;
  /** Workers connected now (BullMQ names their connections). */
  readonly workers: number;
}

export const RATE_WINDOW_MS = 10 * 60_000;

export async function queueStatus(queue: Queue<PageJobData>, now = Date.now()): Promise<QueueStatus> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  const active = counts.active ?? 0;
  const delayed = counts.delayed ?? 0;
  // The completed set is scored by finish time: the newest finishes inside the window give the rate.
  const client = await queue.backend.client;
  const recent = (await client.zrevrange(queue.keys.completed!, 0, 4_999, { WITHSCORES: true })) as string[];
  const times: number[] = [];
  for (let i = 1; i < recent.length; i += 2) {
    const t = Number(recent[i]);
    if (t >= now - RATE_WINDOW_MS) times.push(t);
  }
  let pagesPerMinute: number | null = null;
  if (times.length >= 2) {
    const span = Math.max(now - Math.min(...times), 1_000);
    pagesPerMinute = Math.round(((times.length * 60_000) / span) * 10) / 10;
  }
  const left = waiting + active + delayed;
  const etaSeconds = left === 0 ? 0 : pagesPerMinute ? Math.round((left / pagesPerMinute) * 60) : null;
  const workers = (await queue.getWorkers()).length;
  return { waiting, active, delayed, done: counts.completed ?? 0, failed: counts.failed ?? 0, pagesPerMinute, etaSeconds, workers };
}

/** Puts every dead-lettered page back in the queue with its tries reset; returns how many. */
export async function retryFailed(queue: Queue<PageJobData>): Promise<number> {
  const seen = new Set<string>();
  for (;;) {
    // Retried jobs leave the failed set, so the first page of it is always the next to do;
    // one that fails again meanwhile is not retried twice in this call.
    const jobs = (await queue.getFailed(0, 999)).filter((j) => j.id && !seen.has(j.id));
    if (!jobs.length) return seen.size;
    for (const job of jobs) {
      seen.add(job.id!);
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    }
  }
}
