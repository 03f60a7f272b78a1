/**
 * The accuracy report (the editor's dialog, `eval --history`): machine text from
 * each corrected or verified line's history against the person's text, with the
 * same figures as `htr-studio eval` on the same pairs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { mapAllLines, setLineText } from '../../electron/common/model/ops.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { recordTextChanges, verifyLines } from '../../electron/common/model/provenance.js';
import { accuracyReport, correctionPairs } from '../../electron/common/eval/accuracy-report.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import { CORPUS } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';
const T = '2026-12-03T10:00:00.000Z';
const model = { kind: 'model', model: 'htr-default', version: 'step-24054' } as const;
const person = { kind: 'person', name: 'Marie' } as const;

/** A machine's typical slips on a person's text: dropped accents, r/n swaps, a lost space. */
function garble(s: string, k: number): string {
  const g = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(k % 2 ? /r/g : /n/g, k % 2 ? 'n' : 'r').replace(k % 3 ? / (\S)/ : /$^/, '$1');
  return g === s ? `${s}.` : g; // never right by chance: every fixed line is a change
}

/**
 * The real page read by "the model" (the person's text garbled), then corrected by
 * a person: `fix` lines get their true text back, `verify` lines are confirmed as
 * read, one line is typed from scratch (no model reading), the rest stay machine text.
 */
function correctedPage(stem: string, fix: number, verify: number): PageDocument {
  const source = readDocument(writeDocument(readDocument(fs.readFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), 'utf8')).doc, 'page-2019').xml).doc;
  const truth = allLines(source.page.regions).map(lineText);
  let k = 0;
  const read = recordTextChanges(source, mapAllLines(source, (l) => ({ ...l, textEquivs: [{ unicode: garble(lineText(l), k++), conf: 0.6 }] })), model, T);
  const ids = allLines(read.page.regions).map((l) => l.id);
  let doc = read;
  for (let i = 0; i < fix; i++) doc = recordTextChanges(doc, setLineText(doc, ids[i]!, truth[i]!), person, T);
  doc = verifyLines(doc, ids.slice(fix, fix + verify), person, T);
  // Typed from scratch: a line without a model reading (its history starts with the person).
  const scratch = ids[ids.length - 1]!;
  doc = mapAllLines(doc, (l) => (l.id === scratch ? { ...l, textEquivs: [{ unicode: 'écrit à la main' }], userDefined: { attributes: [] } } : l));
  return { ...doc, page: { ...doc.page, imageFilename: `${stem}.jpg` } };
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-accuracy-'));
});
afterAll(async () => {
  await pyramidBuildsSettled();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('accuracy report', () => {
  it('pairs the model\'s last reading with the person\'s text on corrected and verified lines only', () => {
    const doc = correctedPage('a', 5, 2);
    const { pairs, unpaired } = correctionPairs(doc);
    expect(pairs).toHaveLength(7);
    expect(unpaired).toBe(1);
    expect(pairs.every((p) => p.model === 'htr-default step-24054')).toBe(true);
    // Verified lines were right as read: no errors on them.
    expect(pairs.slice(5).every((p) => p.machine === p.person)).toBe(true);
    expect(pairs.slice(0, 5).some((p) => p.machine !== p.person)).toBe(true);
  });

  it('gives the figures of `htr-studio eval` on the same pairs, per page and for the project, through the service', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'project-'));
    fs.mkdirSync(path.join(dir, 'page'));
    const docs = { a: correctedPage('a', 6, 2), b: correctedPage('b', 12, 0) };
    for (const [stem, doc] of Object.entries(docs)) {
      fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(dir, `${stem}.jpg`));
      fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), writeDocument(doc).xml);
    }
    const report = await new LocalProjectService(dir, { cacheDir: path.join(root, 'cache') }).accuracyReport();
    expect(report.total.lines).toBe(20);
    expect(report.pages.map((p) => [p.pageId, p.lines, p.unpaired])).toEqual([['a.jpg', 8, 1], ['b.jpg', 12, 1]]);
    expect(report.total.charErrors).toBeGreaterThan(0);
    expect(report).toEqual(accuracyReport(Object.entries(docs).map(([stem, doc]) => ({ id: `${stem}.jpg`, name: stem, doc }))));

    // The same pairs as files for `eval --gt DIR --hyp DIR`: the person's text is the reference.
    const gt = path.join(root, 'gt');
    const hyp = path.join(root, 'hyp');
    fs.mkdirSync(gt, { recursive: true });
    fs.mkdirSync(hyp, { recursive: true });
    for (const l of report.lines) {
      const name = `${l.pageId.replace('.jpg', '')}_${l.lineId}`;
      fs.writeFileSync(path.join(gt, `${name}.gt.txt`), l.person);
      fs.writeFileSync(path.join(hyp, `${name}.txt`), l.machine);
    }
    const ev = runCli(['eval', '--gt', gt, '--hyp', hyp, '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const e = JSON.parse(ev.stdout);
    expect({ cer: e.cer, wer: e.wer, chars: e.chars, charErrors: e.charErrors, words: e.words, wordErrors: e.wordErrors, pairs: e.pairs })
      .toEqual({ cer: report.total.cer, wer: report.total.wer, chars: report.total.chars, charErrors: report.total.charErrors, words: report.total.words, wordErrors: report.total.wordErrors, pairs: 20 });
    expect(e.confusions).toEqual(report.confusions);

    // And `eval --history` on the project's page files is the report itself.
    const hist = runCli(['eval', '--history', path.join(dir, 'page'), '--json']);
    expect(hist.code, hist.stderr).toBe(0);
    const h = JSON.parse(hist.stdout);
    expect(h.total).toEqual(report.total);
    expect(h.pages.map((p: { lines: number; cer: number }) => [p.lines, p.cer])).toEqual(report.pages.map((p) => [p.lines, p.cer]));
    const text = runCli(['eval', '--history', path.join(dir, 'page', 'a.xml')]);
    expect(text.stdout).toMatch(/^CER \d+\.\d\d%/);
    expect(text.stdout).toContain('8 corrected or verified line(s) with a model reading, on 1 of 1 page(s)');
  });

  it('is empty for pages nobody corrected, and says what is wrong with bad input', () => {
    const source = readDocument(fs.readFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), 'utf8')).doc;
    expect(accuracyReport([{ id: 'x', name: 'x', doc: source }]).total.lines).toBe(0);
    expect(runCli(['eval', '--history']).code).toBe(2);
    const missing = runCli(['eval', '--history', path.join(root, 'nope.xml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    expect(runCli(['eval', 'stray.xml']).code).toBe(2);
  });
});
