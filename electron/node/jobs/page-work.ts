/**
 * What a job does to one page: recognise its lines (all, or some: then only
 * their text changes; a person's text stays unless the user asked to replace it)
 * or detect its layout (its regions and reading order are replaced; the page's own
 * attributes and metadata stay).
 */
import type { PageDocument, Region } from '../../common/model/types.js';
import { allLines } from '../../common/model/stats.js';
import { isPersonText } from '../../common/model/merge.js';
import { modelAuthor } from '../../common/model/provenance.js';
import { mergeLayout, mergeReadings } from '../../common/model/job-results.js';
import { recognizePage } from '../recognition/recognize-page.js';
import type { LineRecognizer } from '../recognition/recognizer.js';
import { segmentImage } from '../layout/segment-page.js';
import type { LayoutDetector } from '../layout/detector.js';

export interface PageWorkOptions {
  readonly signal: AbortSignal;
  /** Recognition: beam width; undefined: the model's default. */
  readonly beam?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What recognition may replace: every line asked for, or only those without a person's text. */
export interface RecognizeScope {
  readonly lineIds: readonly string[] | null;
  /** Lines a person wrote or confirmed (isPersonText) keep their text unless this is set. */
  readonly replaceCorrected: boolean;
}

/** The document with only the named lines left in it (regions kept, so geometry and ids are unchanged). */
function onlyLines(doc: PageDocument, keep: ReadonlySet<string>): PageDocument {
  const prune = (rs: readonly Region[]): Region[] => rs.map((r) => ({ ...r, lines: r.lines.filter((l) => keep.has(l.id)), regions: prune(r.regions) }));
  return { ...doc, page: { ...doc.page, regions: prune(doc.page.regions) } };
}

export async function recognizeDocument(doc: PageDocument, imageFile: string, rec: LineRecognizer, scope: RecognizeScope, opts: PageWorkOptions): Promise<{ doc: PageDocument; lines: number; keptCorrected: number }> {
  const lines = allLines(doc.page.regions);
  const asked = scope.lineIds ? new Set(scope.lineIds) : null;
  const chosen = asked ? lines.filter((l) => asked.has(l.id)) : lines;
  const kept = scope.replaceCorrected ? [] : chosen.filter(isPersonText);
  const toRead = kept.length ? chosen.filter((l) => !kept.includes(l)) : chosen;
  const keep = toRead.length === lines.length ? null : new Set(toRead.map((l) => l.id));
  if (keep && !keep.size) return { doc, lines: 0, keptCorrected: kept.length };
  const input = keep ? onlyLines(doc, keep) : doc;
  const r = await recognizePage(input, imageFile, rec, { signal: opts.signal, ...(opts.onProgress && { onProgress: opts.onProgress }), ...(opts.beam !== undefined && { beam: opts.beam }) });
  opts.signal.throwIfAborted();
  // Only the text (and its confidence) comes back, with its history: geometry, words and everything else stay as they were.
  const out = mergeReadings(doc, r.doc, { lineIds: keep, fallback: modelAuthor(rec.manifest), at: new Date().toISOString() });
  return { doc: out, lines: r.lines, keptCorrected: kept.length };
}

export async function detectDocument(doc: PageDocument, imageFile: string, detector: LayoutDetector, outDir: string, opts: PageWorkOptions): Promise<{ doc: PageDocument; lines: number }> {
  const found = await segmentImage(imageFile, detector, { outDir, signal: opts.signal });
  opts.signal.throwIfAborted();
  const out = mergeLayout(doc, found);
  opts.onProgress?.(1, 1);
  return { doc: out, lines: allLines(out.page.regions).length };
}
