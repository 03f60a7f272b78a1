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
import { allLines } from '../../common/model/stats.js';
import { scoreLines } from '../../common/layout/score.js';
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
}

export interface LayoutScore {
  readonly pages: readonly PageScore[];
  /** Mean of the pages' F1 (each page counts once). */
  readonly meanF1: number;
  /** F1 over all lines of all pages. */
  readonly pooledF1: number;
  readonly msPerPage: number;
}

/** The handwritten pages with images in the shared corpus: the layout regression set. */
export const HANDWRITTEN_REGRESSION_PAGES = [
  'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml',
  'escriptorium-testaments-alto/TestamentsDePoilus_will_AN_0155-0.xml',
  'escriptorium-timeuscorpus/cph_paris_tissage_1858/page/PH 1858-535.xml',
  'transkribus-kraken-tests/170025120000003,0074.xml',
  'transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.pxml',
];

export async function scoreDetector(detector: LayoutDetector, xmlFiles: readonly string[]): Promise<LayoutScore> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-eval-'));
  const pages: PageScore[] = [];
  try {
    for (const xml of xmlFiles) {
      const truth = readDocument(fs.readFileSync(xml, 'utf8')).doc;
      const image = findPageImage(xml, truth.page.imageFilename);
      if (!image) throw new Error(`no image for ${xml}`);
      const expected = allLines(truth.page.regions).map((l) => linePolygon(l) ?? []);
      const t0 = performance.now();
      const doc = await segmentImage(image, detector, { outDir });
      const ms = performance.now() - t0;
      const predicted = allLines(doc.page.regions).map((l) => l.coords!.points);
      const s = scoreLines(predicted, expected);
      pages.push({ page: path.basename(xml), expected: s.expected, predicted: s.predicted, truePositives: s.truePositives, f1: s.f1, ms: Math.round(ms) });
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  const tp = pages.reduce((a, p) => a + p.truePositives, 0);
  const pred = pages.reduce((a, p) => a + p.predicted, 0);
  const gt = pages.reduce((a, p) => a + p.expected, 0);
  const precision = pred ? tp / pred : 0;
  const recall = gt ? tp / gt : 0;
  return {
    pages,
    meanF1: pages.reduce((a, p) => a + p.f1, 0) / Math.max(1, pages.length),
    pooledF1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    msPerPage: Math.round(pages.reduce((a, p) => a + p.ms, 0) / Math.max(1, pages.length)),
  };
}
