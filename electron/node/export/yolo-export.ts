/**
 * PAGE/ALTO ground truth → an Ultralytics detection dataset:
 *
 *   OUTDIR/images/{train,val}/NAME.jpg   page images (downscaled with --imgsz)
 *   OUTDIR/labels/{train,val}/NAME.txt   "class cx cy w h" per object, 0–1 of the page
 *   OUTDIR/data.yaml                     path, train, val, nc, names (fixed list)
 *   OUTDIR/pages.tsv                     name, split, document, source files, sizes, objects
 *   OUTDIR/export.json                   the figures printed at the end
 *
 * Boxes are the axis-aligned boxes of the line and region polygons, in the
 * coordinates the file declares (stored pixels, EXIF orientation not applied, as
 * HTR tools and the app's YOLO runner use them).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Region } from '../../common/model/types.js';
import { bbox } from '../../common/model/points.js';
import { structureOf } from '../../common/formats/alto-tags.js';
import { writeFileAtomic } from '../io/files.js';
import { findPageImage } from '../images/find-image.js';
import { MAX_PIXELS } from '../images/page-image.js';
import { linePolygon } from '../recognition/recognize-page.js';
import { segmontoType, yoloClassNames, type ClassSet } from './yolo-classes.js';
import { documentKey, pagesFromList, splitPages, type SplitBy } from './yolo-split.js';
import { readDocumentFile } from '../io/read-document.js';

export interface YoloExportOptions {
  readonly outDir: string;
  readonly classes: ClassSet;
  /** Long side of the written images; never enlarged. Absent: images kept at full size. */
  readonly imgsz?: number;
  readonly valFraction: number;
  readonly splitBy: SplitBy;
  /** Text of a --val-list file; overrides valFraction. */
  readonly valList?: string;
  readonly seed?: number;
  readonly warn: (line: string) => void;
  readonly progress?: (done: number, total: number) => void;
}

export interface YoloObject {
  readonly cls: number;
  /** Page pixels. */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

interface PageEntry {
  name: string;
  readonly xml: string;
  readonly image: string;
  readonly document: string;
  readonly width: number;
  readonly height: number;
  readonly objects: YoloObject[];
}

export interface YoloExportReport {
  readonly names: string[];
  readonly pages: { train: number; val: number };
  /** Objects per class name and split. */
  readonly objects: Record<string, { train: number; val: number }>;
  readonly documents: { train: number; val: number };
  /** Why pages or objects were left out, with counts. */
  readonly skipped: Record<string, number>;
  readonly failed: number;
  readonly unmatchedValList: string[];
}

const HEADER = '# htr-studio export --format yolo';

/** Objects of one page, in document order (a region, then its lines, then its subregions). */
export function pageObjects(regions: readonly Region[], classes: ClassSet, skip: (why: string) => void): YoloObject[] {
  const names = yoloClassNames(classes);
  const index = new Map(names.map((n, i) => [n, i]));
  const out: YoloObject[] = [];
  const add = (cls: number | undefined, pts: readonly { x: number; y: number }[] | undefined, what: string): void => {
    const b = pts && bbox(pts);
    if (cls === undefined) return;
    if (!b || b.maxX - b.minX < 1 || b.maxY - b.minY < 1) return skip(`${what} without an outline`);
    out.push({ cls, x1: b.minX, y1: b.minY, x2: b.maxX, y2: b.maxY });
  };
  const walk = (rs: readonly Region[]): void => {
    for (const r of rs) {
      if (classes !== 'lines') {
        const t = segmontoType(r.custom, 'zone');
        if (t) add(index.get(t), r.coords?.points, 'region');
        else if (r.coords) skip(`region without a SegmOnto type${structureOf(r.custom) ? ` ("${structureOf(r.custom)!.type}")` : ''}`);
      }
      if (classes !== 'regions') {
        for (const l of r.lines) add(index.get(segmontoType(l.custom, 'line') ?? 'DefaultLine'), linePolygon(l), 'line');
      }
      walk(r.regions);
    }
  };
  walk(regions);
  return out;
}

/** "cls cx cy w h" with boxes clipped to the page and normalised to it. */
export function labelLines(objects: readonly YoloObject[], width: number, height: number): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const x1 = Math.max(0, o.x1), y1 = Math.max(0, o.y1);
    const x2 = Math.min(width, o.x2), y2 = Math.min(height, o.y2);
    if (x2 - x1 < 1 || y2 - y1 < 1) continue;
    const f = (v: number): string => v.toFixed(6);
    out.push(`${o.cls} ${f((x1 + x2) / 2 / width)} ${f((y1 + y2) / 2 / height)} ${f((x2 - x1) / width)} ${f((y2 - y1) / height)}`);
  }
  return out;
}

