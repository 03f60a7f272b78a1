/**
 * Scores a layout detector as the app uses it: each page image through
 * `segmentImage` (detections → PAGE lines with baselines, regions, reading order),
 * its lines compared with the ground truth's (box IoU ≥ 0.5, one-to-one).
 * Used by the model card figures and the regression test alike.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../common/formats/document-io.js';
import type { PageDocument } from '../../common/model/types.js';
import { detectionScore, scoreLines } from '../../common/layout/score.js';
import type { DetectionScore } from '../../common/layout/types.js';
import { addCounts, countByClass, pageObjects, type ClassCounts } from '../../common/layout/score-classes.js';
import { linePolygon } from '../recognition/recognize-page.js';
import { findPageImage } from '../images/find-image.js';
import type { LayoutDetector } from './detector.js';
import { segmentImage } from './segment-page.js';

export interface PageScore {
  readonly page: string;
  readonly expected: number;
  readonly predicted: number;
  readonly truePositives: number;
  readonly f1: number;
  readonly ms: number;
  /** Whether the ground truth has SegmOnto zones (only such pages count for zone scores). */
  readonly zonesAnnotated: boolean;
}

export interface LayoutScore {
  readonly pages: readonly PageScore[];
  /** Mean of the pages' F1 (each page counts once). */
  readonly meanF1: number;
  /** Precision, recall and F1 over all lines of all pages. */
  readonly pooled: DetectionScore;
  readonly msPerPage: number;
  /** Zones per SegmOnto class, pooled over the pages whose ground truth has zones. */
  readonly zones: ClassCounts;
  /** Lines per SegmOnto line type, pooled over all pages. */
  readonly lineTypes: ClassCounts;
}

/** A ground-truth file, with its page image when it is not found beside it by name. */
export type TruthPage = string | { readonly xml: string; readonly image: string };

/** The handwritten pages with images in the shared corpus: the layout regression set. */
export const HANDWRITTEN_REGRESSION_PAGES = [
  'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml',
  'escriptorium-testaments-alto/TestamentsDePoilus_will_AN_0155-0.xml',
  'escriptorium-timeuscorpus/cph_paris_tissage_1858/page/PH 1858-535.xml',
  'transkribus-kraken-tests/170025120000003,0074.xml',
  'transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.pxml',
];

export interface ScoreOptions {
  /** false scores the detector's own lines, before table-aware splitting. */
  readonly split?: boolean;
  /** Called with each page's segmentation and its ground truth (the regression test checks their geometry). */
  readonly inspect?: (page: { readonly xml: string; readonly truth: PageDocument; readonly segmented: PageDocument }) => void;
}

export async function scoreDetector(detector: LayoutDetector, truthPages: readonly TruthPage[], opts: ScoreOptions = {}): Promise<LayoutScore> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-eval-'));
  const pages: PageScore[] = [];
  let zones: ClassCounts = {};
  let lineTypes: ClassCounts = {};
  try {
    for (const page of truthPages) {
      const xml = typeof page === 'string' ? page : page.xml;
      const truth = readDocument(fs.readFileSync(xml, 'utf8')).doc;
      const image = typeof page === 'string' ? findPageImage(xml, truth.page.imageFilename) : page.image;
      if (!image) throw new Error(`no image for ${xml}`);
      const expected = pageObjects(truth.page.regions, linePolygon);
      const t0 = performance.now();
      const doc = await segmentImage(image, detector, { outDir, ...(opts.split === false && { split: false }) });
      const ms = performance.now() - t0;
      opts.inspect?.({ xml, truth, segmented: doc });
      const predicted = pageObjects(doc.page.regions, (l) => l.coords?.points);
      const s = scoreLines(predicted.lines.map((o) => o.points), expected.lines.map((o) => o.points));
      const zonesAnnotated = expected.zones.length > 0;
      if (zonesAnnotated) zones = addCounts(zones, countByClass(predicted.zones, expected.zones));
      lineTypes = addCounts(lineTypes, countByClass(predicted.lines, expected.lines));
      pages.push({ page: path.basename(xml), expected: s.expected, predicted: s.predicted, truePositives: s.truePositives, f1: s.f1, ms: Math.round(ms), zonesAnnotated });
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  const sum = (k: 'truePositives' | 'predicted' | 'expected'): number => pages.reduce((a, p) => a + p[k], 0);
  return {
    pages,
    meanF1: pages.reduce((a, p) => a + p.f1, 0) / Math.max(1, pages.length),
    pooled: detectionScore(sum('truePositives'), sum('predicted'), sum('expected')),
    msPerPage: Math.round(pages.reduce((a, p) => a + p.ms, 0) / Math.max(1, pages.length)),
    zones,
    lineTypes,
  };
}
