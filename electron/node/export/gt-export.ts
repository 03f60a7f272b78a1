/**
 * Ground truth out of a project for whichever trainer or catalogue takes it:
 * documents (PAGE 2019 / 2013, ALTO 4, plain text) and line pairs in each trainer's
 * layout (kraken, Calamari and tesstrain read NAME.png + NAME.gt.txt; PyLaia an image
 * folder and "ID c h a r s" lists; Loghi "path<TAB>text" lists), filtered by page
 * status (htr-studio.json) and split train/validation/test by document.
 *
 * Before line pairs are written the ground-truth checker looks at every page: lines
 * that would teach a trainer wrong pixels or wrong text (a degenerate or self-crossing
 * polygon, a baseline outside its line, machine text nobody confirmed on a page marked
 * Ground truth) stop the export unless `force`, which leaves those lines out and
 * counts them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PageStatus } from '../../common/api/service.js';
import { targetOfExportFormat, writeDocument } from '../../common/formats/document-io.js';
import type { PageDocument } from '../../common/model/types.js';
import { allLines, lineText } from '../../common/model/stats.js';
import { regionsInReadingOrder, findRegion } from '../../common/model/ops.js';
import { checkGroundTruth, type GtRule } from '../../common/gt/gt-checks.js';
import { writeFileAtomic } from '../io/files.js';
import { targetDocumentFormat } from '../../common/formats/target-format.js';
import { assertSchemaValid, findSchemaFolder } from '../xsd/schema-folder.js';
import { findPageImage } from '../images/find-image.js';
import { loadGrey } from '../images/page-image.js';
import { LinePairWriter, type LineCutter } from './line-pairs.js';
import { cutLine } from '../images/line-cut.js';
import { linePolygon } from '../recognition/recognize-page.js';
import { documentKey, splitPages, type SplitPage } from './yolo-split.js';
import { MANIFEST_NAME, readProjectManifest } from '../project/project-manifest.js';
import { MetsExportWriter } from './mets-export.js';

export { DOCUMENT_EXPORT_FORMATS as DOCUMENT_FORMATS, TRAINER_EXPORT_FORMATS as TRAINER_FORMATS } from '../../common/api/service.js';
import { DOCUMENT_EXPORT_FORMATS as DOCUMENT_FORMATS, TRAINER_EXPORT_FORMATS as TRAINER_FORMATS } from '../../common/api/service.js';
import { readDocumentFile } from '../io/read-document.js';
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export type TrainerFormat = (typeof TRAINER_FORMATS)[number];


/** Checker rules that make a trainer learn the wrong thing from a line. */
export const BREAKING_RULES: readonly GtRule[] = ['polygon-degenerate', 'polygon-self-intersecting', 'baseline-outside-line', 'gt-unconfirmed'];

export type SplitName = 'train' | 'val' | 'test';

export interface Split {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

/** "80/10/10" (or "90/10"): shares of pages for train, validation and test. */
export function parseSplit(text: string): Split {
  const parts = text.split('/').map((p) => Number(p.trim()));
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) throw new Error(`--split: expected TRAIN/VAL[/TEST] percentages such as 80/10/10, got "${text}"`);
  const [train, val, test = 0] = parts as [number, number, number?];
  const sum = train + val + test;
  if (Math.abs(sum - 100) > 0.5 || train <= 0) throw new Error(`--split: the shares must add up to 100 with some for training (got ${sum})`);
  return { train: train / 100, val: val / 100, test: test / 100 };
}

/** Who made a page file and what it says of itself (PAGE Metadata), for the export manifest's attribution. */
export interface PageMaker {
  readonly creator?: string;
  readonly comments?: string;
}

/**
 * A page chosen for export, without its document: pages are read once to choose and
 * check them and again when written, so that an export's memory does not grow with
 * its page count (a parsed page is ~100× its file).
 */
export interface GtPage {
  readonly xml: string;
  readonly image: string | undefined;
  readonly maker: PageMaker;
  readonly status: PageStatus;
  readonly name: string;
  /** The project document the page is in (htr-studio.json); undefined: none recorded, documentKey guesses from the file name. */
  readonly document?: string;
}

