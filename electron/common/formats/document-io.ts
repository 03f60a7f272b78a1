import type { PageDocument, PageVersion } from '../model/types.js';
import { parseXml } from '../xml/xml-parse.js';
import { FormatError, Warnings } from './format-error.js';
import { readPage } from './page-read.js';
import { writePage } from './page-write.js';
import { readAlto } from './alto-read.js';
import { writeAlto } from './alto-write.js';
import { ALTO_WRITE_VERSION } from './alto-versions.js';
import { repairForSchema } from './page-repair.js';

/** Output formats that `convert --to` names. */
export const TARGET_FORMATS = ['page-2019', 'page-2013', 'alto-4'] as const;
export type TargetFormat = (typeof TARGET_FORMATS)[number];

export interface ReadOutcome {
  readonly doc: PageDocument;
  readonly warnings: string[];
}

/** Reads PAGE-XML (any version) or ALTO (v2–v4) from text. Throws XmlError/FormatError with a clear message. */
export function readDocument(text: string): ReadOutcome {
  const xml = parseXml(text);
  const warnings = new Warnings();
  const root = xml.root;
  let doc: PageDocument;
  if (root.local === 'PcGts') doc = readPage(xml, warnings);
  else if (root.local === 'alto') doc = readAlto(xml, warnings);
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
 */
export function writeDocument(doc: PageDocument, target?: TargetFormat, opts: WriteOptions = {}): WriteOutcome {
  const warnings = new Warnings();
  let xml: string;
  if (!target) {
    xml = doc.format.kind === 'page'
      ? writePage(doc, { version: doc.format.version, conform: false, ...(opts.now && { now: opts.now }) }, warnings)
      : writeAlto(doc, { version: doc.format.version, conform: false, ...(opts.now && { now: opts.now }) }, warnings);
  } else if (target === 'alto-4') {
    const fixed = repairForSchema(doc, warnings, { target: 'alto' });
    xml = writeAlto(fixed, { version: ALTO_WRITE_VERSION, conform: true, ...(opts.now && { now: opts.now }) }, warnings);
  } else {
    const version: PageVersion = target === 'page-2013' ? '2013-07-15' : '2019-07-15';
    const fixed = repairForSchema(doc, warnings);
    xml = writePage(fixed, { version, conform: true, ...(opts.now && { now: opts.now }) }, warnings);
  }
  return { xml, warnings: warnings.list() };
}

/** The target naming a document's own format, for messages. */
export function describeFormat(doc: PageDocument): string {
  return doc.format.kind === 'page' ? `PAGE ${doc.format.version}` : `ALTO ${doc.format.version}`;
}
