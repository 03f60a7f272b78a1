/**
 * `htr-studio export` of a project's ground truth: documents (PAGE 2019/2013, ALTO 4,
 * text) and trainers' layouts (kraken/tesstrain pairs, PyLaia, Loghi), filtered by
 * page status, split by document, with the ground-truth checker before line pairs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, mapAllLines } from '../../electron/common/model/ops.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { assignSplits, parseSplit } from '../../electron/node/export/gt-export.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';
const source = readDocument(writeDocument(readDocument(fs.readFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), 'utf8')).doc, 'page-2019').xml).doc;

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-gtexport-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Pages a (ground truth), b (done), c (new): the real page (people's text, conformed to PAGE 2019) under three names. */
function project(statuses: Record<string, string> = { 'a.jpg': 'ground-truth', 'b.jpg': 'done' }, edit = (d: typeof source) => d): string {
  const dir = fs.mkdtempSync(path.join(root, 'project-'));
  fs.mkdirSync(path.join(dir, 'page'));
  for (const stem of ['a', 'b', 'c']) {
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(dir, `${stem}.jpg`));
    const doc = edit({ ...source, page: { ...source.page, imageFilename: `${stem}.jpg` } });
    fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), writeDocument(doc).xml);
  }
  fs.writeFileSync(path.join(dir, 'htr-studio.json'), JSON.stringify({ htrStudioProject: 1, pages: Object.fromEntries(Object.entries(statuses).map(([k, s]) => [k, { status: s }])) }));
  return dir;
}
const pages = (dir: string) => ['a', 'b', 'c'].map((s) => path.join(dir, 'page', `${s}.xml`));