/** The project folder holding htr-studio.json for a page file: its folder or the one above (page/). */
export async function projectOf(xmlFile: string): Promise<string | undefined> {
  for (const dir of [path.dirname(path.resolve(xmlFile)), path.dirname(path.dirname(path.resolve(xmlFile)))]) {
    if (await fs.stat(path.join(dir, MANIFEST_NAME)).then(() => true, () => false)) return dir;
  }
  return undefined;
}

/**
 * A page's status and document as the project records them (page id = the image's path
 * relative to the project): new when none; no document when it is in none (the split
 * then groups it by its file name, documentKey, as pages outside a project are).
 */
async function projectFactsOf(xmlFile: string, image: string | undefined): Promise<{ status: PageStatus; document?: string }> {
  const root = await projectOf(xmlFile);
  if (!root || !image) return { status: 'new' };
  const id = path.relative(root, image).split(path.sep).join('/');
  const manifest = await readProjectManifest(root);
  const document = manifest.documents.find((d) => d.pages.includes(id))?.name;
  return { status: manifest.pages[id]?.status ?? 'new', ...(document !== undefined && { document }) };
}

/** A page's document as split.tsv and the export manifest name it. */
const documentName = (p: GtPage): string => p.document ?? path.basename(documentKey(p.xml));

/** Distinct output stems: a second "page.xml" from another folder becomes page_2. */
function uniqueStems(inputs: readonly string[]): string[] {
  const used = new Set<string>();
  return inputs.map((f) => {
    let stem = path.basename(f).replace(/\.[^.]+$/, '');
    if (used.has(stem)) {
      let k = 2;
      while (used.has(`${stem}_${k}`)) k++;
      stem = `${stem}_${k}`;
    }
    used.add(stem);
    return stem;
  });
}

/** Which split each page goes to: whole documents, by a seeded hash (yolo-split.ts). */
export function assignSplits(pages: readonly { name: string; xml: string; document?: string }[], split: Split | undefined, seed = 0): Map<string, SplitName> {
  const out = new Map<string, SplitName>(pages.map((p) => [p.name, 'train']));
  if (!split) return out;
  const units: SplitPage[] = pages.map((p) => ({ name: p.name, xml: p.xml, document: p.document ?? documentKey(p.xml) }));
  const test = split.test > 0 ? splitPages(units, split.test, 'document', seed + 1) : new Set<string>();
  const rest = units.filter((u) => !test.has(u.name));
  const val = split.val > 0 ? splitPages(rest, split.val / (1 - split.test), 'document', seed) : new Set<string>();
  for (const n of test) out.set(n, 'test');
  for (const n of val) out.set(n, 'val');
  return out;
}

/** A page's lines in reading order, as plain text: one line of text per line. */
export function pageText(doc: PageDocument): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const id of regionsInReadingOrder(doc)) {
    for (const l of findRegion(doc, id)?.lines ?? []) {
      seen.add(l.id);
      lines.push(lineText(l));
    }
  }
  for (const l of allLines(doc.page.regions)) if (!seen.has(l.id)) lines.push(lineText(l));
  return lines.join('\n') + '\n';
}

/** Lines cut along their polygon, straightened along their baseline, contrast stretched: `export`'s default cut. */
export function plainCutter(opts: { straighten?: 'dewarp' | 'none'; contrast?: boolean; height?: number } = {}): LineCutter {
  return (page, l) => cutLine(page, linePolygon(l)!, l.baseline?.points, { straighten: opts.straighten ?? 'dewarp', contrast: opts.contrast ?? true, ...(opts.height && { height: opts.height }) });
}

export interface GtExportOptions {
  readonly format: DocumentFormat | TrainerFormat;
  readonly outDir: string;
  readonly statuses?: readonly PageStatus[];
  readonly split?: Split;
  readonly seed?: number;
  /** Leave out lines the checker finds breaking instead of refusing the export. */
  readonly force?: boolean;
  readonly cut: LineCutter;
  readonly warn: (line: string) => void;
  readonly progress?: (done: number, total: number) => void;
  /**
   * Loghi's lists name images relative to outDir instead of by absolute path: for an
   * export that is zipped (the folder it is written in is not where it will be read).
   */
  readonly relativeListPaths?: boolean;
}

