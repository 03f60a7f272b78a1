import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listDetectors, loadDetector, pickDetector } from '../../electron/node/layout/load.js';
import { HANDWRITTEN_REGRESSION_PAGES, scoreDetector, type LayoutScore } from '../../electron/node/layout/evaluate-layout.js';
import type { LayoutDetector } from '../../electron/node/layout/detector.js';
import { segmentImage } from '../../electron/node/layout/segment-page.js';
import { classScores } from '../../electron/common/layout/score-classes.js';
import { checkPage, strayBaselines } from '../../electron/common/layout/page-checks.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { bbox } from '../../electron/common/model/points.js';
import { allLines } from '../../electron/common/model/stats.js';
import { CORPUS, REPO } from '../helpers/corpus.js';

/**
 * A regression test of the shipped detector: layout-default through the app's
 * segmentation on the handwritten corpus pages must stay within 2 points of the
 * mean line F1 its model card states (model.json `metrics.regressionMeanLineF1`),
 * and what `segment` makes of them must be geometrically sound (issue 20's
 * defects on an unseen register page): baselines that follow one line of
 * writing, lines inside their regions, text regions that do not overlap, nothing
 * read after the line under it.
 */
const segmented: { page: string; truth?: PageDocument; doc: PageDocument }[] = [];
let detector: LayoutDetector;
let score: LayoutScore;

/** A ruled parish register with no line ground truth (zones only): checked for geometry, not scored. */
const REGISTER_WITHOUT_LINES = 'transkribus-export-M_Otter_012/M_Otterskirchen_012_0006.jpg';

beforeAll(async () => {
  const chosen = pickDetector(listDetectors());
  expect(chosen.manifest.id).toBe('layout-default');
  detector = await loadDetector(chosen);
  score = await scoreDetector(detector, HANDWRITTEN_REGRESSION_PAGES.map((p) => path.join(CORPUS, p)), {
    inspect: ({ xml, truth, segmented: doc }) => segmented.push({ page: path.basename(xml), truth, doc }),
  });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-reg-'));
  segmented.push({ page: path.basename(REGISTER_WITHOUT_LINES), doc: await segmentImage(path.join(CORPUS, REGISTER_WITHOUT_LINES), detector, { outDir: out }) });
  fs.rmSync(out, { recursive: true, force: true });
}, 300_000);

afterAll(async () => {
  await detector?.dispose();
});

describe('layout-default on the handwritten regression pages', () => {
  it('is the default detector and stays within 2 F1 points of its model card', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'native-models/layout-default/model.json'), 'utf8'));
    const stated = manifest.metrics.regressionMeanLineF1 as number;
    expect(fs.readFileSync(path.join(REPO, 'native-models/layout-default/MODEL_CARD.md'), 'utf8')).toContain(`**${stated.toFixed(3)}**`);
    expect(Math.abs(score.meanF1 - stated)).toBeLessThanOrEqual(0.02);
    // The card's per-class zone figures are this run's too (MainZone: the one zone it finds).
    const main = classScores(score.zones).MainZone;
    expect(main?.expected).toBe(manifest.metrics.regressionZones.MainZone.gt);
    expect(Math.abs(main!.f1 - manifest.metrics.regressionZones.MainZone.f1)).toBeLessThanOrEqual(0.2);
  });

  it('finds about as many lines as the ground truth has on each page', () => {
    // Reported, then bounded: a quarter more or fewer lines than the truth is a page gone wrong.
    console.log(score.pages.map((p) => `${p.page}: ${p.predicted} lines found, ${p.expected} in the ground truth, ${p.truePositives} matched (F1 ${p.f1.toFixed(3)})`).join('\n'));
    for (const p of score.pages) {
      expect(p.predicted, p.page).toBeGreaterThanOrEqual(0.75 * p.expected);
      expect(p.predicted, p.page).toBeLessThanOrEqual(1.25 * p.expected);
    }
  });
});

describe('segment output is geometrically sound (regression pages and the registers)', () => {
  it('covers the five regression pages and the register without line ground truth', () => {
    expect(segmented.map((s) => s.page)).toHaveLength(HANDWRITTEN_REGRESSION_PAGES.length + 1);
    for (const s of segmented) expect(allLines(s.doc.page.regions).length, s.page).toBeGreaterThan(10);
  });

  it('no baseline crosses the baseline of a line above or below it', () => {
    for (const s of segmented) expect(checkPage(s.doc).crossingBaselines, s.page).toEqual([]);
  });

  it('baselines follow one line of writing: at most 1 % of a page (or one) stray to a neighbouring truth line', () => {
    for (const s of segmented.filter((x) => x.truth)) {
      const truth = allLines(s.truth!.page.regions).map((l) => l.baseline?.points).filter((b): b is NonNullable<typeof b> => !!b && b.length >= 2);
      expect(truth.length, s.page).toBeGreaterThan(10);
      const lines = allLines(s.doc.page.regions);
      const predicted = lines.map((l) => {
        const b = bbox(l.coords!.points)!;
        return { id: l.id, baseline: l.baseline!.points, height: b.maxY - b.minY };
      });
      // Straying: over a quarter of the stretch where its own truth baseline is drawn, nearer another one.
      const stray = strayBaselines(predicted, truth, { maxStray: 0.25 });
      expect(stray.length, `${s.page}: ${JSON.stringify(stray)}`).toBeLessThanOrEqual(Math.max(1, Math.floor(0.01 * lines.length)));
    }
  });

  it('every line lies (≥ 90 % of its area) inside its region', () => {
    for (const s of segmented) expect(checkPage(s.doc, { minInside: 0.9 }).linesOutsideRegion, s.page).toEqual([]);
  });

  it('text regions do not overlap by more than 5 % of the smaller one', () => {
    for (const s of segmented) expect(checkPage(s.doc, { maxOverlap: 0.05 }).overlappingRegions, s.page).toEqual([]);
  });

  it('no line is read after a line below it in the same column (a heading before the text under it)', () => {
    for (const s of segmented) expect(checkPage(s.doc).readBeforeAbove, s.page).toEqual([]);
  });
});
