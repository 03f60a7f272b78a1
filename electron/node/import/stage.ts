/**
 * Writes an import's pages into its staging folder (inside the project's
 * `.htr-studio/`, so the final move is a rename on the same disk), then links them
 * into the project in one short step that is undone if any file fails: until that
 * step, the project itself is untouched.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { readDocument, writeDocument, splitPages } from '../../common/formats/document-io.js';
import { readXmlFile } from '../io/files.js';
import { IMAGE_EXTENSIONS, XML_SUBFOLDERS } from '../project/scan.js';
import { ImportError, IMPORT_LIMITS } from './import-error.js';
import { renderPdfPage } from './pdf.js';
import { fetchImage } from './iiif.js';
import type { PlanContext, PlannedPage } from './plan-types.js';

export interface StagedPage {
  readonly name: string;
  /** Paths relative to the staging folder, which mirrors the project (image at the top, PAGE in page/). */
  readonly image: string | null;
  readonly xml: string | null;
}

/** A name safe on every file system, without path separators. */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const s = name.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return s || 'page';
}

/** Stems (lowercase) of the files already in the project's page places, so no import overwrites or merges with a page. */
export async function takenNames(root: string): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const dir of [root, ...XML_SUBFOLDERS.map((d) => path.join(root, d))]) {
    for (const e of await fs.readdir(dir).catch(() => [] as string[])) taken.add(path.basename(e, path.extname(e)).toLowerCase());
  }
  return taken;
}

function unique(name: string, taken: Set<string>): string {
  let n = safeName(name);
  for (let i = 2; taken.has(n.toLowerCase()); i++) n = `${safeName(name)}-${i}`;
  taken.add(n.toLowerCase());
  return n;
}

const FORMAT_EXT: Record<string, string> = { jpeg: '.jpg', png: '.png', tiff: '.tif', webp: '.webp' };

/** Brings one page's image into the staging folder; returns its file name. */
async function stageImage(p: PlannedPage, name: string, stage: string, ctx: PlanContext, linkFailed: () => void, usedLater: boolean): Promise<string | null> {
  const img = p.image;
  if (!img) return null;
  const limitInputPixels = IMPORT_LIMITS.maxPixels;
  switch (img.kind) {
    case 'file': {
      const file = `${name}${path.extname(img.file).toLowerCase()}`;
      const dst = path.join(stage, file);
      // Unpacked from a zip: moved, unless another page still needs the same file.
      if (img.transient && !usedLater) await fs.rename(img.file, dst);
      else if (img.transient) await fs.copyFile(img.file, dst);
      else if (ctx.options.reference) {
        // A hard link is the person's file itself, inside the project (the engine never reads through links out of it,
        // and never writes images); another disk cannot hold one, so the image is copied there.
        await fs.link(img.file, dst).catch(async () => {
          linkFailed();
          await fs.copyFile(img.file, dst);
        });
      } else await fs.copyFile(img.file, dst);
      return file;
    }
    case 'convert': {
      const file = `${name}.png`;
      await sharp(img.file, { limitInputPixels, ...(img.page !== undefined && { page: img.page }) }).png().toFile(path.join(stage, file));
      return file;
    }
    case 'pdf-page': {
      const file = `${name}.png`;
      await fs.writeFile(path.join(stage, file), await renderPdfPage(img.file, img.page, ctx.options.dpi ?? 300, ctx.warn));
      return file;
    }
    case 'url': {
      const cached = await fetchImage(img.url, img.cacheKey, ctx);
      let meta: Metadata;
      try {
        meta = await sharp(cached, { limitInputPixels }).metadata();
      } catch (e) {
        throw new ImportError(`${img.url} is not an image HTR Studio can read: ${(e as Error).message}`);
      }
      const known = meta.format && FORMAT_EXT[meta.format];
      const file = `${name}${known ?? '.png'}`;
      if (known) await fs.copyFile(cached, path.join(stage, file));
      else await sharp(cached, { limitInputPixels }).png().toFile(path.join(stage, file));
      return file;
    }
  }
}

