/**
 * `export-manifest.json`, written into every project export (folder or zip): what
 * made it (HTR Studio's version, the command or the editor, format and options,
 * when), where each page came from (its page file and image with their SHA-256 and
 * size, so a trainer's data can be traced and checked against the sources), the
 * train/validation/test split by document, the counts (pages, lines, lines left out
 * by rule), and the licence and attribution of each source as far as anything says:
 *
 * - the project's settings in htr-studio.json (`settings.license` or
 *   `settings.licence`, and `settings.attribution`), read here, not by the project
 *   manifest's reader, since only the export uses them;
 * - the METS beside the source (its folder, the one above, or the project's):
 *   MODS `accessCondition` (use and reproduction) and the DFG viewer's `dv:owner`,
 *   as OCR-D workspaces and library exports carry them;
 * - the page's own PAGE Metadata: Creator and Comments (who or what made the file).
 *
 * Where nothing says, the manifest says "unknown" rather than guessing a licence.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parseXml } from '../../common/xml/xml-parse.js';
import { attr, childElements, textOf, type XmlElement } from '../../common/xml/xml-node.js';
import { MANIFEST_NAME } from '../project/project-manifest.js';
import { runtimePaths } from '../paths.js';
import { writeFileAtomic } from '../io/files.js';
import { projectOf, type PageMaker } from './gt-export.js';


export const EXPORT_MANIFEST_NAME = 'export-manifest.json';
export const UNKNOWN = 'unknown';

const MODS_NS = 'http://www.loc.gov/mods/v3';
/** Longer Creator/Comments texts (Transkribus lists every tool that touched the page) are cut here. */
const MAX_NOTE = 2000;

export interface FileRecord {
  /** Relative to the project when the file is inside one, else as given. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Rights {
  /** The licence as the source words it (with its URL), or "unknown". */
  readonly licence: string;
  /** Whom to credit, or "unknown". */
  readonly attribution: string;
  /** Where each of the above was found ("htr-studio.json settings", a METS file). */
  readonly from: readonly string[];
  /** The page file's Metadata Creator and Comments, as written there. */
  readonly pageCreator?: string;
  readonly pageComments?: string;
}

export interface SourcePage {
  readonly page: string;
  readonly split: 'train' | 'val' | 'test' | null;
  readonly document: string | null;
  readonly status: string | null;
  readonly lines: number;
  readonly pageFile: FileRecord;
  readonly image: FileRecord | null;
  readonly rights: Rights;
}

export interface ExportManifest {
  readonly htrStudioExport: 1;
  readonly generator: { readonly name: 'HTR Studio'; readonly version: string };
  readonly created: string;
  /** The command line as given (argv after the program name), or null from the editor. */
  readonly command: readonly string[] | null;
  readonly via: 'command line' | 'editor';
  readonly format: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly counts: {
    readonly pages: Readonly<Record<string, number>>;
    readonly lines: Readonly<Record<string, number>>;
    /** Pages left out by --status. */
    readonly pagesFiltered: number;
    /** Pages that could not be read or written. */
    readonly pagesFailed: number;
    /** Lines left out, by reason (no transcription, a checker rule with --force, …). */
    readonly linesSkipped: Readonly<Record<string, number>>;
  };
  /** Each page's split (train/val/test) and document; null without --split. */
  readonly split: { readonly shares: Readonly<Record<string, number>> | null; readonly seed: number | null };
  /** Distinct licences over the sources, with how many pages each covers. */
  readonly licences: readonly { readonly licence: string; readonly attribution: string; readonly pages: number }[];
  readonly sources: readonly SourcePage[];
}

/** A page as the export wrote it: the manifest's input. */
export interface ManifestPage {
  readonly name: string;
  readonly xml: string;
  readonly image: string | undefined;
  /** The page's own Metadata Creator and Comments. */
  readonly maker: PageMaker;
  readonly split?: 'train' | 'val' | 'test';
  readonly document?: string;
  readonly status?: string;
  readonly lines: number;
}

export interface ManifestInput {
  readonly format: string;
  readonly command: readonly string[] | null;
  readonly options: Readonly<Record<string, unknown>>;
  readonly pages: readonly ManifestPage[];
  readonly pageCounts: Readonly<Record<string, number>>;
  readonly lineCounts: Readonly<Record<string, number>>;
  readonly filtered: number;
  readonly failed: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly split: Readonly<Record<string, number>> | null;
  readonly seed: number | null;
  /** For tests: a fixed time. */
  readonly now?: Date;
}

/** SHA-256 and size of a file, streamed (page images can be hundreds of MB). */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: h.digest('hex') };
}

let version: string | undefined;
/** HTR Studio's version from its package.json (the repository's, or the app's inside app.asar). */
export function studioVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(fs.readFileSync(path.join(runtimePaths().appRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? UNKNOWN);
    } catch {
      version = UNKNOWN;
    }
  }
  return version;
}

/** The project's own licence and attribution settings (htr-studio.json `settings`), when set. */
async function projectRights(root: string): Promise<{ licence?: string; attribution?: string }> {
  try {
    const raw = JSON.parse(await fsp.readFile(path.join(root, MANIFEST_NAME), 'utf8')) as { settings?: Record<string, unknown> };
    const s = raw.settings ?? {};
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const licence = str(s.license) ?? str(s.licence);
    const attribution = str(s.attribution);
    return { ...(licence && { licence }), ...(attribution && { attribution }) };
  } catch {
    return {};
  }
}

function descendants(el: XmlElement, visit: (e: XmlElement) => void): void {
  for (const c of childElements(el)) {
    visit(c);
    descendants(c, visit);
  }
}

