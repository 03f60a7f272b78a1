/**
 * The file groups of a METS file, as Transkribus exports (groups IMG and PAGEXML
 * under MASTER, paths with backslashes) and OCR-D workspaces (groups by USE:
 * OCR-D-IMG, OCR-D-GT-SEG-PAGE, …) write them; files in the physical structure
 * map's page order where there is one.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseXml } from '../../common/xml/xml-parse.js';
import { attr, childElements, type XmlElement } from '../../common/xml/xml-node.js';
import { ImportError } from './import-error.js';

export interface MetsFile {
  readonly id: string;
  /** Absolute path (href resolved against the METS folder), or undefined for a URL. */
  readonly file?: string;
  readonly href: string;
  readonly mimetype: string;
  /** The physical page it belongs to (index in the structure map), where the METS says. */
  readonly page?: number;
}

export interface MetsGroup {
  readonly name: string;
  readonly files: readonly MetsFile[];
  readonly kind: 'image' | 'page' | 'other';
}

const XLINK = 'http://www.w3.org/1999/xlink';

function walk(el: XmlElement, visit: (e: XmlElement) => void): void {
  visit(el);
  for (const c of childElements(el)) walk(c, visit);
}

function groupKind(name: string, files: readonly MetsFile[]): MetsGroup['kind'] {
  const mimes = files.map((f) => f.mimetype.toLowerCase());
  if (mimes.some((m) => m.includes('page+xml')) || /PAGE/i.test(name) && mimes.every((m) => m.includes('xml'))) return 'page';
  if (mimes.length && mimes.every((m) => m.startsWith('image/')) && !/BIN|DESKEW|CROP|THUMB/i.test(name)) return 'image';
  return 'other';
}

export async function readMets(metsFile: string): Promise<MetsGroup[]> {
  const dir = path.dirname(metsFile);
  const root = parseXml(await fs.readFile(metsFile, 'utf8')).root;
  if (root.local !== 'mets') throw new ImportError(`${metsFile} is not a METS file (root <${root.name}>)`);
  // Pages: the divs of the physical structure map (Transkribus calls its one MANUSCRIPT) that point
  // at files, in order; each file's page says which image and which PAGE file belong together.
  const pageOf = new Map<string, number>();
  let pages = 0;
  walk(root, (sm) => {
    if (sm.local !== 'structMap' || (attr(sm, 'TYPE') ?? '').toUpperCase() === 'LOGICAL') return;
    walk(sm, (div) => {
      if (div.local !== 'div') return;
      const ptrs = childElements(div).filter((c) => c.local === 'fptr');
      if (!ptrs.length) return;
      const n = pages++;
      for (const f of ptrs) {
        walk(f, (x) => {
          const id = attr(x, 'FILEID');
          if (id && !pageOf.has(id)) pageOf.set(id, n);
        });
      }
    });
  });
  const groups: MetsGroup[] = [];
  walk(root, (g) => {
    if (g.local !== 'fileGrp') return;
    const direct = childElements(g).filter((c) => c.local === 'file');
    if (!direct.length) return;
    const name = attr(g, 'USE') ?? attr(g, 'ID') ?? `group ${groups.length + 1}`;
    const files = direct.map((f, i) => {
      const loc = childElements(f).find((c) => c.local === 'FLocat');
      const href = loc?.attrs.find((a) => a.local === 'href' && a.uri === XLINK)?.value ?? '';
      const local = href && !/^[a-z][a-z0-9+.-]*:\/\//i.test(href) ? href.replace(/^file:\/\//, '').replace(/\\/g, '/') : undefined;
      return {
        entry: { id: attr(f, 'ID') ?? '', href, mimetype: attr(f, 'MIMETYPE') ?? '', ...(local !== undefined && { file: path.resolve(dir, local) }), ...(pageOf.has(attr(f, 'ID') ?? '') && { page: pageOf.get(attr(f, 'ID') ?? '')! }) },
        key: pageOf.get(attr(f, 'ID') ?? '') ?? Number(attr(f, 'SEQ') ?? NaN),
        i,
      };
    });
    // Structure-map order, else SEQ, else the file section's order.
    files.sort((a, b) => (Number.isFinite(a.key) && Number.isFinite(b.key) ? a.key - b.key : a.i - b.i));
    const list = files.map((f) => f.entry);
    groups.push({ name, files: list, kind: groupKind(name, list) });
  });
  return groups;
}

/** Whether a METS file is inside the folder `dir` (image paths outside it are not imported). */
export function insideFolder(dir: string, file: string): boolean {
  const r = path.resolve(file);
  return r.startsWith(path.resolve(dir) + path.sep);
}
