/**
 * One page image through a layout detector into a PAGE document: detections,
 * baselines from the ink, regions, reading order.
 */
import path from 'node:path';
import type { PageDocument } from '../../common/model/types.js';
import type { ClassRule } from '../../common/layout/to-page.js';
import { layoutToPage } from '../../common/layout/to-page.js';
import type { Direction } from '../../common/layout/reading-order.js';
import { loadGrey, type GreyImage } from '../images/page-image.js';
import { inkMask, splitLines, type SplitOptions } from '../../common/layout/table-split.js';
import { lineBands } from '../../common/layout/line-bands.js';
import { dedupeLines } from '../../common/layout/dedupe-lines.js';
import { bbox } from '../../common/model/points.js';
import { estimateBaseline } from './baseline.js';
import type { LayoutDetector } from './detector.js';

export interface SegmentOptions {
  /** Folder the PAGE file will be written to: imageFilename is made relative to it. */
  readonly outDir: string;
  readonly direction?: Direction;
  readonly signal?: AbortSignal;
  /**
   * Cut detected lines at table rulings (one line per cell) and at wide blank
   * gaps (see table-split.ts); false leaves the detector's lines as they are.
   */
  readonly split?: boolean | SplitOptions;
  /** The page's grey pixels, when the caller has started decoding them to use again (process: recognition). */
  readonly grey?: Promise<GreyImage>;
}

/** A page segmented: its document, and the zoom its lines were found at where the detector ran it larger (zoom.ts). */
export interface Segmented {
  readonly doc: PageDocument;
  readonly zoom?: number;
}

export async function segmentImage(image: string, detector: LayoutDetector, opts: SegmentOptions): Promise<PageDocument> {
  return (await segmentPage(image, detector, opts)).doc;
}

/** As segmentImage, with what the run found out about the page (the `--json` reports of segment and process). */
export async function segmentPage(image: string, detector: LayoutDetector, opts: SegmentOptions): Promise<Segmented> {
  // The grey copy (for line splitting and baselines) decodes while the model runs:
  // sharp works on libuv's threads, so the two overlap on a second core.
  const greyLoad = opts.grey ?? loadGrey(image);
  greyLoad.catch(() => {}); // awaited below; a detection error must not leave it unhandled
  const detected = await detector.detect(image, opts.signal ? { signal: opts.signal } : {});
  const grey = await greyLoad;
  // Detections are in the stored image's pixels, as the grey copy is; a result of another size is left alone.
  const split =
    opts.split === false || grey.width !== detected.width || grey.height !== detected.height
      ? detected
      : { ...detected, lines: splitLines(detected.lines, inkMask(grey), typeof opts.split === 'object' ? opts.split : {}) };
  // A line found twice (a fragment inside the whole line, two overlapping pieces, a block over lines) would get crossing baselines and be read twice.
  const result = { ...split, lines: dedupeLines(split.lines) };
  // Each line's baseline is searched in its own band of rows, so it cannot stray into a neighbour's writing.
  const bands = lineBands(result.lines.map((l) => bbox(l.polygon) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 }));
  const baselines = result.lines.map((l, i) => l.baseline ?? estimateBaseline(grey, l.polygon, bands[i]));
  const rel = path.relative(path.resolve(opts.outDir), path.resolve(image)).split(path.sep).join('/');
  const rules = (detector.manifest.layout as { classes?: Record<string, ClassRule> } | undefined)?.classes;
  const doc = layoutToPage(result, {
    imageFilename: rel,
    baselines,
    direction: opts.direction ?? ((detector.manifest.layout as { direction?: Direction } | undefined)?.direction ?? 'ltr'),
    ...(rules && { rules }),
    creator: `HTR Studio (${detector.manifest.id})`,
  });
  return { doc, ...(detected.zoom !== undefined && { zoom: detected.zoom }) };
}
