/**
 * Finds the pages of a project folder: page images with their PAGE-XML (or ALTO)
 * beside them or in a `page/` subfolder, in the project's page order (htr-studio.json,
 * else by name). A transcription file is matched to its
 * image by the file name it declares, then by a shared base name; images with no
 * file are pages too (the editor starts them empty).
 *
 * A page's id is its image's path whenever it has one, so it stays the same
 * when the first save gives a bare image its XML file; a page without an image,
 * or a second transcription of an already claimed image, goes by its XML path.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PageSummary } from '../../common/api/service.js';
import { readProjectManifest } from './project-manifest.js';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp'];
const XML_EXTENSIONS = ['.xml', '.pxml'];
/** Subfolders searched for transcription files, besides the project folder itself. */
export const XML_SUBFOLDERS = ['page', 'alto'];

export interface ScannedPage extends Omit<PageSummary, 'status'> {
  /** Absolute paths; never leave the engine. */
  readonly xmlFile: string | null;
  readonly imageFile: string | null;
  /** The transcription is ALTO (else PAGE-XML, or none). */
  readonly alto?: boolean;
}

interface XmlHead {
  readonly isPage: boolean;
  readonly imageName?: string;
}

/** Reads the start of a file for the root element and the image name it declares. */
async function readHead(file: string): Promise<XmlHead | undefined> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8');
    if (/<(\w+:)?PcGts\b/.test(head)) {
      const m = /\bimageFilename\s*=\s*"([^"]*)"/.exec(head);
      return { isPage: true, ...(m && { imageName: detached(decodeEntities(m[1]!)) }) };
    }
    if (/<(\w+:)?alto\b/.test(head)) {
      const m = /<(?:\w+:)?fileName>([^<]*)</.exec(head);
      return { isPage: false, ...(m && { imageName: detached(decodeEntities(m[1]!.trim())) }) };
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Heads read at once: each holds a 64 kB buffer and its text until it is done, so
 * reading every file of a 500-page project at once held them all (peak memory grew
 * with the page count); a few at a time keeps the disk busy as well.
 */
const HEAD_READS_AT_ONCE = 16;

/** `fn` over `items` with at most `limit` running at once; results in input order. */
async function mapInTurns<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A copy that does not keep the 64 kB head it was cut from alive (V8 slices share their parent). */
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? _);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => path.join(dir, e.name));
}

const hasExt = (file: string, exts: readonly string[]): boolean => exts.includes(path.extname(file).toLowerCase());
const stem = (file: string): string => path.basename(file, path.extname(file));

/** The project-relative path with forward slashes: the page id form. */
export function relativeId(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** A test of whether a file (or folder), links followed, lies inside the project folder; the root resolved once. */
async function projectBounds(root: string): Promise<(file: string) => Promise<boolean>> {
  const realRoot = await fs.realpath(root).catch(() => path.resolve(root));
  return async (file) => {
    // A file not written yet: its folder decides.
    const real = await fs.realpath(file).catch(() => fs.realpath(path.dirname(file)).then((d) => path.join(d, path.basename(file)), () => null));
    return real !== null && (real === realRoot || real.startsWith(realRoot + path.sep));
  };
}

/** Whether `file` (a file or a folder), links followed, lies inside the project folder. */
export async function insideProject(root: string, file: string): Promise<boolean> {
  return (await projectBounds(root))(file);
}

export async function scanProject(root: string): Promise<ScannedPage[]> {
  // Files reached through a link to elsewhere (a page/ folder linked out, a linked image) are no pages:
  // the engine never reads or writes outside the project.
  const inside = await projectBounds(root);
  const keepInside = async (files: string[]): Promise<string[]> => (await Promise.all(files.map(async (f) => ((await inside(f)) ? f : null)))).filter((f): f is string => f !== null);
  const top = await keepInside(await listFiles(root));
  const images = top.filter((f) => hasExt(f, IMAGE_EXTENSIONS));
  const sub = await keepInside((await Promise.all(XML_SUBFOLDERS.map((d) => listFiles(path.join(root, d))))).flat());
  const xmlFiles = [...top, ...sub].filter((f) => hasExt(f, XML_EXTENSIONS));

  const imageByName = new Map(images.map((f) => [path.basename(f).toLowerCase(), f]));
  const imageByStem = new Map(images.map((f) => [stem(f).toLowerCase(), f]));
  const used = new Set<string>();
  const pages: ScannedPage[] = [];
  // PAGE files win over ALTO files for the same image: PAGE is what the editor writes.
  const heads = await mapInTurns(xmlFiles, HEAD_READS_AT_ONCE, async (f) => ({ file: f, head: await readHead(f).catch(() => undefined) }));
  heads.sort((a, b) => Number(b.head?.isPage) - Number(a.head?.isPage));
  for (const { file, head } of heads) {
    if (!head) continue; // METS, Transkribus metadata.xml and other XML: not pages.
    const declared = head.imageName ? path.basename(head.imageName.replace(/\\/g, '/')).toLowerCase() : undefined;
    const image = (declared && imageByName.get(declared)) || imageByStem.get(stem(file).toLowerCase()) || null;
    if (image && used.has(image) && !head.isPage) continue; // an ALTO twin of a PAGE file already listed
    const claimed = image !== null && used.has(image);
    if (image) used.add(image);
    pages.push({ ...page(root, file, image, claimed ? file : (image ?? file)), ...(!head.isPage && { alto: true }) });
  }
  for (const image of images) if (!used.has(image)) pages.push(page(root, null, image, image));
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  pages.sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.id, b.id));
  return inPageOrder(pages, (await readProjectManifest(root)).order);
}

/** Pages in the project's order (htr-studio.json `order`); those it does not list follow in the order given (by name). */
export function inPageOrder<T extends { readonly id: string }>(pages: readonly T[], order: readonly string[]): T[] {
  const pos = new Map(order.map((id, i) => [id, i]));
  const listed = pages.filter((p) => pos.has(p.id)).sort((a, b) => pos.get(a.id)! - pos.get(b.id)!);
  return [...listed, ...pages.filter((p) => !pos.has(p.id))];
}

function page(root: string, xmlFile: string | null, imageFile: string | null, idFile: string): ScannedPage {
  return {
    id: relativeId(root, idFile),
    name: stem(imageFile ?? idFile),
    xmlPath: xmlFile ? relativeId(root, xmlFile) : null,
    imagePath: imageFile ? relativeId(root, imageFile) : null,
    xmlFile,
    imageFile,
  };
}

/** Where a new transcription file for an image goes: `page/` when that folder exists (inside the project), else beside the image. */
export async function newXmlFileFor(root: string, imageFile: string): Promise<string> {
  const pageDir = path.join(root, 'page');
  const st = await fs.stat(pageDir).catch(() => undefined);
  const usePageDir = st?.isDirectory() && (await insideProject(root, pageDir));
  return path.join(usePageDir ? pageDir : path.dirname(imageFile), `${stem(imageFile)}.xml`);
}
