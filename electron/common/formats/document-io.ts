import type { PageDocument, PageVersion } from '../model/types.js';
import { parseXml } from '../xml/xml-parse.js';
import { FormatError, Warnings } from './format-error.js';
import { LinesReadAhead, readPage, type LineKeeper, type PointsKeeper } from './page-read.js';
import { writePageXml, type PageWriteOptions } from './page-write.js';
import { readAlto, type ImageSize } from './alto-read.js';
import { writeAlto, type AltoWriteOptions } from './alto-write.js';
import { ALTO_WRITE_VERSION } from './alto-versions.js';
import { repairForSchema, type RepairOptions } from './page-repair.js';
import { pageCount, splitPages, withPages } from './pages.js';

export { allPages, pageCount, splitPages } from './pages.js';
export { MissingPageSizeError } from './format-error.js';

/** Output formats that `convert --to` names. */
export const TARGET_FORMATS = ['page-2019', 'page-2013', 'alto-4'] as const;
export type TargetFormat = (typeof TARGET_FORMATS)[number];

/**
 * Each target once, with its other names: what `htr-studio export --format` and the
 * editor's ground-truth export call it (public names older than TARGET_FORMATS), and
 * the suffix of a page exported from the editor (`<stem>.page2019.xml`).
 */
export const TARGET_NAMES = {
  'page-2019': { exportFormat: 'page', fileSuffix: 'page2019' },
  'page-2013': { exportFormat: 'page-2013', fileSuffix: 'page2013' },
  'alto-4': { exportFormat: 'alto', fileSuffix: 'alto' },
} as const satisfies Record<TargetFormat, { exportFormat: string; fileSuffix: string }>;

/** The target an `export --format` name stands for, or undefined (text and the trainers' formats). */
export function targetOfExportFormat(name: string): TargetFormat | undefined {
  return TARGET_FORMATS.find((t) => TARGET_NAMES[t].exportFormat === name);
}

export interface ReadOutcome {
  readonly doc: PageDocument;
  readonly warnings: string[];
}

export interface ReadOptions {
  /**
   * The size of the image the file names, where the caller could read it: an ALTO page
   * without WIDTH/HEIGHT or a PrintSpace takes it (without it, such a file is refused
   * with a MissingPageSizeError that names the image).
   */
  readonly imageSize?: ImageSize;
  /** What the model keeps of each PAGE line read while parsing (LinesReadAhead): the whole line by default. */
  readonly keepLine?: LineKeeper;
  /** What the model keeps of a big outline's points (BigPoints): the points by default. */
  readonly keepPoints?: PointsKeeper;
}

/**
 * Reads PAGE-XML (any version) or ALTO (v2–v4) from text, whole or in pieces (a big
 * file read piece by piece, readXmlPieces). Throws XmlError/FormatError with a clear message.
 */
export function readDocument(text: string | Iterable<string>, opts: ReadOptions = {}): ReadOutcome {
  // PAGE lines are read as they are parsed: a big file never holds its tree and its model at once.
  const ahead = new LinesReadAhead(opts.keepLine, opts.keepPoints);
  const xml = parseXml(text, undefined, ahead.onClose);
  const warnings = new Warnings();
  const root = xml.root;
  let doc: PageDocument;
  if (root.local === 'PcGts') doc = readPage(xml, warnings, ahead);
  else if (root.local === 'alto') doc = readAlto(xml, warnings, opts);
  else throw new FormatError(`neither PAGE-XML nor ALTO: the root element is <${root.name}>`, root.line);
  return { doc, warnings: warnings.list() };
}

export interface WriteOutcome {
  readonly xml: string;
  readonly warnings: string[];
}

export interface WriteOptions {
  /** ISO timestamp for LastChange / processing dates (tests fix it). */
  readonly now?: string;
}

/**
 * Writes a document. Without a target: its own format and version, keeping
 * everything it was read with. With one: a file the target's schema accepts,
 * every repair and every dropped detail reported as a warning.
 *
 * ALTO output holds every page of a multi-page document; PAGE output holds one,
 * so a PAGE target writes only the first here (with a warning): use
 * writeDocumentPages for one PAGE file per page.
 */
export function writeDocument(doc: PageDocument, target?: TargetFormat, opts: WriteOptions = {}): WriteOutcome {
  const warnings = new Warnings();
  const xml = writeOne(doc, target, opts, warnings);
  return { xml, warnings: warnings.list() };
}

function writeOne(doc: PageDocument, target: TargetFormat | undefined, opts: WriteOptions, warnings: Warnings): string {
  const now = opts.now ? { now: opts.now } : {};
  const pageTarget = target === 'page-2013' || target === 'page-2019' || (!target && doc.format.kind === 'page');
  const pages = pageCount(doc);
  if (pageTarget && pages > 1) {
    warnings.add(`${pages - 1} page(s) after the first are not written: a PAGE file holds one page (convert writes one file per page)`);
    return writeOne(splitPages(doc)[0]!, target, opts, warnings);
  }
  if (!target) {
    return doc.format.kind === 'page'
      ? writePageXml(doc, { version: doc.format.version, conform: false, ...now }, warnings)
      : writeAlto(doc, { version: doc.format.version, conform: false, ...now }, warnings);
  }
  if (target === 'alto-4') {
    // Each page is repaired against its own size; IDs are made unique over the whole file by the writer.
    const fixed = pages > 1
      ? withPages(doc, splitPages(doc).map((d) => repairForSchema(d, warnings, { target: 'alto' }).page))
      : repairForSchema(doc, warnings, { target: 'alto' });
    return writeAlto(fixed, { version: ALTO_WRITE_VERSION, conform: true, ...now }, warnings);
  }
  return writePageXml(repairForSchema(doc, warnings), { version: pageTargetVersion(target), conform: true, ...now }, warnings);
}

