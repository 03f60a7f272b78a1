/**
 * `htr-studio check`: the ground-truth checker finds every defect planted in a page
 * made for it, and none on a clean page (a real Transkribus page, a clean synthetic one).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { checkGroundTruth, selfIntersects } from '../../electron/common/gt/gt-checks.js';
import { main } from '../../electron/cli/main.js';
import { canFix, fixAll } from '../../electron/common/gt/gt-fixes.js';
import { findLine, mapAllLines } from '../../electron/common/model/ops.js';
import { lineText } from '../../electron/common/model/stats.js';
import { verifyLines } from '../../electron/common/model/provenance.js';
import { CORPUS } from '../helpers/corpus.js';

import { base, box, line, page, planted } from '../helpers/planted-gt.js';

describe('the ground-truth checker', () => {
  it('finds every planted defect, on its line, and nothing on the clean line', () => {
    const problems = checkGroundTruth(readDocument(planted).doc, { charset: new Set([...'abcdefghijklmnopqrstuvwxyzé ']) });
    const got = (rule: string) => problems.filter((p) => p.rule === rule).map((p) => p.id);
    expect(got('text-empty')).toEqual(['empty']);
    expect(got('baseline-missing')).toEqual(['nobase', 'onepoint']);
    expect(got('baseline-outside-line')).toEqual(['baseout']);
    expect(got('polygon-degenerate')).toEqual(['flat']);
    expect(got('polygon-self-intersecting')).toEqual(['bowtie']);
    expect(got('text-not-nfc')).toEqual(['nfd']);
    expect(got('char-outside-charset')).toEqual(['snow']);
    expect(problems.find((p) => p.rule === 'char-outside-charset')!.message).toContain('☃');
    expect(problems.filter((p) => p.rule === 'structure').map((p) => p.message)).toEqual([expect.stringContaining('id-duplicate')]);
    expect(problems.filter((p) => p.id === 'ok' && p.rule !== 'structure')).toEqual([]);
  });

  it('finds nothing on clean pages', () => {
    const clean = page([line('a', box(0), base(0), 'one'), line('b', box(50), base(50), 'two')]);
    expect(checkGroundTruth(readDocument(clean).doc)).toEqual([]);
    const real = path.join(CORPUS, 'transkribus-export-M_Otter_012', 'page', 'M_Otterskirchen_012_0006.xml');
    expect(checkGroundTruth(readDocument(fs.readFileSync(real, 'utf8')).doc)).toEqual([]);
  });

  it('tells a crossing polygon from a concave one', () => {
    expect(selfIntersects([{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 10, y: 0 }, { x: 0, y: 10 }])).toBe(true);
    expect(selfIntersects([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 5, y: 5 }, { x: 10, y: 10 }, { x: 0, y: 10 }])).toBe(false);
  });

  it('runs as `htr-studio check`, with the model\'s charset, exit 1 on problems and 0 on a clean file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-check-'));
    const bad = path.join(dir, 'planted.xml');
    const good = path.join(dir, 'clean.xml');
    fs.writeFileSync(bad, planted);
    fs.writeFileSync(good, page([line('a', box(0), base(0), 'one')]));
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const code = await main(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
      return { code, out };
    };
    const r = await run('check', bad, '--model', 'htr-default', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out.join('\n'));
    expect(report.byRule).toMatchObject({ 'text-empty': 1, 'baseline-missing': 2, 'char-outside-charset': 1 });
    expect((await run('check', good)).code).toBe(0);
  });
});

describe('the checker\'s safe fixes (the editor\'s "Fix")', () => {
  const doc = readDocument(planted).doc;
  const problems = checkGroundTruth(doc);

  it('offers fixes only where nothing is lost: NFC text, a missing baseline, a self-crossing polygon', () => {
    expect(problems.filter(canFix).map((p) => `${p.rule}:${p.id}`).sort()).toEqual(['baseline-missing:nobase', 'baseline-missing:onepoint', 'polygon-self-intersecting:bowtie', 'text-not-nfc:nfd']);
  });

  it('fixes them all in one go: the same text in NFC, baselines across their lines, the hull for the crossing polygon', () => {
    const fixed = fixAll(doc, problems.filter(canFix));
    const left = checkGroundTruth(fixed);
    expect(left.filter(canFix)).toEqual([]);
    // What needs a person stays reported.
    expect(left.map((p) => p.rule).sort()).toEqual(problems.filter((p) => !canFix(p)).map((p) => p.rule).sort());
    const nfd = findLine(fixed, 'nfd')!.line;
    expect(lineText(nfd)).toBe('caf\u00e9 decomposed');
    // A baseline 80% down the line box, across it; the one-point baseline keeps its height.
    expect(findLine(fixed, 'nobase')!.line.baseline!.points).toEqual([{ x: 10, y: 132 }, { x: 500, y: 132 }]);
    expect(findLine(fixed, 'onepoint')!.line.baseline!.points).toEqual([{ x: 10, y: 180 }, { x: 500, y: 180 }]);
    // The hull holds every point of the crossing polygon.
    const hull = findLine(fixed, 'bowtie')!.line.coords!.points;
    expect(selfIntersects(hull)).toBe(false);
    for (const q of findLine(doc, 'bowtie')!.line.coords!.points) expect(hull).toContainEqual(q);
    // Nothing else changed.
    expect(findLine(fixed, 'baseout')!.line).toBe(findLine(doc, 'baseout')!.line);
  });

  it('on a page marked Ground truth, reports machine text nobody confirmed, not a person\'s or verified text', () => {
    const machine = mapAllLines(doc, (l) => (l.id === 'nfd' || l.id === 'snow' ? { ...l, textEquivs: [{ unicode: lineText(l), conf: 0.7 }] } : l));
    const verified = verifyLines(machine, ['snow'], { kind: 'person' }, '2026-12-03T10:00:00Z');
    expect(checkGroundTruth(verified, { markedGroundTruth: true }).filter((p) => p.rule === 'gt-unconfirmed').map((p) => p.id)).toEqual(['nfd']);
    expect(checkGroundTruth(verified).filter((p) => p.rule === 'gt-unconfirmed')).toEqual([]);
  });
});
