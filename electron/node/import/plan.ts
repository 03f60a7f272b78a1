/**
 * Turns what the person named (files, folders, zips, METS, PDFs, IIIF manifests)
 * into the pages an import will make, in order. Reads sources, writes nothing in the
 * project: zips are unpacked into the import's own staging folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { scanProject, IMAGE_EXTENSIONS } from '../project/scan.js';
import { findPageImage } from '../images/find-image.js';
import { ImportError } from './import-error.js';
import { readMets, insideFolder, type MetsGroup } from './mets.js';
import { metsOwnership } from '../../common/formats/mets-write.js';
import { MANIFEST_NAME } from '../project/project-manifest.js';
import { isZipFile, unzipSafely } from './zip.js';
import { isPdfFile, planPdf } from './pdf.js';
import { planIiif, isIiifManifestText } from './iiif.js';
import type { PlanContext, PlannedImage, PlannedPage } from './plan-types.js';

/** Images sharp reads that the project does not hold as they are: converted to PNG on import. */
const CONVERTED_EXTENSIONS = ['.jp2', '.j2k', '.jpx', '.jpf', '.gif', '.bmp', '.avif', '.heic'];
const XML_EXTENSIONS = ['.xml', '.pxml'];
const ext = (f: string): string => path.extname(f).toLowerCase();
const stem = (f: string): string => path.basename(f, path.extname(f));

/** The root element of an XML file and, for PAGE/ALTO, the image name it declares (from its first 64 kB). */
async function xmlHead(file: string): Promise<{ kind: 'page' | 'alto' | 'mets' | 'other'; image?: string }> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8');
    const unescape = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    if (/<(\w+:)?PcGts\b/.test(head)) {
      const m = /\bimageFilename\s*=\s*"([^"]*)"/.exec(head);
      return { kind: 'page', ...(m && { image: unescape(m[1]!) }) };
    }
    if (/<(\w+:)?alto\b/.test(head)) {
      const m = /<(?:\w+:)?fileName>([^<]*)</.exec(head);
      return { kind: 'alto', ...(m && { image: unescape(m[1]!.trim()) }) };
    }
    if (/<(\w+:)?mets\b/.test(head)) return { kind: 'mets' };
    return { kind: 'other' };
  } finally {
    await h.close();
  }
}

/** One image file as pages: a multi-page TIFF gives one page per TIFF page; what sharp cannot read is refused. */
async function imagePages(file: string, transient: boolean, origin: string): Promise<PlannedPage[]> {
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch (e) {
    const what = CONVERTED_EXTENSIONS.includes(ext(file)) && ext(file).startsWith('.j') ? ' (this build of sharp has no JPEG 2000 support: convert it to TIFF or PNG first)' : '';
    throw new ImportError(`${path.basename(file)} is not an image HTR Studio can read${what}: ${(e as Error).message}`);
  }
  const pages = meta.pages ?? 1;
  if (pages > 1 && (meta.format === 'tiff' || meta.format === 'gif')) {
    const width = String(pages).length < 4 ? 4 : String(pages).length;
    return Array.from({ length: pages }, (_, i) => ({ name: `${stem(file)}_${String(i + 1).padStart(width, '0')}`, image: { kind: 'convert', file, page: i } as PlannedImage, origin: `${origin} page ${i + 1}` }));
  }
  const image: PlannedImage = IMAGE_EXTENSIONS.includes(ext(file)) ? { kind: 'file', file, transient } : { kind: 'convert', file };
  return [{ name: stem(file), image, origin }];
}

/** Pages of a folder that is not a METS workspace: images with their PAGE/ALTO matched as a project matches them. */
async function planPlainFolder(dir: string, transient: boolean): Promise<PlannedPage[]> {
  const scanned = await scanProject(dir);
  const pages: PlannedPage[] = [];
  for (const p of scanned) {
    if (p.imageFile) {
      const [first, ...more] = await imagePages(p.imageFile, transient, p.imageFile);
      pages.push({ ...first!, ...(p.xmlFile && { xml: p.xmlFile }) }, ...more);
    } else if (p.xmlFile) {
      pages.push({ name: p.name, image: null, xml: p.xmlFile, origin: p.xmlFile });
    }
  }
  // Images the project format does not hold as they are (JPEG 2000…): converted.
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    if (e.isFile() && CONVERTED_EXTENSIONS.includes(ext(e.name))) pages.push(...(await imagePages(path.join(dir, e.name), transient, path.join(dir, e.name))));
  }
  return pages;
}