export interface GtExportResult {
  readonly pages: Record<SplitName, number>;
  readonly lines: Record<SplitName, number>;
  /** Pages left out by --status. */
  readonly filtered: number;
  readonly failed: number;
  readonly skipped: Readonly<Record<string, number>>;
  /** Breaking problems found (refused without force). */
  readonly breaking: Readonly<Record<string, number>>;
  readonly refused: boolean;
  /** The pages written, in input order, with where each went (the export manifest lists them). */
  readonly exported: readonly ExportedPage[];
}

/** One page of an export: its source files, its split and how many lines it gave. */
export interface ExportedPage {
  readonly name: string;
  readonly xml: string;
  readonly image: string | undefined;
  readonly status: PageStatus;
  readonly split: SplitName;
  /** The page's document (GtPage.document), as split.tsv names it. */
  readonly document: string;
  readonly lines: number;
  readonly maker: PageMaker;
}

export async function exportGroundTruth(inputs: readonly string[], o: GtExportOptions): Promise<GtExportResult> {
  const stems = uniqueStems(inputs);
  const pages: GtPage[] = [];
  let failed = 0;
  let filtered = 0;
  const lineFormat = (TRAINER_FORMATS as readonly string[]).includes(o.format);
  // The checker first, as pages are read: a refused export writes nothing.
  const breaking: Record<string, number> = {};
  const leaveOut = new Map<string, Map<string, string>>();
  for (const [i, xml] of inputs.entries()) {
    try {
      const doc = (await readDocumentFile(xml)).doc;
      const image = findPageImage(xml, doc.page.imageFilename);
      const { status, document } = await projectFactsOf(xml, image);
      if (o.statuses && !o.statuses.includes(status)) {
        filtered++;
        continue;
      }
      pages.push({ xml, image, maker: { ...(doc.metadata.creator !== undefined && { creator: doc.metadata.creator }), ...(doc.metadata.comments !== undefined && { comments: doc.metadata.comments }) }, status, name: stems[i]!, ...(document !== undefined && { document }) });
      if (lineFormat) {
        const found = checkGroundTruth(doc, { markedGroundTruth: status === 'ground-truth' }).filter((x) => x.id && BREAKING_RULES.includes(x.rule));
        const out = new Map<string, string>();
        for (const x of found) {
          breaking[x.rule] = (breaking[x.rule] ?? 0) + 1;
          out.set(x.id, `checker: ${x.rule}`);
        }
        leaveOut.set(stems[i]!, out);
      }
    } catch (e) {
      failed++;
      o.warn(`error: ${xml}: ${(e as Error).message}`);
    }
  }
  const nBreaking = Object.values(breaking).reduce((a, b) => a + b, 0);
  const empty = { train: 0, val: 0, test: 0 };
  if (nBreaking && !o.force) return { pages: empty, lines: empty, filtered, failed, skipped: {}, breaking, refused: true, exported: [] };

  const splits = assignSplits(pages, o.split, o.seed);
  const dirOf = (s: SplitName): string => (o.split ? path.join(o.outDir, s) : o.outDir);
  const pageCounts = { train: 0, val: 0, test: 0 };
  const lineCounts = { train: 0, val: 0, test: 0 };
  const skipped: Record<string, number> = {};
  const writers = new Map<SplitName, LinePairWriter>();
  // --format mets: one OCR-D workspace (mets.xml) per split folder.
  const metsWriters = new Map<SplitName, MetsExportWriter>();
  const splitRows = ['page\tsplit\tdocument\tstatus\tsource'];
  const exported: ExportedPage[] = [];
  await fs.mkdir(o.outDir, { recursive: true });
  const schemaFolder = findSchemaFolder();
  let schemaWarned = false;
  for (const [n, p] of pages.entries()) {
    const s = splits.get(p.name) ?? 'train';
    splitRows.push([p.name, s, documentName(p), p.status, p.xml].map((v) => v.replace(/\t/g, ' ')).join('\t'));
    const linesBefore = lineCounts[s];
    try {
      const doc = (await readDocumentFile(p.xml)).doc;
      if (lineFormat) {
        if (!p.image) throw new Error(`image "${doc.page.imageFilename}" not found beside ${p.xml} or in its parent folder`);
        let w = writers.get(s);
        if (!w) writers.set(s, (w = new LinePairWriter(o.format === 'pylaia' ? path.join(dirOf(s), 'images') : dirOf(s), o.cut)));
        w.leaveOut = leaveOut.get(p.name) ?? new Map();
        const before = w.written;
        await w.addPage(doc, await loadGrey(p.image, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight }), p.name, path.basename(p.xml), p.xml);
        lineCounts[s] += w.written - before;
      } else {
        await fs.mkdir(dirOf(s), { recursive: true });
        if (o.format === 'text') await writeFileAtomic(path.join(dirOf(s), `${p.name}.txt`), pageText(doc));
        else if (o.format === 'mets') {
          let m = metsWriters.get(s);
          if (!m) metsWriters.set(s, (m = new MetsExportWriter(dirOf(s))));
          await m.addPage(p.name, doc, p.image, o.warn);
        }
        else {
          const target = targetOfExportFormat(o.format);
          if (!target) throw new Error(`export format ${o.format} names no document target`);
          const r = writeDocument(doc, target);
          for (const w of r.warnings) o.warn(`${p.xml}: ${w}`);
          // Checked against the target's official XSD before it is written: a page that fails is an error, never a quiet success.
          const skipped = await assertSchemaValid(r.xml, targetDocumentFormat(target), `${p.xml} as ${target}`, schemaFolder);
          if (skipped && (schemaFolder || !schemaWarned)) o.warn(`${schemaFolder ? `${p.xml}: ` : ''}not checked against the ${target} XSD: ${skipped}`);
          schemaWarned ||= skipped !== undefined;
          await writeFileAtomic(path.join(dirOf(s), `${p.name}.xml`), r.xml);
        }
        lineCounts[s] += allLines(doc.page.regions).filter((l) => lineText(l).trim()).length;
      }
      pageCounts[s]++;
      exported.push({ name: p.name, xml: p.xml, image: p.image, status: p.status, split: s, document: documentName(p), lines: lineCounts[s] - linesBefore, maker: p.maker });
    } catch (e) {
      failed++;
      o.warn(`error: ${p.xml}: ${(e as Error).message}`);
    }
    o.progress?.(n + 1, pages.length);
  }
  for (const m of metsWriters.values()) await m.finish();
  for (const [s, w] of writers) {
    await w.finish();
    for (const [why, k] of w.skipped) skipped[why] = (skipped[why] ?? 0) + k;
    await writeTrainerLists(o.format, dirOf(s), s, w, o.relativeListPaths ? o.outDir : undefined);
  }
  await writeFileAtomic(path.join(o.outDir, 'split.tsv'), splitRows.join('\n') + '\n');
  return { pages: pageCounts, lines: lineCounts, filtered, failed, skipped, breaking, refused: false, exported };
}

