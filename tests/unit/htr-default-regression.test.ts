import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { listModels } from '../../electron/node/models/registry.js';
import { loadRecognizer } from '../../electron/node/recognition/load.js';
import { loadGrey } from '../../electron/node/images/page-image.js';
import { cutLine } from '../../electron/node/images/line-cut.js';
import { addCounts, compareTexts, emptyTotals, rate } from '../../electron/common/eval/cer.js';
import { normalizeTranscription } from '../../electron/common/recognition/normalize-text.js';
import { CORPUS, REPO } from '../helpers/corpus.js';

/**
 * A regression test of the shipped artefact: htr-default on the 298 cut lines of
 * ../shared/corpus/htr-lines must stay within 2 CER points of the figure its model
 * card states (model.json `metrics.regressionCer`, the same number as MODEL_CARD.md).
 */
const LINES = path.join(CORPUS, 'htr-lines');

describe('htr-default on the regression set (corpus/htr-lines)', () => {
  it('stays within 2 CER points of its model card', async () => {
    const manifestFile = path.join(REPO, 'native-models/htr-default/model.json');
    const stated = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).metrics?.regressionCer as number;
    expect(typeof stated).toBe('number');
    const card = fs.readFileSync(path.join(REPO, 'native-models/htr-default/MODEL_CARD.md'), 'utf8');
    expect(card).toContain(`${(stated * 100).toFixed(1)}%`);

    const model = listModels().models.find((m) => m.manifest.id === 'htr-default')!;
    const rec = await loadRecognizer(model);
    const rows = fs.readFileSync(path.join(LINES, 'lines.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows.length).toBe(298);
    const cut = [];
    const truth: string[] = [];
    for (const r of rows) {
      const img = await loadGrey(path.join(CORPUS, r[0]!));
      const full = [{ x: 0, y: 0 }, { x: img.width - 1, y: 0 }, { x: img.width - 1, y: img.height - 1 }, { x: 0, y: img.height - 1 }];
      cut.push(await cutLine(img, full, undefined, { straighten: 'none', contrast: rec.input.contrast ?? true, height: rec.input.height, ...(rec.input.padding && { padding: rec.input.padding }) }));
      truth.push(fs.readFileSync(path.join(CORPUS, r[1]!), 'utf8').trim());
    }
    const out = await rec.recognize(cut);
    await rec.dispose();
    const totals = emptyTotals();
    out.forEach((o, i) => addCounts(totals, compareTexts(normalizeTranscription(truth[i]!), o.text)));
    const cer = rate(totals.charErrors, totals.chars);
    expect(Math.abs(cer - stated)).toBeLessThanOrEqual(0.02);
  }, 300_000);
});

