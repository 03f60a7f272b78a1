/**
 * The one place a job's result is merged into a document, for the engine (pages a
 * job writes) and the editor (the open page, or one opened later) alike, so both
 * give the same document for the same result.
 */
import { takeReading, type LineAuthor } from './provenance.js';
import { mapAllLines } from './ops.js';
import { allLines } from './stats.js';
import type { PageDocument, TextLine } from './types.js';

export interface ReadingsOptions {
  /** Only these lines take their reading (undefined or null: every line the result holds). */
  readonly lineIds?: ReadonlySet<string> | null;
  /** Who read them, where the result's own line history does not say (takeReading). */
  readonly fallback: LineAuthor;
  /** When, for the history. */
  readonly at: string;
}

/**
 * A recognition result merged into `doc`: each line of the result takes its text and
 * confidence, with its history (takeReading); geometry, words and everything else
 * stay as they are in `doc` now (a person may have edited them while the job ran).
 */
export function mergeReadings(doc: PageDocument, result: PageDocument, opts: ReadingsOptions): PageDocument {
  const keep = opts.lineIds ?? null;
  const read = new Map<string, TextLine>(allLines(result.page.regions).filter((l) => !keep || keep.has(l.id)).map((l) => [l.id, l]));
  return mapAllLines(doc, (l) => {
    const got = read.get(l.id);
    return got ? takeReading(l, got, doc.format, opts.fallback, opts.at) : l;
  });
}

/** A layout result merged into `doc`: its regions and reading order replace the page's; everything else stays. */
export function mergeLayout(doc: PageDocument, result: PageDocument): PageDocument {
  const { readingOrder: _old, ...page } = doc.page;
  return { ...doc, page: { ...page, regions: result.page.regions, ...(result.page.readingOrder && { readingOrder: result.page.readingOrder }) } };
}
