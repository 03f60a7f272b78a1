/**
 * One log file per desktop session in the user data folder's logs/
 * (electron/node/paths.ts): what the main process did and everything the engine
 * wrote to its stdout and stderr, each line stamped with the time and who wrote it.
 * It stays on this computer (Help › Open Log Folder shows it); nothing is sent
 * anywhere. The newest sessions are kept, older files removed.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SessionLog {
  /** The file of this session; undefined when the folder could not be written (logging is then off). */
  readonly file: string | undefined;
  write(source: string, message: string): void;
  /** A stream's text (an engine's stdout/stderr), written line by line once each line is complete. */
  lineWriter(source: string): (chunk: string | Buffer) => void;
}

/** How many session logs are kept. */
export const KEEP_SESSION_LOGS = 20;

const LOG_NAME = /^session-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d+\.log$/;

/** session-2026-12-03T19-04-19-1234.log: sortable by time, unique per process. */
export function sessionLogName(now: Date, pid: number): string {
  return `session-${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${pid}.log`;
}

/** Opens this session's log in `dir`, removing all but the newest `keep` older ones; never throws. */
export function openSessionLog(dir: string, opts: { now?: Date; pid?: number; keep?: number } = {}): SessionLog {
  const now = opts.now ?? new Date();
  let file: string | undefined = path.join(dir, sessionLogName(now, opts.pid ?? process.pid));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, '', { flag: 'a', mode: 0o600 });
    const old = fs.readdirSync(dir).filter((f) => LOG_NAME.test(f) && f !== path.basename(file!)).sort();
    for (const f of old.slice(0, Math.max(0, old.length - ((opts.keep ?? KEEP_SESSION_LOGS) - 1)))) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    file = undefined;
  }
  const write = (source: string, message: string): void => {
    if (!file) return;
    const stamp = new Date().toISOString();
    const text = message.replace(/\s+$/, '').split(/\r?\n/).map((l) => `${stamp} [${source}] ${l}\n`).join('');
    try {
      fs.appendFileSync(file, text);
    } catch {
      // A full disk must not stop the app.
    }
  };
  return {
    file,
    write,
    lineWriter(source) {
      let pending = '';
      return (chunk) => {
        pending += String(chunk);
        const nl = pending.lastIndexOf('\n');
        if (nl < 0) return;
        write(source, pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      };
    },
  };
}