/** The PAGE version a PAGE target names. */
export function pageTargetVersion(target: 'page-2013' | 'page-2019'): PageVersion {
  return target === 'page-2013' ? '2013-07-15' : '2019-07-15';
}

/**
 * Lines a caller repaired (repairLineAlone) and wrote for the target (writePageLine,
 * writeAltoLine) as it read them, for writeDocumentAsTo: the repair, the ids the text holds
 * (ALTO), the text. Those of a PAGE target and of ALTO are the caller's to keep apart.
 */
export interface PreparedLines {
  readonly prepared: NonNullable<RepairOptions['prepared']>;
  readonly lineText: NonNullable<PageWriteOptions['lineText']>;
  readonly alto: NonNullable<AltoWriteOptions['prepared']>;
  /** The text of a big outline the reader's keepPoints stood in for (BigPoints.text). */
  readonly pointsText: NonNullable<PageWriteOptions['pointsText']>;
}

/**
 * As writeDocumentPages with a target, for a one-page PAGE document, the text handed to
 * `sink` in pieces as it is made (a big PAGE file is never one string in memory).
 * `lines`: the lines the caller repaired and wrote as it read them. Throws
 * PreparedLineConflict where one of them cannot stand for what the write of the whole
 * document makes of it: from the repair or the ALTO id plan, before anything goes to
 * `sink`; from the write (a line at another depth), after. Returns the warnings.
 */
export function writeDocumentAsTo(doc: PageDocument, target: TargetFormat, sink: (chunk: string) => void, opts: WriteOptions = {}, lines?: PreparedLines): string[] {
  if (doc.format.kind !== 'page' || pageCount(doc) !== 1) throw new Error('writeDocumentAsTo writes a one-page PAGE document');
  const warnings = new Warnings();
  const now = opts.now ? { now: opts.now } : {};
  if (target === 'alto-4') {
    const fixed = repairForSchema(doc, warnings, { target: 'alto', ...(lines && { prepared: lines.prepared }) });
    writeAlto(fixed, { version: ALTO_WRITE_VERSION, conform: true, sink, ...now, ...(lines && { prepared: lines.alto, pointsText: lines.pointsText }) }, warnings);
  } else {
    const fixed = repairForSchema(doc, warnings, lines ? { prepared: lines.prepared } : {});
    writePageXml(fixed, { version: pageTargetVersion(target), conform: true, sink, ...now, ...(lines && { lineText: lines.lineText, pointsText: lines.pointsText }) }, warnings);
  }
  return warnings.list();
}

/**
 * As writeDocument without a target (the lossless write), the text handed to `sink` in
 * pieces as it is made: a big PAGE file is never one string in memory (ALTO is written
 * whole, then handed over). `written`: PAGE lines the caller wrote as it read them
 * (PageWriteOptions.lineText), big outlines it kept as text (PageWriteOptions.pointsText).
 * Returns the warnings.
 */
export function writeDocumentTo(doc: PageDocument, sink: (chunk: string) => void, opts: WriteOptions = {}, written: Pick<PageWriteOptions, 'lineText' | 'pointsText'> = {}): string[] {
  if (doc.format.kind !== 'page') {
    const w = writeDocument(doc, undefined, opts);
    sink(w.xml);
    return w.warnings;
  }
  const warnings = new Warnings();
  writePageXml(doc, { version: doc.format.version, conform: false, sink, ...(opts.now && { now: opts.now }), ...written }, warnings);
  return warnings.list();
}

export interface WritePagesOutcome {
  /** One XML text per output file: a single one for ALTO output (all pages), one per page for PAGE output. */
  readonly xmls: string[];
  readonly warnings: string[];
}

/**
 * Writes a document with all its pages: ALTO output (an ALTO document without a target,
 * or `alto-4`) as one file holding every page; PAGE output as one file per page.
 */
export function writeDocumentPages(doc: PageDocument, target?: TargetFormat, opts: WriteOptions = {}): WritePagesOutcome {
  const warnings = new Warnings();
  const pageTarget = target === 'page-2013' || target === 'page-2019' || (!target && doc.format.kind === 'page');
  const docs = pageTarget ? splitPages(doc) : [doc];
  const xmls = docs.map((d) => writeOne(d, target, opts, warnings));
  return { xmls, warnings: warnings.list() };
}

/** The target naming a document's own format, for messages. */
export function describeFormat(doc: PageDocument): string {
  return doc.format.kind === 'page' ? `PAGE ${doc.format.version}` : `ALTO ${doc.format.version}`;
}
