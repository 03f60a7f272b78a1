/**
 * The project's own small manifest, `htr-studio.json` in the project folder: what
 * belongs to the project rather than to one page file — each page's status and the
 * models that read it, the page order, the documents, the settings, the imports.
 * Kept beside the pages (not in them) so a status works for every format the
 * project holds (PAGE 2013 from Transkribus has no place for it, nor ALTO), and the
 * page list reads one small file instead of parsing every page.
 *
 *   { "htrStudioProject": 1, "pages": { "<page id>": { "status": "done", "changed": "2026-12-03T10:00:00.000Z" } },
 *     "order": ["<page id>", …], "documents": [{ "name": "…", "pages": ["<page id>", …] }], "settings": {…}, "imports": […] }
 *
 * Every key is optional (an older file reads as before: no order means by name, no
 * documents means one default document); keys HTR Studio does not know are kept.
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

/** A model that ran on a page: the last of each kind is kept, so a page says what read it. */
export interface ModelUse {
  readonly id: string;
  readonly version?: string;
  readonly at: string;
}

export const MODEL_KINDS = ['recognition', 'layout'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface PageEntry {
  /** `new` also for a page the file lists only for its models. */
  readonly status: PageStatus;
  readonly changed?: string;
  readonly models?: Partial<Record<ModelKind, ModelUse>>;
}

/** How a line's text is stored: one Unicode normalisation, so search, checks and trainers see one spelling of each letter. */
export const TEXT_NORMALIZATIONS = ['NFC', 'NFD', 'none'] as const;
export type TextNormalization = (typeof TEXT_NORMALIZATIONS)[number];

export interface ProjectSettings {
  /** NFC unless the project says otherwise. */
  readonly textNormalization: TextNormalization;
}

/**
 * A named group of pages: a volume, a register, one import's source. A page belongs
 * to at most one; pages in none belong to the project's default document (named
 * after the project folder). The train/validation/test split keeps documents whole.
 */
export interface ProjectDocument {
  readonly name: string;
  readonly pages: readonly string[];
}

export interface ProjectManifest {
  readonly pages: Readonly<Record<string, PageEntry>>;
  readonly settings: ProjectSettings;
  /**
   * Page ids in the project's order (a METS structure map's, a PDF's): the page list,
   * mets.xml and exports follow it; pages it does not list come after, by name.
   */
  readonly order: readonly string[];
  readonly documents: readonly ProjectDocument[];
}

const DEFAULT_SETTINGS: ProjectSettings = { textNormalization: 'NFC' };
const EMPTY: ProjectManifest = { pages: {}, settings: DEFAULT_SETTINGS, order: [], documents: [] };

function isStatus(v: unknown): v is PageStatus {
  return typeof v === 'string' && (PAGE_STATUSES as readonly string[]).includes(v);
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function parseModels(v: unknown): PageEntry['models'] | undefined {
  if (!isObject(v)) return undefined;
  const out: Partial<Record<ModelKind, ModelUse>> = {};
  for (const kind of MODEL_KINDS) {
    const m = v[kind];
    if (isObject(m) && typeof m.id === 'string') out[kind] = { id: m.id, at: typeof m.at === 'string' ? m.at : '', ...(typeof m.version === 'string' && { version: m.version }) };
  }
  return Object.keys(out).length ? out : undefined;
}

/** The manifest's entries that make sense; anything else in the file is ignored (and kept on write). */
function parse(text: string): { manifest: ProjectManifest; raw: Record<string, unknown> } {
  const raw: unknown = JSON.parse(text);
  if (!isObject(raw)) throw new Error('not a JSON object');
  const pages: Record<string, PageEntry> = {};
  if (isObject(raw.pages)) {
    for (const [id, entry] of Object.entries(raw.pages)) {
      if (!isObject(entry)) continue;
      const models = parseModels(entry.models);
      if (!isStatus(entry.status) && !models) continue;
      pages[id] = { status: isStatus(entry.status) ? entry.status : 'new', ...(typeof entry.changed === 'string' && { changed: entry.changed }), ...(models && { models }) };
    }
  }
  const form = isObject(raw.settings) ? raw.settings.textNormalization : undefined;
  const settings: ProjectSettings = { textNormalization: (TEXT_NORMALIZATIONS as readonly unknown[]).includes(form) ? (form as TextNormalization) : 'NFC' };
  // A page in two documents stays in the first.
  const placed = new Set<string>();
  const documents: ProjectDocument[] = [];
  for (const d of Array.isArray(raw.documents) ? raw.documents : []) {
    if (!isObject(d) || typeof d.name !== 'string' || !d.name.trim()) continue;
    const ids = strings(d.pages).filter((id) => !placed.has(id));
    ids.forEach((id) => placed.add(id));
    documents.push({ name: d.name, pages: ids });
  }
  return { manifest: { pages, settings, order: [...new Set(strings(raw.order))], documents }, raw };
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

/**
 * Changes the manifest under its lock: `change` gets what the file holds (raw, every
 * key kept) and what it means, and returns the keys to set (undefined: nothing to
 * write). A file that does not read is set aside first, never lost.
 */
async function updateManifest(root: string, change: (raw: Record<string, unknown>, manifest: ProjectManifest) => Record<string, unknown> | undefined): Promise<void> {
  const file = path.join(root, MANIFEST_NAME);
  await withFileLock(file, async () => {
    const read = await readRaw(file);
    const updates = change(read.raw ?? {}, read.manifest);
    if (!updates) return;
    if (read.unreadable) await fs.rename(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const out = { ...(read.raw ?? {}), htrStudioProject: 1, pages: read.raw?.pages ?? {}, ...updates };
    await writeFileAtomic(file, JSON.stringify(out, null, 1) + '\n');
  });
}

/** Changes project settings under the manifest's lock (other keys kept, as for page entries). */
export async function updateSettings(root: string, settings: Partial<ProjectSettings>): Promise<void> {
  await updateManifest(root, (raw) => ({ settings: { ...(isObject(raw.settings) ? raw.settings : {}), ...settings } }));
}

/**
 * Changes page entries under the manifest's lock: `change` gets the current entries
 * and returns the ones to set (undefined: nothing to write). Each entry is merged
 * into the one in the file, so its other keys (the models that read it) stay.
 */
export async function updatePageEntries(root: string, change: (pages: Readonly<Record<string, PageEntry>>) => Record<string, Partial<PageEntry>> | undefined): Promise<void> {
  await updateManifest(root, (raw, manifest) => {
    const updates = change(manifest.pages);
    if (!updates || !Object.keys(updates).length) return undefined;
    const rawPages = isObject(raw.pages) ? raw.pages : {};
    const merged = Object.fromEntries(Object.entries(updates).map(([id, e]) => [id, { ...(isObject(rawPages[id]) ? rawPages[id] : {}), ...e }]));
    return { pages: { ...rawPages, ...merged } };
  });
}

/** Records that a model ran on a page (the last one of each kind is kept); the page's status is left as it is. */
export async function recordModelUse(root: string, pageId: string, kind: ModelKind, model: { readonly id: string; readonly version?: string }): Promise<void> {
  const use: ModelUse = { id: model.id, ...(model.version && { version: model.version }), at: new Date().toISOString() };
  await updateManifest(root, (raw) => {
    const rawPages = isObject(raw.pages) ? raw.pages : {};
    const entry = isObject(rawPages[pageId]) ? rawPages[pageId] : {};
    return { pages: { ...rawPages, [pageId]: { ...entry, models: { ...(isObject(entry.models) ? entry.models : {}), [kind]: use } } } };
  });
}

/** Sets the project's page order (page ids, each once); pages it leaves out follow, by name. */
export async function setPageOrder(root: string, ids: readonly string[]): Promise<void> {
  await updateManifest(root, () => ({ order: [...new Set(ids)] }));
}

/** One import into the project, as `htr-studio import` and the editor's Import record it: the pages it made, in the source's order. */
export interface ImportRecord {
  readonly at: string;
  readonly sources: readonly string[];
  /** Page ids (image paths) in the order of the source (a METS structure map, a PDF, a IIIF sequence). */
  readonly pages: readonly string[];
  readonly referenced?: boolean;
}

export interface ImportPlacement {
  /** The whole page order after the import: the pages before it, in their order, then the new ones in the sources' order. */
  readonly order: readonly string[];
  /** The documents the import made (one per source); a name the project has already gets " (2)", " (3)"…. */
  readonly documents: readonly ProjectDocument[];
}

/** A name not among `taken`: the name itself, else "name (2)", "name (3)"…. */
function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  let k = 2;
  while (taken.has(`${name} (${k})`)) k++;
  return `${name} (${k})`;
}

/** Appends an import to the manifest's `imports` list, with its documents and the page order (other keys kept). */
export async function recordImport(root: string, record: ImportRecord, placement?: ImportPlacement): Promise<void> {
  await updateManifest(root, (raw, manifest) => {
    const before = Array.isArray(raw.imports) ? raw.imports : [];
    if (!placement) return { imports: [...before, record] };
    const taken = new Set(manifest.documents.map((d) => d.name));
    const made = placement.documents.filter((d) => d.pages.length).map((d) => {
      const name = freeName(d.name, taken);
      taken.add(name);
      return { ...d, name };
    });
    const rawDocs = Array.isArray(raw.documents) ? raw.documents : [];
    return { imports: [...before, record], order: [...new Set(placement.order)], documents: [...rawDocs, ...made] };
  });
}
