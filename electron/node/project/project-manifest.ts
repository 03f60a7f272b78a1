/**
 * The project's own small manifest, `htr-studio.json` in the project folder: what
 * belongs to the project rather than to one page file — today each page's status.
 * Kept beside the pages (not in them) so a status works for every format the
 * project holds (PAGE 2013 from Transkribus has no place for it, nor ALTO), and the
 * page list reads one small file instead of parsing every page.
 *
 *   { "htrStudioProject": 1, "pages": { "<page id>": { "status": "done", "changed": "2026-12-03T10:00:00.000Z" } } }
 *
 * Page ids are the image paths relative to the project (scan.ts), stable for a page's
 * life. Writes are atomic and serialised per file; a manifest that cannot be read is
 * set aside as `htr-studio.json.unreadable-<time>` before a new one is written, never lost.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PAGE_STATUSES, type PageStatus } from '../../common/api/service.js';
import { writeFileAtomic } from '../io/files.js';
import { withFileLock } from '../io/file-lock.js';

export const MANIFEST_NAME = 'htr-studio.json';
/** Far beyond any project's page statuses (≈100 bytes a page): a bigger file is not ours. */
const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

export interface PageEntry {
  readonly status: PageStatus;
  readonly changed?: string;
}

/** How a line's text is stored: one Unicode normalisation, so search, checks and trainers see one spelling of each letter. */
export const TEXT_NORMALIZATIONS = ['NFC', 'NFD', 'none'] as const;
export type TextNormalization = (typeof TEXT_NORMALIZATIONS)[number];

export interface ProjectSettings {
  /** NFC unless the project says otherwise. */
  readonly textNormalization: TextNormalization;
}

export interface ProjectManifest {
  readonly pages: Readonly<Record<string, PageEntry>>;
  readonly settings: ProjectSettings;
}

const DEFAULT_SETTINGS: ProjectSettings = { textNormalization: 'NFC' };
const EMPTY: ProjectManifest = { pages: {}, settings: DEFAULT_SETTINGS };

function isStatus(v: unknown): v is PageStatus {
  return typeof v === 'string' && (PAGE_STATUSES as readonly string[]).includes(v);
}

/** The manifest's entries that make sense; anything else in the file is ignored (and kept on write). */
function parse(text: string): { manifest: ProjectManifest; raw: Record<string, unknown> } {
  const raw: unknown = JSON.parse(text);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a JSON object');
  const pagesIn = (raw as Record<string, unknown>).pages;
  const pages: Record<string, PageEntry> = {};
  if (pagesIn && typeof pagesIn === 'object' && !Array.isArray(pagesIn)) {
    for (const [id, e] of Object.entries(pagesIn as Record<string, unknown>)) {
      const entry = e as Record<string, unknown> | null;
      if (entry && isStatus(entry.status)) pages[id] = { status: entry.status, ...(typeof entry.changed === 'string' && { changed: entry.changed }) };
    }
  }
  const settingsIn = (raw as Record<string, unknown>).settings as Record<string, unknown> | undefined;
  const form = settingsIn?.textNormalization;
  const settings: ProjectSettings = { textNormalization: (TEXT_NORMALIZATIONS as readonly unknown[]).includes(form) ? (form as TextNormalization) : 'NFC' };
  return { manifest: { pages, settings }, raw: raw as Record<string, unknown> };
}

type Read = { manifest: ProjectManifest; raw: Record<string, unknown> | null; unreadable: boolean };

async function readRaw(file: string): Promise<Read> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_MANIFEST_BYTES) return { manifest: EMPTY, raw: null, unreadable: true };
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { manifest: EMPTY, raw: null, unreadable: false };
    throw e;
  }
  try {
    return { ...parse(text), unreadable: false };
  } catch {
    return { manifest: EMPTY, raw: null, unreadable: true };
  }
}

/** The project's manifest; an absent or unreadable file reads as empty (every page new). */
export async function readProjectManifest(root: string): Promise<ProjectManifest> {
  return (await readRaw(path.join(root, MANIFEST_NAME))).manifest;
}

/** Changes project settings under the manifest's lock (other keys kept, as for page entries). */
export async function updateSettings(root: string, settings: Partial<ProjectSettings>): Promise<void> {
  const file = path.join(root, MANIFEST_NAME);
  await withFileLock(file, async () => {
    const read = await readRaw(file);
    if (read.unreadable) await fs.rename(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const rawSettings = read.raw && typeof read.raw.settings === 'object' && read.raw.settings && !Array.isArray(read.raw.settings) ? (read.raw.settings as Record<string, unknown>) : {};
    const out = { ...(read.raw ?? {}), htrStudioProject: 1, settings: { ...rawSettings, ...settings }, pages: read.raw?.pages ?? {} };
    await writeFileAtomic(file, JSON.stringify(out, null, 1) + '\n');
  });
}

/**
 * Changes page entries under the manifest's lock: `change` gets the current entries
 * and returns the ones to set (undefined: nothing to write).
 */
export async function updatePageEntries(root: string, change: (pages: Readonly<Record<string, PageEntry>>) => Record<string, PageEntry> | undefined): Promise<void> {
  const file = path.join(root, MANIFEST_NAME);
  await withFileLock(file, async () => {
    const read = await readRaw(file);
    const updates = change(read.manifest.pages);
    if (!updates || !Object.keys(updates).length) return;
    if (read.unreadable) await fs.rename(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const rawPages = read.raw && typeof read.raw.pages === 'object' && read.raw.pages && !Array.isArray(read.raw.pages) ? (read.raw.pages as Record<string, unknown>) : {};
    const out = { ...(read.raw ?? {}), htrStudioProject: 1, pages: { ...rawPages, ...updates } };
    await writeFileAtomic(file, JSON.stringify(out, null, 1) + '\n');
  });
}

/** One import into the project, as `htr-studio import` and the editor's Import record it: the pages it made, in the source's order. */
export interface ImportRecord {
  readonly at: string;
  readonly sources: readonly string[];
  /** Page ids (image paths) in the order of the source (a METS structure map, a PDF, a IIIF sequence). */
  readonly pages: readonly string[];
  readonly referenced?: boolean;
}

/** Appends an import to the manifest's `imports` list (other keys kept, as for page entries). */
export async function recordImport(root: string, record: ImportRecord): Promise<void> {
  const file = path.join(root, MANIFEST_NAME);
  await withFileLock(file, async () => {
    const read = await readRaw(file);
    if (read.unreadable) await fs.rename(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const before = Array.isArray(read.raw?.imports) ? (read.raw.imports as unknown[]) : [];
    const out = { ...(read.raw ?? {}), htrStudioProject: 1, pages: read.raw?.pages ?? {}, imports: [...before, record] };
    await writeFileAtomic(file, JSON.stringify(out, null, 1) + '\n');
  });
}
