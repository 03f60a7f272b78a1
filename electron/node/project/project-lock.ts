/**
 * One editor per project: the app and `htr-studio serve` take `.htr-studio/lock` in
 * the project folder while they have it open, so a second window or process on the
 * same folder is told who has it instead of racing it page by page.
 *
 * Stale-lock rule: a lock is stale when its process is gone (same machine: the pid
 * no longer runs) or when its holder has not refreshed it for STALE_MS (another
 * machine sharing the folder, a frozen process); a stale lock is taken over. The
 * holder refreshes it every REFRESH_MS and removes it when it closes the project.
 * The command line's batch commands (process, recognize…) work on files, not
 * projects, and take no lock.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../io/files.js';

export const LOCK_FILE = path.join('.htr-studio', 'lock');
export const REFRESH_MS = 30_000;
export const STALE_MS = 120_000;

export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly refreshed: string;
  readonly by: string;
}

export class ProjectLockedError extends Error {
  constructor(readonly holder: LockInfo, dir: string) {
    super(`${dir} is open in another HTR Studio (${holder.by}, process ${holder.pid} on ${holder.host}, since ${holder.since}); close it there first. If it is not running any more, its lock goes stale within ${STALE_MS / 60_000} minutes, or remove ${path.join(dir, LOCK_FILE)}.`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text) as Partial<LockInfo>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.refreshed !== 'string') return undefined;
    return { pid: o.pid, host: o.host, since: o.since ?? o.refreshed, refreshed: o.refreshed, by: o.by ?? 'HTR Studio' };
  } catch {
    return undefined;
  }
}

export function isStale(lock: LockInfo, now = Date.now(), host = os.hostname()): boolean {
  if (lock.host === host && lock.pid !== process.pid && !alive(lock.pid)) return true;
  const t = Date.parse(lock.refreshed);
  return !Number.isFinite(t) || now - t > STALE_MS;
}

export interface ProjectLock {
  release(): Promise<void>;
}

/** Takes the project's lock (or a stale one over); throws ProjectLockedError when another live holder has it. */
export async function lockProject(dir: string, by: string): Promise<ProjectLock> {
  const file = path.join(dir, LOCK_FILE);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const since = new Date().toISOString();
  const mine = (): LockInfo => ({ pid: process.pid, host: os.hostname(), since, refreshed: new Date().toISOString(), by });
  const held = await readLock(file);
  if (held && !(held.pid === process.pid && held.host === os.hostname()) && !isStale(held)) throw new ProjectLockedError(held, dir);
  // Created exclusively when absent, so two starting at once cannot both take it.
  if (!held) {
    try {
      await fs.writeFile(file, JSON.stringify(mine()), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const other = await readLock(file);
      if (other && !isStale(other)) throw new ProjectLockedError(other, dir);
      await writeFileAtomic(file, JSON.stringify(mine()));
    }
  } else await writeFileAtomic(file, JSON.stringify(mine()));
  const timer = setInterval(() => void writeFileAtomic(file, JSON.stringify(mine())).catch(() => undefined), REFRESH_MS);
  timer.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const now = await readLock(file);
      if (now?.pid === process.pid && now.host === os.hostname()) await fs.rm(file, { force: true });
    },
  };
}
