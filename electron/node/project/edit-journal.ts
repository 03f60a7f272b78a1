/**
 * The journal of unsaved edits: the editor hands the engine each page it has
 * unsaved edits on, a moment after every change, and the engine keeps it in
 * `.htr-studio/journal/` inside the project. Should the window, the browser or the
 * engine stop before the page is saved (a crash, a kill, power), the next opening of
 * that page finds the journal and offers the edits back. A save (or the person
 * going back to the saved state) removes it.
 *
 * One file per page, written atomically, named by a hash of the page id; the page id
 * is stored inside, so a journal never lands on another page.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../io/files.js';

export const JOURNAL_DIR = path.join('.htr-studio', 'journal');

export interface JournalEntry {
  readonly pageId: string;
  readonly xml: string;
  /** The revision the edits started from (the file as opened). */
  readonly baseRevision: string | null;
  readonly savedAt: string;
}

function fileOf(root: string, pageId: string): string {
  return path.join(root, JOURNAL_DIR, `${createHash('sha256').update(pageId).digest('hex').slice(0, 32)}.json`);
}

export async function writeJournal(root: string, pageId: string, xml: string, baseRevision: string | null): Promise<void> {
  const file = fileOf(root, pageId);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const entry: JournalEntry = { pageId, xml, baseRevision, savedAt: new Date().toISOString() };
  await writeFileAtomic(file, JSON.stringify(entry));
}

export async function readJournal(root: string, pageId: string): Promise<JournalEntry | undefined> {
  const text = await fs.readFile(fileOf(root, pageId), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const e = JSON.parse(text) as Partial<JournalEntry>;
    if (e.pageId !== pageId || typeof e.xml !== 'string' || typeof e.savedAt !== 'string') return undefined;
    return { pageId, xml: e.xml, baseRevision: typeof e.baseRevision === 'string' ? e.baseRevision : null, savedAt: e.savedAt };
  } catch {
    // Cut off mid-write by a crash of the machine itself: nothing usable in it.
    return undefined;
  }
}

export async function removeJournal(root: string, pageId: string): Promise<void> {
  await fs.rm(fileOf(root, pageId), { force: true });
}