/** Brings a page's transcription in as PAGE-XML naming the staged image: PAGE as it is (bytes kept when the name already fits), ALTO converted to PAGE 2019. */
async function stageXml(p: PlannedPage, name: string, image: string | null, stage: string, ctx: PlanContext): Promise<string | null> {
  if (!p.xml) return null;
  const text = await readXmlFile(p.xml);
  let read;
  try {
    read = readDocument(text);
  } catch (e) {
    throw new ImportError(`${p.xml}: ${(e as Error).message}`);
  }
  let doc = read.doc;
  const rel = `page/${name}.xml`;
  const out = path.join(stage, 'page', `${name}.xml`);
  await fs.mkdir(path.dirname(out), { recursive: true });
  if (doc.format.kind === 'alto') {
    const pages = splitPages(doc);
    if (pages.length > 1) ctx.warn(`${p.xml}: an ALTO file of ${pages.length} pages; only its first page is imported (split it with htr-studio convert first)`);
    doc = pages[0]!;
    const d = image ? { ...doc, page: { ...doc.page, imageFilename: image } } : doc;
    const written = writeDocument(d, 'page-2019');
    if (written.warnings.length) ctx.warn(`${p.xml}: converted from ALTO to PAGE 2019 with ${written.warnings.length} repair(s) (htr-studio convert --to page-2019 lists them)`);
    await fs.writeFile(out, written.xml);
    return rel;
  }
  // The image a PAGE file names is relative to the file: from page/, the image at the top is "../NAME.jpg";
  // but every reader here (and Transkribus) matches by base name, so the base name is what PAGE exports carry.
  if (!image || doc.page.imageFilename === image) await fs.writeFile(out, text);
  else await fs.writeFile(out, writeDocument({ ...doc, page: { ...doc.page, imageFilename: image } }).xml);
  return rel;
}

/** Stages every planned page under `stage`, with unique names beside those the project already has. */
export async function stagePages(planned: readonly PlannedPage[], root: string, stage: string, ctx: PlanContext): Promise<StagedPage[]> {
  await fs.mkdir(stage, { recursive: true });
  const taken = await takenNames(root);
  const out: StagedPage[] = [];
  let warnedLink = false;
  const linkFailed = (): void => {
    if (!warnedLink) ctx.warn('the images are on another disk than the project, so they were copied instead of linked');
    warnedLink = true;
  };
  const remaining = new Map<string, number>();
  for (const p of planned) if (p.image?.kind === 'file') remaining.set(p.image.file, (remaining.get(p.image.file) ?? 0) + 1);
  for (const [i, p] of planned.entries()) {
    ctx.options.signal?.throwIfAborted();
    const src = p.image?.kind === 'file' ? p.image.file : undefined;
    if (src) remaining.set(src, remaining.get(src)! - 1);
    ctx.options.onProgress?.({ phase: 'pages', done: i, total: planned.length, message: p.origin });
    const name = unique(p.name, taken);
    let image: string | null;
    try {
      image = await stageImage(p, name, stage, ctx, linkFailed, src !== undefined && remaining.get(src)! > 0);
    } catch (e) {
      if (e instanceof ImportError || (e as Error).name === 'AbortError') throw e;
      throw new ImportError(`${p.origin}: ${(e as Error).message}`);
    }
    const xml = await stageXml(p, name, image, stage, ctx);
    out.push({ name, image, xml });
  }
  ctx.options.onProgress?.({ phase: 'pages', done: planned.length, total: planned.length, message: '' });
  return out;
}

/** Whether a staged image file is one the project shows as a page. */
export const isProjectImage = (file: string): boolean => IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());

/**
 * Links every staged file into the project, never over an existing file (link(2) fails
 * on one); if any fails, the ones already placed are removed: all or nothing.
 */
export async function placeStaged(pages: readonly StagedPage[], root: string, stage: string): Promise<void> {
  const files = pages.flatMap((p) => [p.image, p.xml].filter((f): f is string => f !== null));
  const placed: string[] = [];
  const pageDir = path.join(root, 'page');
  const madePageDir = files.some((f) => f.startsWith('page/')) && !(await fs.stat(pageDir).catch(() => undefined)) ? await fs.mkdir(pageDir).then(() => true) : false;
  try {
    for (const f of files) {
      const target = path.join(root, ...f.split('/'));
      await fs.link(path.join(stage, ...f.split('/')), target).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') throw new ImportError(`${f} appeared in the project during the import; nothing was imported`);
        // No hard links on this file system (some network shares): a copy that refuses to overwrite.
        await fs.copyFile(path.join(stage, ...f.split('/')), target, fs.constants.COPYFILE_EXCL);
      });
      placed.push(target);
    }
  } catch (e) {
    for (const t of placed) await fs.rm(t, { force: true });
    if (madePageDir) await fs.rmdir(pageDir).catch(() => undefined);
    throw e;
  }
}