export function dataYaml(outDir: string, names: readonly string[]): string {
  return [
    HEADER,
    '# Ultralytics dataset. If this folder moves, fix `path` (or delete it: the folder of this file is then used).',
    `path: ${JSON.stringify(path.resolve(outDir))}`,
    'train: images/train',
    'val: images/val',
    `nc: ${names.length}`,
    'names:',
    ...names.map((n, i) => `  ${i}: ${n}`),
    '',
  ].join('\n');
}

/** A fresh OUTDIR, or one this exporter wrote before (its dataset folders are replaced). */
async function prepareOutDir(outDir: string): Promise<void> {
  const entries = await fs.readdir(outDir).catch(() => [] as string[]);
  if (entries.length) {
    const yaml = await fs.readFile(path.join(outDir, 'data.yaml'), 'utf8').catch(() => '');
    if (!yaml.startsWith(HEADER)) throw new Error(`${outDir} is not empty and holds no earlier yolo export: choose an empty folder`);
    for (const d of ['images', 'labels']) await fs.rm(path.join(outDir, d), { recursive: true, force: true });
  }
  for (const d of ['images/train', 'images/val', 'labels/train', 'labels/val']) await fs.mkdir(path.join(outDir, d), { recursive: true });
}

/** Output names: the file stem, prefixed by its folder where stems repeat (iforal's 1.xml, 2.xml…). */
function assignNames(pages: PageEntry[]): void {
  const clean = (s: string): string => s.replace(/[^\p{L}\p{N}._-]+/gu, '_');
  const stemOf = (p: PageEntry): string => clean(path.basename(p.xml).replace(/\.[^.]+$/, ''));
  const count = new Map<string, number>();
  for (const p of pages) count.set(stemOf(p), (count.get(stemOf(p)) ?? 0) + 1);
  const used = new Set<string>();
  for (const p of pages) {
    let name = count.get(stemOf(p))! > 1 ? `${clean(path.basename(path.dirname(path.resolve(p.xml))))}_${stemOf(p)}` : stemOf(p);
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    used.add(name);
    p.name = name;
  }
}

/** Writes the page image: re-encoded as JPEG when downscaled or when it needs EXIF-free pixels. */
async function writeImage(src: string, dest: string, imgsz: number | undefined): Promise<{ width: number; height: number; srcW: number; srcH: number }> {
  const meta = await sharp(src, { limitInputPixels: MAX_PIXELS }).metadata();
  if (!meta.width || !meta.height) throw new Error(`image without a size: ${src}`);
  const ext = path.extname(src).toLowerCase();
  const copyable = !imgsz && (ext === '.jpg' || ext === '.jpeg' || ext === '.png') && (meta.orientation ?? 1) === 1;
  if (copyable) {
    await fs.copyFile(src, dest + ext);
    return { width: meta.width, height: meta.height, srcW: meta.width, srcH: meta.height };
  }
  // sharp drops EXIF on output, so viewers and Ultralytics see the stored pixels the boxes refer to.
  let img = sharp(src, { limitInputPixels: MAX_PIXELS }).removeAlpha();
  if (imgsz) img = img.resize(imgsz, imgsz, { fit: 'inside', withoutEnlargement: true });
  const info = await img.jpeg({ quality: 90 }).toFile(dest + '.jpg');
  return { width: info.width, height: info.height, srcW: meta.width, srcH: meta.height };
}

