/**
 * Runs the engine's long jobs one at a time (they are CPU-bound; two at once
 * would only make both slower), each with an AbortController, and reports them
 * as JobEvents: throttled progress, results, and exactly one "finished".
 */
import { randomBytes } from 'node:crypto';
import type { JobEvent, JobStatus } from '../../common/api/service.js';
import { ApiError } from '../../common/api/errors.js';
import type { JobEventHub } from '../../common/api/job-events.js';

/** Events a job emits itself (the runner adds the job id). */
export type JobOutput = JobEvent extends infer E ? (E extends { readonly jobId: string } ? Omit<E, 'jobId'> : never) : never;

export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  progress(done: number, total: number, pageId: string | null, label: string): void;
  /** Dropped once the job is cancelled: a late result must not reach the editor. */
  emit(event: Exclude<JobOutput, { type: 'finished' | 'progress' }>): void;
}

/** A job's work; resolves to the message of its "finished" event. */
export type JobWork = (ctx: JobContext) => Promise<string>;

/** Progress events closer together than this are dropped (the last one of a page is always sent). */
const PROGRESS_INTERVAL_MS = 100;

export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || /cancel|abort/i.test(e.message));
}

export class JobRunner {
  private current: { readonly id: string; readonly controller: AbortController; readonly done: Promise<void> } | null = null;

  constructor(private readonly hub: JobEventHub) {}

  get running(): string | null {
    return this.current?.id ?? null;
  }

  start(work: JobWork): string {
    if (this.current) throw new ApiError('conflict', 'another job is running; cancel it or wait until it ends');
    const id = `job-${randomBytes(6).toString('hex')}`;
    const controller = new AbortController();
    let lastProgress = 0;
    const ctx: JobContext = {
      jobId: id,
      signal: controller.signal,
      progress: (done, total, pageId, label) => {
        const now = Date.now();
        if (controller.signal.aborted || (done < total && now - lastProgress < PROGRESS_INTERVAL_MS)) return;
        lastProgress = now;
        this.hub.emit({ type: 'progress', jobId: id, done, total, pageId, label });
      },
      emit: (event) => {
        if (!controller.signal.aborted) this.hub.emit({ ...event, jobId: id } as JobEvent);
      },
    };
    const finish = (status: JobStatus, message: string): void => {
      this.current = null;
      this.hub.emit({ type: 'finished', jobId: id, status, message });
    };
    // Started on the next turn, so the caller has the id before the first event arrives.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => work(ctx))
      .then(
        (message) => (controller.signal.aborted ? finish('cancelled', 'cancelled') : finish('done', message)),
        (e: unknown) => (controller.signal.aborted || isAbort(e) ? finish('cancelled', 'cancelled') : finish('failed', (e as Error)?.message ?? String(e))),
      );
    this.current = { id, controller, done };
    return id;
  }

  cancel(id: string): boolean {
    if (this.current?.id !== id || this.current.controller.signal.aborted) return false;
    this.current.controller.abort();
    return true;
  }

  /** Resolves when no job is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.current) await this.current.done;
  }
}
