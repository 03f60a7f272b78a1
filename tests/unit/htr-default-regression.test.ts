import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { listModels } from '../../electron/node/models/registry.js';
import { loadRecognizer } from '../../electron/node/recognition/load.js';
import { loadGrey } from '../../electron/node/images/page-image.js';
import { cutLine } from '../../electron/node/images/line-cut.js';
import { addCounts, compareTexts, emptyTotals, rate } from '../../electron/common/eval/cer.js';
import { normalizeTranscription } from '../../electron/common/recognition/normalize-text.js';
import { CORPUS, REPO, SHARED } from '../helpers/corpus.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { structureOf } from '../../electron/common/formats/alto-tags.js';
import { readXmlFile } from '../../electron/node/io/files.js';
import { findPageImage } from '../../electron/node/images/find-image.js';
import { cutForInput } from '../../electron/node/recognition/recognize-page.js';
import type { LineImage } from '../../electron/node/images/line-cut.js';

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

  // The validation pages the model card's figures come from (validation-pages.tsv, written by
  // prepare_lines.py): cut by the app as recognition cuts them, the lines chosen by the recipe's
  // rules, read with careful reading (beam + the model's character LM).
  const pagesFile = path.join(REPO, 'native-models/htr-default/validation-pages.tsv');
  it.skipIf(!fs.existsSync(pagesFile))('reads its validation pages with careful reading within 2 CER points of its model card, overall and on the wills', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'native-models/htr-default/model.json'), 'utf8'));
    const stated = manifest.metrics.valCerCareful as number;
    const statedWills = manifest.metrics.valCerCarefulByDataset['testaments-de-poilus'] as number;
    expect(typeof stated).toBe('number');
    const model = listModels().models.find((m) => m.manifest.id === 'htr-default')!;
    const rec = await loadRecognizer(model);
    const pages = fs.readFileSync(pagesFile, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const cut: LineImage[] = [];
    const truth: string[] = [];
    const wills: boolean[] = [];
    for (const [xml, dataset] of pages) {
      const file = path.join(SHARED, xml!);
      const { doc } = readDocument(await readXmlFile(file));
      const page = await loadGrey(findPageImage(file, doc.page.imageFilename)!, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight });
      for (const l of allLines(doc.page.regions)) {
        const text = normalizeTranscription(lineText(l));
        // prepare_lines.py's rules: no printed lines, no LECTAUREP "XXX" (unread), a CTC frame per character.
        if (!text || /print|typewrit/i.test(structureOf(l.custom)?.type ?? '') || (dataset!.startsWith('lectaurep') && text.includes('XXX'))) continue;
        const img = await cutForInput(page, l, rec.input).catch(() => undefined); // uncuttable: the export skips it too
        if (!img || img.width / 4 < [...text].length + 2) continue;
        cut.push(img);
        truth.push(text);
        wills.push(dataset === 'testaments-de-poilus');
      }
    }
    expect(cut.length).toBe(manifest.metrics.valLines);
    const out = await rec.recognize(cut, { beam: 8 });
    await rec.dispose();
    const all = emptyTotals();
    const will = emptyTotals();
    out.forEach((o, i) => {
      const c = compareTexts(truth[i]!, normalizeTranscription(o.text));
      addCounts(all, c);
      if (wills[i]) addCounts(will, c);
    });
    expect(Math.abs(rate(all.charErrors, all.chars) - stated)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(rate(will.charErrors, will.chars) - statedWills)).toBeLessThanOrEqual(0.02);
  }, 600_000);
});
