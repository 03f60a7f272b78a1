import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { listDetectors, loadDetector, pickDetector } from '../../electron/node/layout/load.js';
import { HANDWRITTEN_REGRESSION_PAGES, scoreDetector } from '../../electron/node/layout/evaluate-layout.js';
import { classScores } from '../../electron/common/layout/score-classes.js';
import { CORPUS, REPO } from '../helpers/corpus.js';

/**
 * A regression test of the shipped detector: layout-default through the app's
 * segmentation on the handwritten corpus pages must stay within 2 points of the
 * mean line F1 its model card states (model.json `metrics.regressionMeanLineF1`).
 */
describe('layout-default on the handwritten regression pages', () => {
  it('is the default detector and stays within 2 F1 points of its model card', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'native-models/layout-default/model.json'), 'utf8'));
    const stated = manifest.metrics.regressionMeanLineF1 as number;
    expect(fs.readFileSync(path.join(REPO, 'native-models/layout-default/MODEL_CARD.md'), 'utf8')).toContain(`**${stated.toFixed(3)}**`);
    const chosen = pickDetector(listDetectors());
    expect(chosen.manifest.id).toBe('layout-default');
    const detector = await loadDetector(chosen);
    const score = await scoreDetector(detector, HANDWRITTEN_REGRESSION_PAGES.map((p) => path.join(CORPUS, p)));
    await detector.dispose();
    expect(Math.abs(score.meanF1 - stated)).toBeLessThanOrEqual(0.02);
    // The card's per-class zone figures are this run's too (MainZone: the one zone it finds).
    const main = classScores(score.zones).MainZone;
    expect(main?.expected).toBe(manifest.metrics.regressionZones.MainZone.gt);
    expect(Math.abs(main!.f1 - manifest.metrics.regressionZones.MainZone.f1)).toBeLessThanOrEqual(0.2);
  }, 300_000);
});
