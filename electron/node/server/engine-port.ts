/**
 * The service across a message port: the desktop app runs the engine in an
 * Electron utility process (so a recognition job never stalls the window's main
 * process) and talks to it with these messages. Nothing here depends on
 * Electron: the same code runs over a Node MessageChannel or a forked child's
 * IPC channel, which is how it is tested.
 *   to the engine:   {t:'call', id, method, args} | {t:'open', id, dir}
 *   from the engine: {t:'reply', id, env}        | {t:'event', event}
 */
import type { JobEvent, JobEventListener, JobEventSource, ProjectInfo, StudioService } from '../../common/api/service.js';
import { dispatch, createClient } from '../../common/api/methods.js';
import { failure, unwrap, type Envelope } from '../../common/api/errors.js';
import { isJobEvent, JobEventHub } from '../../common/api/job-events.js';
import type { ProjectHost } from '../project/project-host.js';

/** The two ends of any message channel, reduced to what the protocol needs. */
export interface MessageLink {
  post(message: unknown): void;
  /** Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

type ToEngine = { readonly t: 'call'; readonly id: number; readonly method: string; readonly args: unknown } | { readonly t: 'open'; readonly id: number; readonly dir: string };
type FromEngine = { readonly t: 'reply'; readonly id: number; readonly env: Envelope } | { readonly t: 'event'; readonly event: JobEvent };

/** Engine side: answers calls on `link` and forwards every job event. Returns the function that stops it. */
export function serveOverLink(link: MessageLink, host: ProjectHost): () => void {
  const reply = (id: number, env: Envelope): void => link.post({ t: 'reply', id, env } satisfies FromEngine);
  const stopEvents = host.jobEvents.subscribe((event) => link.post({ t: 'event', event } satisfies FromEngine));
  const stopMessages = link.onMessage((raw) => {
    const m = raw as ToEngine;
    if (!m || typeof m !== 'object' || typeof m.id !== 'number') return;
    if (m.t === 'call') void dispatch(host, m.method, m.args).then((env) => reply(m.id, env));
    else if (m.t === 'open' && typeof m.dir === 'string') {
      host.open(m.dir).then(
        (info) => reply(m.id, { ok: true, value: info }),
        (e: unknown) => reply(m.id, failure(e)),
      );
    }
  });
  return () => {
    stopEvents();
    stopMessages();
  };
}

/** Window side: the service, opening a folder, and job events, all answered by the engine at the other end. */
export class EngineClient implements JobEventSource {
  readonly service: StudioService;
  private readonly pending = new Map<number, (env: Envelope) => void>();
  private readonly events = new JobEventHub();
  private nextId = 1;
  private stopped: string | null = null;

  constructor(private readonly link: MessageLink) {
    link.onMessage((raw) => {
      const m = raw as FromEngine;
      if (m?.t === 'reply') {
        this.pending.get(m.id)?.(m.env);
        this.pending.delete(m.id);
      } else if (m?.t === 'event' && isJobEvent(m.event)) this.events.emit(m.event);
    });
    this.service = createClient(async (method, args) => unwrap(await this.request({ t: 'call', id: 0, method, args })));
  }

  open(dir: string): Promise<ProjectInfo> {
    return this.request({ t: 'open', id: 0, dir }).then((env) => unwrap<ProjectInfo>(env));
  }

  subscribe(listener: JobEventListener): () => void {
    return this.events.subscribe(listener);
  }

  /** The engine went away: every waiting call fails, and so does every later one. */
  fail(reason: string): void {
    this.stopped = reason;
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'internal', message: reason } });
    this.pending.clear();
  }

  private request(m: ToEngine): Promise<Envelope> {
    if (this.stopped) return Promise.resolve({ ok: false, error: { code: 'internal', message: this.stopped } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.link.post({ ...m, id });
    });
  }
}