/**
 * An HTR Studio project with the mets.xml HTR Studio keeps: read as a project (its own
 * matching and page order), which also brings the ALTO files a project may hold and its
 * METS lists apart from the PAGE group the METS reading takes.
 */
async function isHtrStudioProject(dir: string, mets: string): Promise<boolean> {
  if (!(await fs.stat(path.join(dir, MANIFEST_NAME)).then((s) => s.isFile(), () => false))) return false;
  return metsOwnership(await fs.readFile(mets, 'utf8')).ours;
}

/** A folder: a METS workspace or export (mets.xml), else its images and transcriptions, else its subfolders (an export of several documents). */
async function planFolder(dir: string, ctx: PlanContext, transient: boolean, depth = 0): Promise<PlannedPage[]> {
  const mets = path.join(dir, 'mets.xml');
  if (await fs.stat(mets).then((s) => s.isFile(), () => false) && !(await isHtrStudioProject(dir, mets))) return planMets(mets, ctx, transient);
  const pages = await planPlainFolder(dir, transient);
  if (pages.length || depth >= 3) return pages;
  const subs = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('__MACOSX')).map((e) => e.name);
  subs.sort(new Intl.Collator(undefined, { numeric: true }).compare);
  const out: PlannedPage[] = [];
  for (const s of subs) out.push(...(await planFolder(path.join(dir, s), ctx, transient, depth + 1)));
  return out;
}

const IMAGE_GROUP_PREFERENCE = ['OCR-D-IMG', 'IMG', 'MAX', 'DEFAULT', 'ORIGINAL', 'MASTER'];

const exists = (f: string): Promise<boolean> => fs.stat(f).then((s) => s.isFile(), () => false);

/** Picks the image group and the PAGE group of a METS file: those the person named, else the usual ones. */
async function pickGroups(metsFile: string, groups: MetsGroup[], wanted: readonly string[], warn: (m: string) => void): Promise<{ images?: MetsGroup; page?: MetsGroup }> {
  const byName = (n: string): MetsGroup | undefined => groups.find((g) => g.name === n) ?? groups.find((g) => g.name.toLowerCase() === n.toLowerCase());
  for (const w of wanted) {
    if (!byName(w)) throw new ImportError(`${metsFile} has no file group "${w}"; it has ${groups.map((g) => g.name).join(', ')}`);
  }
  const named = wanted.map((w) => byName(w)!);
  const present = async (g: MetsGroup): Promise<boolean> => {
    for (const f of g.files) if (f.file && insideFolder(path.dirname(metsFile), f.file) && (await exists(f.file))) return true;
    return false;
  };
  let images = named.find((g) => g.kind === 'image' || (g.kind === 'other' && g.files.some((f) => f.mimetype.startsWith('image/'))));
  if (!images) {
    const candidates = groups.filter((g) => g.kind === 'image');
    candidates.sort((a, b) => rank(a.name) - rank(b.name));
    for (const g of candidates) if (await present(g)) { images = g; break; }
  }
  let page = named.find((g) => g.kind === 'page' || (g !== images && g.files.some((f) => f.mimetype.includes('xml'))));
  if (!page) {
    const pageGroups: MetsGroup[] = [];
    for (const g of groups.filter((x) => x.kind === 'page')) if (await present(g)) pageGroups.push(g);
    // Ground truth first (OCR-D's GT groups), else the first with files.
    page = pageGroups.find((g) => /GT/i.test(g.name)) ?? pageGroups[0];
    if (pageGroups.length > 1) warn(`${metsFile}: PAGE from file group ${page!.name}; the others (${pageGroups.filter((g) => g !== page).map((g) => g.name).join(', ')}) are left out (choose one with --file-group)`);
  }
  return { ...(images && { images }), ...(page && { page }) };
}

function rank(name: string): number {
  const i = IMAGE_GROUP_PREFERENCE.indexOf(name.toUpperCase());
  return i < 0 ? IMAGE_GROUP_PREFERENCE.length : i;
}