/** PyLaia's and Loghi's own lists beside the images (kraken and tesstrain read the pairs as they are). */
async function writeTrainerLists(format: GtExportOptions['format'], dir: string, split: SplitName, w: LinePairWriter, relativeTo?: string): Promise<void> {
  if (format === 'pylaia') {
    // "ID c h a r s", spaces as <space>; the image list; the symbols.
    const chars = (t: string): string => [...t].map((c) => (c === ' ' ? '<space>' : c)).join(' ');
    const syms = new Set<string>();
    for (const e of w.entries) for (const c of e.text) syms.add(c === ' ' ? '<space>' : c);
    await writeFileAtomic(path.join(dir, `${split}.txt`), w.entries.map((e) => `${e.name} ${chars(e.text)}`).join('\n') + '\n');
    await writeFileAtomic(path.join(dir, `${split}_ids.txt`), w.entries.map((e) => e.name).join('\n') + '\n');
    await writeFileAtomic(path.join(dir, 'syms.txt'), ['<ctc>', ...[...syms].sort()].map((c, i) => `${c} ${i}`).join('\n') + '\n');
  } else if (format === 'loghi') {
    const image = (name: string): string => {
      const file = path.join(dir, `${name}.png`);
      return relativeTo === undefined ? file : path.relative(relativeTo, file).split(path.sep).join('/');
    };
    await writeFileAtomic(path.join(dir, `${split}.txt`), w.entries.map((e) => `${image(e.name)}\t${e.text}`).join('\n') + '\n');
  }
}