describe('export of documents', () => {
  it('writes only the pages of the asked statuses, as schema-valid PAGE 2019 and ALTO 4 that read back the same', async () => {
    const dir = project();
    for (const [format, kind] of [['page', 'page'], ['alto', 'alto']] as const) {
      const out = path.join(root, `docs-${format}`);
      const r = runCli(['export', ...pages(dir), '--format', format, '--status', 'ground-truth,done', '-o', out, '-q']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('1 page(s) not of status ground-truth or done');
      expect(fs.readdirSync(out).sort()).toEqual(['a.xml', 'b.xml', 'export-manifest.json', 'split.tsv']);
      const xml = fs.readFileSync(path.join(out, 'a.xml'), 'utf8');
      const doc = readDocument(xml).doc;
      expect(doc.format.kind).toBe(kind);
      const res = await validateAgainstXsd(xml, SCHEMAS, doc.format);
      expect(res.errors.slice(0, 3)).toEqual([]);
      // Every transcribed line comes back with its text.
      expect(allLines(doc.page.regions).map(lineText).filter(Boolean)).toEqual(allLines(source.page.regions).map(lineText).filter(Boolean));
    }
    const split = fs.readFileSync(path.join(root, 'docs-page', 'split.tsv'), 'utf8').trim().split('\n');
    expect(split[0]).toBe('page\tsplit\tdocument\tstatus\tsource');
    expect(split.slice(1).map((r) => r.split('\t').slice(0, 2).concat(r.split('\t')[3]!))).toEqual([['a', 'train', 'ground-truth'], ['b', 'train', 'done']]);
  });

  it('writes plain text in reading order, and PAGE 2013 for Transkribus', () => {
    const dir = project();
    const out = path.join(root, 'docs-text');
    expect(runCli(['export', pages(dir)[0]!, '--format', 'text', '-o', out, '-q']).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8').split('\n').slice(0, 3)).toEqual(allLines(source.page.regions).slice(0, 3).map(lineText));
    const out13 = path.join(root, 'docs-2013');
    expect(runCli(['export', pages(dir)[0]!, '--format', 'page-2013', '-o', out13, '-q']).code).toBe(0);
    expect(readDocument(fs.readFileSync(path.join(out13, 'a.xml'), 'utf8')).doc.format).toMatchObject({ kind: 'page', version: '2013-07-15' });
  });
});

describe('export for trainers', () => {
  it('splits whole documents into train/val/test, with PyLaia\'s lists and Loghi\'s', async () => {
    const dir = project({});
    const out = path.join(root, 'pylaia');
    const r = runCli(['export', ...pages(dir), '--format', 'pylaia', '--split', '34/33/33', '--height', '48', '-o', out, '-q']);
    expect(r.code, r.stderr).toBe(0);
    const splits = fs.readFileSync(path.join(out, 'split.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[1]);
    expect(splits.sort()).toEqual(['test', 'train', 'val']);
    for (const s of ['train', 'val', 'test']) {
      const list = fs.readFileSync(path.join(out, s, `${s}.txt`), 'utf8').trim().split('\n');
      const ids = fs.readFileSync(path.join(out, s, `${s}_ids.txt`), 'utf8').trim().split('\n');
      expect(list.length).toBe(ids.length);
      expect(list.length).toBeGreaterThan(40);
      const [id, ...chars] = list[0]!.split(' ');
      expect(id).toBe(ids[0]);
      // The image is there, 48 px high; its text is spelled out with <space>.
      expect((await sharp(path.join(out, s, 'images', `${id}.png`)).metadata()).height).toBe(48);
      expect(chars.join(' ')).toBe([...fs.readFileSync(path.join(out, s, 'images', `${id}.gt.txt`), 'utf8').trim()].map((c) => (c === ' ' ? '<space>' : c)).join(' '));
      expect(fs.readFileSync(path.join(out, s, 'syms.txt'), 'utf8').split('\n')[0]).toBe('<ctc> 0');
    }
    const loghi = path.join(root, 'loghi');
    expect(runCli(['export', pages(dir)[0]!, '--format', 'loghi', '-o', loghi, '-q']).code).toBe(0);
    const row = fs.readFileSync(path.join(loghi, 'train.txt'), 'utf8').split('\n')[0]!.split('\t');
    expect(fs.existsSync(row[0]!)).toBe(true);
    expect(row[1]).toBe(fs.readFileSync(row[0]!.replace(/\.png$/, '.gt.txt'), 'utf8').trim());
  });

  it('refuses a page marked Ground truth with machine text nobody confirmed, and with --force leaves those lines out', () => {
    // Two lines of page a still carry the model's text (a confidence, no person's version).
    const machine = new Set(allLines(source.page.regions).slice(0, 2).map((l) => l.id));
    const dir = project({ 'a.jpg': 'ground-truth' }, (d) => mapAllLines(d, (l) => (machine.has(l.id) ? { ...l, textEquivs: [{ unicode: lineText(l), conf: 0.5 }] } : l)));
    const out = path.join(root, 'kraken-refused');
    const r = runCli(['export', pages(dir)[0]!, '--format', 'kraken', '-o', out, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not exported: \d+ line\(s\) would teach a trainer the wrong thing \(.*2 gt-unconfirmed/);
    expect(fs.existsSync(out)).toBe(false);
    const forced = runCli(['export', pages(dir)[0]!, '--format', 'kraken', '--force', '-o', out, '-q']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/left out: .*2 checker: gt-unconfirmed/);
    const names = fs.readFileSync(path.join(out, 'lines.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[2]);
    for (const id of machine) expect(names).not.toContain(id);
    expect(names.length).toBeGreaterThan(40);
    // The same lines as `lines`, where they pass: pairs of PNG and .gt.txt.
    expect(fs.existsSync(path.join(out, `a_${[...allLines(source.page.regions)][5]!.id}.png`))).toBe(true);
    expect(findLine(source, [...machine][0]!)).toBeDefined();
  });

  it('says what is wrong with bad options', () => {
    const dir = project();
    expect(runCli(['export', pages(dir)[0]!, '--format', 'page', '--status', 'finished', '-o', path.join(root, 'x')]).stderr).toContain('--status: expected one or more of new, in-progress, done, ground-truth');
    expect(runCli(['export', pages(dir)[0]!, '--format', 'kraken', '--split', '80/30', '-o', path.join(root, 'x')]).code).toBe(2);
    expect(runCli(['export', pages(dir)[0]!, '--format', 'page', '--force', '-o', path.join(root, 'x')]).stderr).toContain('--force does not apply to --format page');
    expect(runCli(['export', pages(dir)[0]!, '--format', 'lines', '--status', 'done', '-o', path.join(root, 'x')]).stderr).toContain('--status does not apply to --format lines');
  });

  it('parses splits and keeps a document on one side', () => {
    expect(parseSplit('80/10/10')).toEqual({ train: 0.8, val: 0.1, test: 0.1 });
    expect(parseSplit('90/10')).toEqual({ train: 0.9, val: 0.1, test: 0 });
    expect(() => parseSplit('0/100')).toThrow();
    const pages = ['w1_p1', 'w1_p2', 'w2_p1', 'w2_p2', 'w3_p1', 'w4_p1', 'w5_p1', 'w6_p1'].map((n) => ({ name: n, xml: `/x/${n.replace('_p', '-')}.xml` }));
    const s = assignSplits(pages, parseSplit('50/25/25'), 3);
    expect(s.get('w1_p1')).toBe(s.get('w1_p2'));
    expect(s.get('w2_p1')).toBe(s.get('w2_p2'));
    expect(new Set(s.values()).size).toBe(3);
  });
});