/** A Transkribus export folder or an OCR-D workspace: the images of the image group in page order, each with its PAGE file. */
async function planMets(metsFile: string, ctx: PlanContext, transient: boolean): Promise<PlannedPage[]> {
  const dir = path.dirname(metsFile);
  const groups = await readMets(metsFile);
  const { images, page } = await pickGroups(metsFile, groups, ctx.options.fileGroups ?? [], ctx.warn);
  const inside = (f: string | undefined): f is string => f !== undefined && insideFolder(dir, f);
  const pageFiles: string[] = [];
  // The PAGE file of each physical page, where the structure map pairs them.
  const pageFileOf = new Map<number, string>();
  let missingPage = 0;
  let missingImages = 0;
  for (const f of page?.files ?? []) {
    if (inside(f.file) && (await exists(f.file))) {
      pageFiles.push(f.file);
      if (f.page !== undefined) pageFileOf.set(f.page, f.file);
    } else missingPage++;
  }
  // PAGE files by the image they declare (base name) and by their own stem.
  const byImage = new Map<string, string>();
  const byStem = new Map<string, string>();
  for (const f of pageFiles) {
    const head = await xmlHead(f);
    if (head.image) byImage.set(path.basename(head.image.replace(/\\/g, '/')).toLowerCase(), f);
    byStem.set(stem(f).toLowerCase(), f);
  }
  const used = new Set<string>();
  const pages: PlannedPage[] = [];
  for (const f of images?.files ?? []) {
    if (!inside(f.file) || !(await exists(f.file))) {
      missingImages++;
      continue;
    }
    const paired = f.page !== undefined ? pageFileOf.get(f.page) : undefined;
    const xml = (paired && !used.has(paired) ? paired : undefined) ?? byImage.get(path.basename(f.file).toLowerCase()) ?? byStem.get(stem(f.file).toLowerCase());
    const [first, ...more] = await imagePages(f.file, transient, f.file);
    if (xml) used.add(xml);
    pages.push({ ...first!, ...(xml && { xml }) }, ...more);
  }
  // PAGE files whose image the image group does not list (or no image group at all): their own image, if found.
  for (const f of pageFiles.filter((x) => !used.has(x))) {
    const head = await xmlHead(f);
    const img = head.image ? findPageImage(f, head.image) : undefined;
    if (img && insideFolder(dir, img)) {
      const [first, ...more] = await imagePages(img, transient, img);
      pages.push({ ...first!, xml: f }, ...more);
    } else pages.push({ name: stem(f), image: null, xml: f, origin: f });
  }
  // Exports and workspaces often list more than they hold (OCR-D fetches files on demand).
  if (missingImages || missingPage) ctx.warn(`${metsFile}: ${missingImages} image(s) of group ${images?.name ?? '-'} and ${missingPage} PAGE file(s) of group ${page?.name ?? '-'} it lists are not in the folder (or are URLs); skipped`);
  if (!pages.length) throw new ImportError(`${metsFile}: none of the files it lists is in its folder; nothing to import`);
  return pages;
}

/** Loose PAGE/ALTO files and images named together: each transcription matched to an image named with it, else to the one it declares beside it. */
async function matchLoose(images: PlannedPage[], xmls: string[], ctx: PlanContext): Promise<PlannedPage[]> {
  const pages = [...images];
  const imageOf = (p: PlannedPage): string | undefined => (p.image && p.image.kind !== 'url' && p.image.kind !== 'pdf-page' ? p.image.file : undefined);
  for (const xml of xmls) {
    const head = await xmlHead(xml);
    const declared = head.image ? path.basename(head.image.replace(/\\/g, '/')).toLowerCase() : undefined;
    const free = pages.filter((p) => !p.xml && imageOf(p));
    const hit = free.find((p) => declared && path.basename(imageOf(p)!).toLowerCase() === declared) ?? free.find((p) => stem(imageOf(p)!).toLowerCase() === stem(xml).toLowerCase());
    if (hit) {
      pages[pages.indexOf(hit)] = { ...hit, xml };
      continue;
    }
    const found = head.image ? findPageImage(xml, head.image) : undefined;
    if (found) {
      const [first, ...more] = await imagePages(found, false, found);
      pages.push({ ...first!, xml }, ...more);
    } else {
      ctx.warn(`${xml}: its image${head.image ? ` "${head.image}"` : ''} was not found; imported as a page without an image`);
      pages.push({ name: stem(xml), image: null, xml, origin: xml });
    }
  }
  return pages;
}

