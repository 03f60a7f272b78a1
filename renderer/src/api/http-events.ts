/**
 * Job events in browser mode: the server's Server-Sent Events stream at
 * /api/events, read with fetch (EventSource cannot send the token header, and
 * the token must never go into a URL). Reconnects after a dropped connection.
 */
import type { JobEventListener, JobEventSource } from '../../../electron/common/api/service.js';
import { isJobEvent, JobEventHub } from '../../../electron/common/api/job-events.js';

const RECONNECT_MS = 1000;

/** Complete "data:" payloads of an event-stream buffer, and what is left over. */
export function parseEventStream(buffer: string): { data: string[]; rest: string } {
  const data: string[] = [];
  let rest = buffer;
  for (let i = rest.indexOf('\n\n'); i >= 0; i = rest.indexOf('\n\n')) {
    const block = rest.slice(0, i);
    rest = rest.slice(i + 2);
    const lines = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
    if (lines.length) data.push(lines.join('\n'));
  }
  return { data, rest };
}

export function httpEvents(token: string): JobEventSource {
  const hub = new JobEventHub();
  let started = false;
  const run = async (): Promise<void> => {
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, cache: 'no-store' });
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseEventStream(buffer + value);
          buffer = parsed.rest;
          for (const d of parsed.data) {
            try {
              const e = JSON.parse(d) as unknown;
              if (isJobEvent(e)) hub.emit(e);
            } catch {
              // A malformed event is skipped, not fatal to the stream.
            }
          }
        }
      } catch {
        // Server restarting or the network blinked: try again shortly.
      }
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
  };
  return {
    subscribe(listener: JobEventListener) {
      if (!started) {
        started = true;
        void run();
      }
      return hub.subscribe(listener);
    },
  };
}
