/**
 * eval pairs recognised lines with ground truth by id when they share ids, and by
 * geometry when they do not (a fresh layout): same text, new ids scores 0% instead
 * of 100%; a line split in two is joined; an extra line is counted as inserted text.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { pairLines } from '../../electron/common/eval/pair-lines.js';
import { allLines } from '../../electron/common/model/stats.js';
import { mapAllLines, setLineText, splitLine } from '../../electron/common/model/ops.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { runCli } from '../helpers/cli-process.js';
import { CORPUS } from '../helpers/corpus.js';

const GT_FILE = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858', 'page', 'PH 1858-535.xml');
const gt = readDocument(fs.readFileSync(GT_FILE, 'utf8')).doc;
const renamed = (doc: PageDocument): PageDocument => mapAllLines(doc, (l) => ({ ...l, id: `new_${l.id}` }));

describe('pairing recognised lines with ground truth', () => {
  it('goes by id when the files share their ids', () => {
    const p = pairLines(gt, setLineText(gt, allLines(gt.page.regions)[0]!.id, 'other'));
    expect(p.by).toBe('id');
    expect(p.pairs[0]!.hyp).toBe('other');
  });

  it('goes by geometry when they do not: every line finds its own', () => {
    const p = pairLines(gt, renamed(gt));
    expect(p.by).toBe('geometry');
    expect(p.pairs).toHaveLength(allLines(gt.page.regions).length);
    for (const pair of p.pairs) expect(pair.hyp, pair.name).toBe(pair.gt);
  });

  it('joins a line recognised in two pieces, left to right, and counts a line that lies on none as inserted', () => {
    const line = allLines(gt.page.regions).find((l) => l.textEquivs[0]!.unicode.trim().split(/\s+/).length > 4 && l.baseline)!;
    const xs = line.baseline!.points.map((p) => p.x);
    const split = splitLine(gt, line.id, (Math.min(...xs) + Math.max(...xs)) / 2);
    const extra: PageDocument = { ...split, page: { ...split.page, regions: [...split.page.regions, { ...split.page.regions[0]!, id: 'far', regions: [], lines: [{ ...line, id: 'ghost', coords: { points: [{ x: 5, y: 5 }, { x: 60, y: 5 }, { x: 60, y: 20 }, { x: 5, y: 20 }] }, baseline: undefined, textEquivs: [{ unicode: 'noise' }] }] }] } };
    const p = pairLines(gt, renamed(extra));
    expect(p.by).toBe('geometry');
    const joined = p.pairs.find((x) => x.name === line.id)!;
    expect(joined.hyp!.replace(/\s+/g, ' ').trim()).toBe(line.textEquivs[0]!.unicode.replace(/\s+/g, ' ').trim());
    expect(p.pairs.at(-1)).toEqual({ name: '(extra) new_ghost', gt: '', hyp: 'noise' });
  });

  it('makes `htr-studio eval` score a fresh layout against its ground truth', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-pair-'));
    const hyp = path.join(dir, 'hyp.xml');
    fs.writeFileSync(hyp, writeDocument(renamed(gt)).xml);
    const r = runCli(['eval', '--gt', GT_FILE, '--hyp', hyp, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cer: 0, pairedBy: 'geometry', missing: 0 });
    expect(runCli(['eval', '--gt', GT_FILE, '--hyp', hyp]).stdout).toContain('lines paired by geometry');
  });
});
