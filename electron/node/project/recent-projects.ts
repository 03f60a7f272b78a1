/**
 * The recent projects, kept by the engine in the user data folder (recent.json), so
 * the desktop app, its File › Open Recent menu and browser mode share one list:
 *
 *   { "recent": [ { "dir": "/home/marie/wills", "opened": "2026-12-04T05:00:00.000Z" }, … ] }
 *
 * Most recent first, each folder once, at most MAX_RECENT_PROJECTS. A folder that is
 * gone stays listed (an unplugged disk comes back) until the person removes it. A
 * missing or unreadable file reads as an empty list; nothing here is ever sent anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../common/api/service.js';
import { writeFileAtomic } from '../io/files.js';
import { withFileLock } from '../io/file-lock.js';

export const MAX_RECENT_PROJECTS = 10;
export const RECENT_FILE = 'recent.json';

interface Entry {
  readonly dir: string;
  readonly opened: string;
}

/** The entries a file's text holds, tolerating an old, truncated or hand-edited file. */
export function parseRecent(text: string | undefined): Entry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '{}');
  } catch {
    return [];
  }
  const list = raw && typeof raw === 'object' && Array.isArray((raw as { recent?: unknown }).recent) ? ((raw as { recent: unknown[] }).recent) : [];
  const seen = new Set<string>();
  const out: Entry[] = [];
  for (const e of list) {
    const dir = (e as Partial<Entry> | null)?.dir;
    if (typeof dir !== 'string' || !dir || dir.length > 4096 || seen.has(dir)) continue;
    seen.add(dir);
    const opened = (e as Partial<Entry>).opened;
    out.push({ dir, opened: typeof opened === 'string' ? opened : '' });
  }
  return out.slice(0, MAX_RECENT_PROJECTS);
}

/** The list after opening `dir`: at the head, once, the oldest dropped beyond the maximum. */
export function withOpened(list: readonly Entry[], dir: string, now = new Date()): Entry[] {
  return [{ dir, opened: now.toISOString() }, ...list.filter((e) => e.dir !== dir)].slice(0, MAX_RECENT_PROJECTS);
}

const isDir = (d: string): boolean => fs.statSync(d, { throwIfNoEntry: false })?.isDirectory() === true;

export class RecentProjects {
  constructor(
    /** The user data folder (paths.ts userDataDir()); tests pass their own. */
    private readonly dataDir: string,
  ) {}

  get file(): string {
    return path.join(this.dataDir, RECENT_FILE);
  }

  /** The folders, most recent first (sync: the desktop menu is built synchronously). */
  dirs(): string[] {
    let text: string | undefined;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      text = undefined;
    }
    return parseRecent(text).map((e) => e.dir);
  }

  list(): RecentProject[] {
    return this.dirs().map((dir) => ({ dir, name: path.basename(dir) || dir, exists: isDir(dir) }));
  }

  add(dir: string): Promise<RecentProject[]> {
    return this.change((entries) => withOpened(entries, dir));
  }

  remove(dir: string): Promise<RecentProject[]> {
    return this.change((entries) => entries.filter((e) => e.dir !== dir));
  }

  /** Folders listed elsewhere before this file existed (the desktop app's window-state.json), most recent first; only when there is no file yet. */
  async carryOver(dirs: readonly string[]): Promise<void> {
    if (!dirs.length || fs.existsSync(this.file)) return;
    await this.change((entries) => [...dirs].reverse().reduce((list, dir) => withOpened(list, dir), entries));
  }

  clear(): Promise<RecentProject[]> {
    return this.change(() => []);
  }

  private change(f: (entries: Entry[]) => Entry[]): Promise<RecentProject[]> {
    return withFileLock(this.file, async () => {
      const text = await fs.promises.readFile(this.file, 'utf8').catch(() => undefined);
      await fs.promises.mkdir(this.dataDir, { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify({ recent: f(parseRecent(text)) }, null, 1) + '\n');
      return this.list();
    });
  }
}