export async function exportYolo(inputs: readonly string[], opts: YoloExportOptions): Promise<YoloExportReport> {
  const names = yoloClassNames(opts.classes);
  const skipped: Record<string, number> = {};
  const skip = (why: string): void => void (skipped[why] = (skipped[why] ?? 0) + 1);
  let failed = 0;
  const pages: PageEntry[] = [];
  for (const input of inputs) {
    try {
      const { doc } = (await readDocumentFile(input));
      const image = findPageImage(input, doc.page.imageFilename);
      if (!image) {
        opts.warn(`skipped ${input}: image "${doc.page.imageFilename}" not found beside it or in its parent folders`);
        skip('page without its image');
        continue;
      }
      const objects = pageObjects(doc.page.regions, opts.classes, skip);
      if (!objects.length) {
        skip(`page without ${opts.classes === 'both' ? 'lines or zones' : opts.classes === 'lines' ? 'lines' : 'SegmOnto zones'}`);
        continue;
      }
      pages.push({ name: '', xml: input, image, document: documentKey(input), width: doc.page.imageWidth, height: doc.page.imageHeight, objects });
    } catch (e) {
      failed++;
      opts.warn(`error: ${input}: ${(e as Error).message}`);
    }
  }
  assignNames(pages);

  let val: Set<string>;
  let unmatched: string[] = [];
  if (opts.valList !== undefined) ({ val, unmatched } = pagesFromList(pages, opts.valList));
  else val = splitPages(pages, opts.valFraction, opts.splitBy, opts.seed ?? 0);
  for (const u of unmatched) opts.warn(`--val-list: "${u}" names no exported page`);

  await prepareOutDir(opts.outDir);
  const objects: Record<string, { train: number; val: number }> = Object.fromEntries(names.map((n) => [n, { train: 0, val: 0 }]));
  const docs = { train: new Set<string>(), val: new Set<string>() };
  const counts = { train: 0, val: 0 };
  const index = ['name\tsplit\tdocument\txml\timage\twidth\theight\tsource_width\tsource_height\tobjects'];
  for (const [i, p] of pages.entries()) {
    const split = val.has(p.name) ? 'val' : 'train';
    try {
      const out = await writeImage(p.image, path.join(opts.outDir, 'images', split, p.name), opts.imgsz);
      // Boxes are in the file's declared frame; an image stored at another scale (same aspect) is fine.
      const [frameW, frameH] = p.width > 0 && p.height > 0 ? [p.width, p.height] : [out.srcW, out.srcH];
      if (Math.abs(frameW / frameH - out.srcW / out.srcH) > 0.01 * (out.srcW / out.srcH)) {
        opts.warn(`${p.xml}: declares ${frameW}×${frameH} but the image is ${out.srcW}×${out.srcH}, another aspect ratio; boxes may be off`);
      }
      const labels = labelLines(p.objects, frameW, frameH);
      await fs.writeFile(path.join(opts.outDir, 'labels', split, `${p.name}.txt`), labels.length ? labels.join('\n') + '\n' : '');
      for (const l of labels) objects[names[Number(l.split(' ')[0])]!]![split]++;
      counts[split]++;
      docs[split].add(p.document);
      index.push([p.name, split, p.document, p.xml, p.image, out.width, out.height, frameW, frameH, labels.length].join('\t'));
    } catch (e) {
      failed++;
      opts.warn(`error: ${p.xml}: ${(e as Error).message}`);
    }
    opts.progress?.(i + 1, pages.length);
  }
  const report: YoloExportReport = {
    names,
    pages: counts,
    objects,
    documents: { train: docs.train.size, val: docs.val.size },
    skipped,
    failed,
    unmatchedValList: unmatched,
  };
  await writeFileAtomic(path.join(opts.outDir, 'pages.tsv'), index.join('\n') + '\n');
  await writeFileAtomic(path.join(opts.outDir, 'export.json'), JSON.stringify({ ...report, classes: opts.classes, imgsz: opts.imgsz ?? null }, null, 1) + '\n');
  await writeFileAtomic(path.join(opts.outDir, 'data.yaml'), dataYaml(opts.outDir, names));
  return report;
}
