/**
 * Job events as they cross a transport (IPC, Server-Sent Events, a utility
 * process port): a shape check on the way in, so a listener never sees a
 * half-formed event, and a small fan-out hub the engine side uses.
 */
import type { JobEvent, JobEventListener, JobEventSource } from './service.js';

const TYPES = new Set(['progress', 'page-result', 'page-saved', 'training', 'finished']);
const TRAINING_EVENTS = new Set(['start', 'step', 'eval', 'done']);

export function isJobEvent(v: unknown): v is JobEvent {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  if (typeof e.type !== 'string' || !TYPES.has(e.type) || typeof e.jobId !== 'string') return false;
  switch (e.type) {
    case 'progress':
      return typeof e.done === 'number' && typeof e.total === 'number' && typeof e.label === 'string';
    case 'page-result':
      return typeof e.pageId === 'string' && typeof e.xml === 'string' && (e.kind === 'recognize' || e.kind === 'detect');
    case 'page-saved':
      return typeof e.pageId === 'string';
    case 'training': {
      const t = e.event as Record<string, unknown> | null;
      return !!t && typeof t === 'object' && TRAINING_EVENTS.has(t.event as string);
    }
    default:
      return (e.status === 'done' || e.status === 'cancelled' || e.status === 'failed') && typeof e.message === 'string';
  }
}

/** Many listeners, one emitter; a throwing listener does not stop the others. */
export class JobEventHub implements JobEventSource {
  private readonly listeners = new Set<JobEventListener>();

  subscribe(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: JobEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One broken subscriber (a closed stream) must not stop the job.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