/** The name of the document a source becomes: a folder's or file's name (a mets.xml's folder), a IIIF manifest's last path step. */
export function documentName(source: string): string {
  if (/^https?:\/\//i.test(source)) {
    const url = new URL(source);
    const steps = url.pathname.split('/').filter((s) => s && !/^manifest(\.json)?$/i.test(s));
    return decodeURIComponent(steps.at(-1) ?? url.hostname);
  }
  const abs = path.resolve(source);
  if (path.basename(abs).toLowerCase() === 'mets.xml') return path.basename(path.dirname(abs));
  return path.basename(abs).replace(/\.(zip|pdf|json|jsonld|xml)$/i, '') || path.basename(abs);
}

export async function planSources(sources: readonly string[], ctx: PlanContext): Promise<PlannedPage[]> {
  if (!sources.length) throw new ImportError('nothing to import: name files, folders, zips, PDFs or IIIF manifests');
  // Each source's pages make one document; loose images and PAGE/ALTO files named together make one, named after the first one's folder.
  const out: PlannedPage[] = [];
  const push = (source: string, pages: readonly PlannedPage[]): void => {
    out.push(...pages.map((p) => ({ ...p, document: documentName(source) })));
  };
  const looseImages: PlannedPage[] = [];
  const looseXml: string[] = [];
  let firstLoose: string | undefined;
  for (const source of sources) {
    ctx.options.signal?.throwIfAborted();
    if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-zA-Z]:[\\/]/.test(source)) {
      if (!/^https?:\/\//i.test(source)) throw new ImportError(`${source}: only http:// and https:// addresses are imported (IIIF manifests)`);
      push(source, await planIiif(source, ctx));
      continue;
    }
    const st = await fs.stat(source).catch(() => undefined);
    if (!st) throw new ImportError(`${source}: no such file or folder`);
    const real = await fs.realpath(source);
    const realRoot = await fs.realpath(ctx.projectRoot);
    if (real === realRoot || real.startsWith(realRoot + path.sep)) throw new ImportError(`${source} is in the project already; import from outside it`);
    if (st.isDirectory()) {
      const pages = await planFolder(source, ctx, false);
      if (!pages.length) throw new ImportError(`${source}: no images, PAGE-XML or ALTO found in this folder`);
      push(source, pages);
      continue;
    }
    if (await isZipFile(source)) {
      const dir = await ctx.scratch();
      await unzipSafely(source, dir, undefined, ctx.options.signal);
      const pages = await planFolder(dir, ctx, true);
      if (!pages.length) throw new ImportError(`${source}: no images, PAGE-XML or ALTO found in this zip`);
      push(source, pages);
      continue;
    }
    if (await isPdfFile(source)) {
      push(source, await planPdf(source, ctx));
      continue;
    }
    if (ext(source) === '.pdf') throw new ImportError(`${source} is not a PDF (it does not start with %PDF-)`);
    if (ext(source) === '.zip') throw new ImportError(`${source} is not a zip file`);
    if (ext(source) === '.json' || ext(source) === '.jsonld') {
      const text = await fs.readFile(source, 'utf8');
      if (!isIiifManifestText(text)) throw new ImportError(`${source} is not a IIIF Presentation manifest`);
      push(source, await planIiif(source, ctx));
      continue;
    }
    if (XML_EXTENSIONS.includes(ext(source))) {
      const head = await xmlHead(source);
      if (head.kind === 'mets') push(source, await planMets(source, ctx, false));
      else if (head.kind === 'page' || head.kind === 'alto') {
        looseXml.push(source);
        firstLoose ??= source;
      }
      else throw new ImportError(`${source} is neither PAGE-XML, ALTO nor METS`);
      continue;
    }
    if (IMAGE_EXTENSIONS.includes(ext(source)) || CONVERTED_EXTENSIONS.includes(ext(source))) {
      looseImages.push(...(await imagePages(source, false, source)));
      firstLoose ??= source;
      continue;
    }
    throw new ImportError(`${source}: not something HTR Studio imports (images, PDF, PAGE-XML, ALTO, METS, zip, IIIF manifest)`);
  }
  const loose = await matchLoose(looseImages, looseXml, ctx);
  return [...out, ...loose.map((p) => ({ ...p, document: path.basename(path.dirname(path.resolve(firstLoose!))) }))];
}