/** The rights a METS file records: MODS accessCondition (use and reproduction first) and dv:owner. */
export function metsRights(xml: string): { licence?: string; attribution?: string } {
  const root = parseXml(xml).root;
  const conditions: { type: string; text: string }[] = [];
  const owners: string[] = [];
  descendants(root, (e) => {
    if (e.local === 'accessCondition' && e.uri === MODS_NS) {
      const href = e.attrs.find((a) => a.local === 'href')?.value;
      const text = textOf(e).replace(/\s+/g, ' ').trim();
      const said = [text, href && href !== text ? `(${href})` : ''].filter(Boolean).join(' ');
      if (said) conditions.push({ type: (attr(e, 'type') ?? '').toLowerCase(), text: said });
    }
    if (e.local === 'owner' && /dfg-viewer/.test(e.uri)) {
      const text = textOf(e).replace(/\s+/g, ' ').trim();
      if (text) owners.push(text);
    }
  });
  // "use and reproduction" is the licence; "restriction on access" (open access, …) only when nothing else says.
  const use = conditions.filter((c) => c.type === 'use and reproduction');
  const licence = (use.length ? use : conditions).map((c) => c.text).join('; ');
  return { ...(licence && { licence }), ...(owners.length && { attribution: owners.join('; ') }) };
}

/** The METS files that may describe a page: beside it, one folder up, and the project's. */
function metsCandidates(xmlFile: string, root: string | undefined): string[] {
  const dir = path.dirname(path.resolve(xmlFile));
  const dirs = [dir, path.dirname(dir), ...(root ? [root] : [])];
  return [...new Set(dirs.map((d) => path.join(d, 'mets.xml')))];
}

const metsCache = new Map<string, Promise<{ licence?: string; attribution?: string } | undefined>>();
function readMetsRights(file: string): Promise<{ licence?: string; attribution?: string } | undefined> {
  let p = metsCache.get(file);
  if (!p) {
    p = fsp.readFile(file, 'utf8').then(
      (xml) => {
        try {
          return metsRights(xml);
        } catch {
          return undefined;
        }
      },
      () => undefined,
    );
    metsCache.set(file, p);
  }
  return p;
}

function note(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? (t.length > MAX_NOTE ? `${t.slice(0, MAX_NOTE)}…` : t) : undefined;
}

/** A page's licence and attribution: the project's settings first, then a METS beside it; the page's own Creator and Comments. */
export async function rightsOf(page: ManifestPage, root: string | undefined): Promise<Rights> {
  let licence: string | undefined;
  let attribution: string | undefined;
  const from: string[] = [];
  if (root) {
    const p = await projectRights(root);
    if (p.licence || p.attribution) from.push(`${MANIFEST_NAME} settings`);
    licence = p.licence;
    attribution = p.attribution;
  }
  if (!licence || !attribution) {
    for (const file of metsCandidates(page.xml, root)) {
      const m = await readMetsRights(file);
      if (!m || (!m.licence && !m.attribution)) continue;
      if ((!licence && m.licence) || (!attribution && m.attribution)) from.push(root ? path.relative(root, file).split(path.sep).join('/') : file);
      licence ??= m.licence;
      attribution ??= m.attribution;
      if (licence && attribution) break;
    }
  }
  const pageCreator = note(page.maker.creator);
  const pageComments = note(page.maker.comments);
  return { licence: licence ?? UNKNOWN, attribution: attribution ?? UNKNOWN, from, ...(pageCreator && { pageCreator }), ...(pageComments && { pageComments }) };
}

async function fileRecord(file: string, root: string | undefined): Promise<FileRecord> {
  const { bytes, sha256 } = await hashFile(file);
  const inside = root && !path.relative(root, path.resolve(file)).startsWith('..');
  return { path: inside ? path.relative(root, path.resolve(file)).split(path.sep).join('/') : file, bytes, sha256 };
}

export async function buildExportManifest(m: ManifestInput): Promise<ExportManifest> {
  metsCache.clear();
  const sources: SourcePage[] = [];
  for (const p of m.pages) {
    const root = await projectOf(p.xml);
    sources.push({
      page: p.name,
      split: p.split ?? null,
      document: p.document ?? null,
      status: p.status ?? null,
      lines: p.lines,
      pageFile: await fileRecord(p.xml, root),
      image: p.image ? await fileRecord(p.image, root) : null,
      rights: await rightsOf(p, root),
    });
  }
  const licences = new Map<string, { licence: string; attribution: string; pages: number }>();
  for (const s of sources) {
    const key = `${s.rights.licence}\u0000${s.rights.attribution}`;
    const e = licences.get(key) ?? { licence: s.rights.licence, attribution: s.rights.attribution, pages: 0 };
    e.pages++;
    licences.set(key, e);
  }
  return {
    htrStudioExport: 1,
    generator: { name: 'HTR Studio', version: studioVersion() },
    created: (m.now ?? new Date()).toISOString(),
    command: m.command,
    via: m.command ? 'command line' : 'editor',
    format: m.format,
    options: m.options,
    counts: { pages: m.pageCounts, lines: m.lineCounts, pagesFiltered: m.filtered, pagesFailed: m.failed, linesSkipped: m.skipped },
    split: { shares: m.split, seed: m.seed },
    licences: [...licences.values()],
    sources,
  };
}

/** Writes the manifest into the export's folder (before it is zipped, so the zip holds it too). */
export async function writeExportManifest(dir: string, m: ManifestInput): Promise<ExportManifest> {
  const manifest = await buildExportManifest(m);
  await writeFileAtomic(path.join(dir, EXPORT_MANIFEST_NAME), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}
