/**
 * Zipped exports and their manifest (#21 item 3), on real pages: the TIME US
 * eScriptorium page in a project of three (with a licence in its htr-studio.json),
 * the OCR-D workspace page whose mets.xml records MODS rights, and the Transkribus
 * export page (nothing says its licence), read in place. The zip holds exactly the
 * folder export's files with byte-identical line images; the manifest's hashes are
 * those of the source files; the split is recorded as split.tsv has it; a refused or
 * failed export leaves no zip under the final name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { mapAllLines } from '../../electron/common/model/ops.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { unzipSafely } from '../../electron/node/import/zip.js';
import { listFiles } from '../../electron/node/export/zip-folder.js';
import { exportDestination, writeToDestination } from '../../electron/node/export/export-package.js';
import type { ExportManifest } from '../../electron/node/export/export-manifest.js';
import { CORPUS, REPO } from '../helpers/corpus.js';
import { ensureCliBuilt, runCli } from '../helpers/cli-process.js';
import { spawn } from 'node:child_process';

const TIMEUS = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';
const OCRD_PAGE = path.join(CORPUS, 'ocrd-gt-structure-text', 'laube_europa0202_1837', 'GT-PAGE', 'laube_europa0202_1837_0006.xml');
const TRANSKRIBUS_PAGE = path.join(CORPUS, 'transkribus-export-M_Otter_012', 'page', 'M_Otterskirchen_012_0006.xml');
const LICENCE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';
const ATTRIBUTION = 'Archives nationales, TIME US project';

let root: string;
let project: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-exportzip-'));
  project = path.join(root, 'project');
  fs.mkdirSync(path.join(project, 'page'), { recursive: true });
  const source = readDocument(writeDocument(readDocument(fs.readFileSync(path.join(TIMEUS, 'page', `${NAME}.xml`), 'utf8')).doc, 'page-2019').xml).doc;
  for (const stem of ['a', 'b', 'c']) {
    fs.copyFileSync(path.join(TIMEUS, `${NAME}.jpg`), path.join(project, `${stem}.jpg`));
    // Page c: two lines whose text was deleted, for the manifest's count of lines left out.
    const blank = new Set(stem === 'c' ? allLines(source.page.regions).slice(0, 2).map((l) => l.id) : []);
    const doc = mapAllLines(source, (l) => (blank.has(l.id) ? { ...l, textEquivs: [{ unicode: '' }] } : l));
    fs.writeFileSync(path.join(project, 'page', `${stem}.xml`), writeDocument({ ...doc, page: { ...doc.page, imageFilename: `${stem}.jpg` } }).xml);
  }
  fs.writeFileSync(path.join(project, 'htr-studio.json'), JSON.stringify({ htrStudioProject: 1, settings: { license: LICENCE, attribution: ATTRIBUTION }, pages: { 'a.jpg': { status: 'ground-truth' } } }));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const inputs = (): string[] => [...['a', 'b', 'c'].map((s) => path.join(project, 'page', `${s}.xml`)), OCRD_PAGE, TRANSKRIBUS_PAGE];
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const manifestOf = (dir: string): ExportManifest => JSON.parse(fs.readFileSync(path.join(dir, 'export-manifest.json'), 'utf8')) as ExportManifest;
/** Files left beside an export that are not the export (temporary names of a zip being written). */
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.startsWith('.'));

describe('zipped export with a manifest', () => {
  let folder: string;
  let unzipped: string;
  let zipStderr: string;
  beforeAll(async () => {
    folder = path.join(root, 'kraken-folder');
    const zip = path.join(root, 'kraken.zip');
    const common = ['--format', 'kraken', '--split', '34/33/33', '--seed', '1', '--force', '--height', '48', '-q'];
    const a = runCli(['export', ...inputs(), ...common, '-o', folder]);
    expect(a.code, a.stderr).toBe(0);
    // --zip on a name without .zip adds it.
    const b = runCli(['export', ...inputs(), ...common, '--zip', '-o', zip.replace(/\.zip$/, '')]);
    expect(b.code, b.stderr).toBe(0);
    zipStderr = b.stderr;
    expect(b.stderr).toContain(`to ${zip}`);
    expect(fs.existsSync(zip)).toBe(true);
    expect(leftovers(root)).toEqual([]);
    unzipped = path.join(root, 'kraken-unzipped');
    await unzipSafely(zip, unzipped);
  }, 300_000);

  it('holds exactly the folder export\'s files, line images byte-identical', async () => {
    const files = await listFiles(folder);
    expect(await listFiles(unzipped)).toEqual(files);
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThan(100);
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(['train', 'val', 'test', 'split.tsv', 'export-manifest.json']));
    for (const f of files) {
      if (f === 'export-manifest.json') continue;
      // Images, texts, lines.tsv and split.tsv: the same bytes.
      expect(Buffer.compare(fs.readFileSync(path.join(unzipped, f)), fs.readFileSync(path.join(folder, f))), f).toBe(0);
    }
  });

  it('records each source with the SHA-256 and size of its page file and image', () => {
    const m = manifestOf(unzipped);
    expect(m.htrStudioExport).toBe(1);
    expect(m.generator.version).toBe(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    expect(m.format).toBe('kraken');
    expect(m.command).toContain('--zip');
    expect(m.options).toMatchObject({ split: '34/33/33', seed: 1, force: true, height: 48 });
    expect(m.sources.map((s) => s.page)).toEqual(['a', 'b', 'c', 'laube_europa0202_1837_0006', 'M_Otterskirchen_012_0006']);
    const a = m.sources[0]!;
    // Inside a project: paths relative to it.
    expect(a.pageFile).toEqual({ path: 'page/a.xml', bytes: fs.statSync(path.join(project, 'page', 'a.xml')).size, sha256: sha256(path.join(project, 'page', 'a.xml')) });
    expect(a.image).toEqual({ path: 'a.jpg', bytes: fs.statSync(path.join(TIMEUS, `${NAME}.jpg`)).size, sha256: sha256(path.join(TIMEUS, `${NAME}.jpg`)) });
    const ocrd = m.sources[3]!;
    expect(ocrd.pageFile.sha256).toBe(sha256(OCRD_PAGE));
    const ocrdImage = path.join(path.dirname(OCRD_PAGE), readDocument(fs.readFileSync(OCRD_PAGE, 'utf8')).doc.page.imageFilename.split('/').pop()!);
    expect(ocrd.image?.sha256).toBe(sha256(ocrdImage));
    expect(m.sources[4]!.pageFile.sha256).toBe(sha256(TRANSKRIBUS_PAGE));
  });

  it('records the split as split.tsv has it, and the counts the export made', () => {
    const m = manifestOf(unzipped);
    expect(m.split).toEqual({ shares: { train: 0.34, val: 0.33, test: 0.33 }, seed: 1 });
    const rows = fs.readFileSync(path.join(unzipped, 'split.tsv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split('\t'));
    expect(m.sources.map((s) => [s.page, s.split, s.document, s.status])).toEqual(rows.map((r) => r.slice(0, 4)));
    expect(new Set(m.sources.map((s) => s.split))).toEqual(new Set(['train', 'val', 'test']));
    // Lines per split: the pairs in each folder; per page they add up.
    for (const s of ['train', 'val', 'test'] as const) {
      const pairs = fs.existsSync(path.join(unzipped, s)) ? fs.readdirSync(path.join(unzipped, s)).filter((f) => f.endsWith('.gt.txt')).length : 0;
      expect(m.counts.lines[s]).toBe(pairs);
      expect(m.sources.filter((p) => p.split === s).reduce((n, p) => n + p.lines, 0)).toBe(pairs);
    }
    expect(m.counts.pages).toEqual({ train: m.sources.filter((s) => s.split === 'train').length, val: m.sources.filter((s) => s.split === 'val').length, test: m.sources.filter((s) => s.split === 'test').length });
    // The Transkribus page has no lines: exported, with none.
    expect(allLines(readDocument(fs.readFileSync(TRANSKRIBUS_PAGE, 'utf8')).doc.page.regions).length).toBe(0);
    expect(m.sources[4]!.lines).toBe(0);
    // The lines left out, by reason, as the command reported them: page c's two emptied lines.
    expect(m.counts.linesSkipped).toEqual({ 'no transcription': 2 });
    expect(zipStderr).toContain('left out: 2 no transcription');
    expect(m.sources[2]!.lines).toBe(m.sources[1]!.lines - 2);
  });

  it('says each source\'s licence and attribution where the project or a METS says them, else "unknown"', () => {
    const m = manifestOf(unzipped);
    expect(m.sources[0]!.rights).toMatchObject({ licence: LICENCE, attribution: ATTRIBUTION, from: ['htr-studio.json settings'] });
    const ocrd = m.sources[3]!.rights;
    expect(ocrd.licence).toBe('Public Domain Mark 1.0 (https://creativecommons.org/publicdomain/mark/1.0/)');
    expect(ocrd.attribution).toContain('OCR-D');
    expect(ocrd.from).toEqual([path.join(path.dirname(path.dirname(OCRD_PAGE)), 'mets.xml')]);
    const tk = m.sources[4]!.rights;
    expect(tk).toMatchObject({ licence: 'unknown', attribution: 'unknown', from: [] });
    // What the page file itself says of who made it (Transkribus lists its tools).
    expect(tk.pageCreator).toContain('CITlab');
    expect(m.licences).toEqual([
      { licence: LICENCE, attribution: ATTRIBUTION, pages: 3 },
      { licence: ocrd.licence, attribution: ocrd.attribution, pages: 1 },
      { licence: 'unknown', attribution: 'unknown', pages: 1 },
    ]);
  });
});

describe('a zip is complete or absent', () => {
  it('writes no zip when the checker refuses the export', () => {
    const dir = fs.mkdtempSync(path.join(root, 'refused-'));
    // Machine text nobody confirmed on a page marked Ground truth (page a of the project).
    const xml = path.join(project, 'page', 'a.xml');
    const before = fs.readFileSync(xml, 'utf8');
    try {
      const doc = readDocument(before).doc;
      fs.writeFileSync(xml, writeDocument(mapAllLines(doc, (l) => ({ ...l, textEquivs: [{ unicode: lineText(l), conf: 0.5 }] }))).xml);
      const r = runCli(['export', xml, '--format', 'kraken', '-o', path.join(dir, 'gt.zip'), '-q']);
      expect(r.code).toBe(2);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.writeFileSync(xml, before);
    }
  });

  it('leaves an earlier zip of the same name as it was, and nothing else, when the export fails half-way', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'failed-'));
    const target = path.join(dir, 'gt.zip');
    fs.writeFileSync(target, 'an earlier export');
    await expect(writeToDestination(exportDestination(target), async (stage) => {
      fs.mkdirSync(stage, { recursive: true });
      fs.writeFileSync(path.join(stage, 'half.gt.txt'), 'written before the failure\n');
      throw new Error('disk full');
    }, () => true)).rejects.toThrow('disk full');
    expect(fs.readdirSync(dir)).toEqual(['gt.zip']);
    expect(fs.readFileSync(target, 'utf8')).toBe('an earlier export');
  });

  it('Ctrl+C during a zipped export removes its temporary files: no zip, nothing left', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'interrupted-'));
    const child = spawn(process.execPath, [ensureCliBuilt(), 'export', ...inputs().slice(0, 3), '--format', 'kraken', '--force', '-q', '-o', path.join(dir, 'gt.zip')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupted once line pairs are being written into the staging folder.
    const started = Date.now();
    const staging = (): string | undefined => fs.readdirSync(dir).find((f) => f.endsWith('.partial'));
    while (!(staging() && fs.readdirSync(path.join(dir, staging()!)).some((f) => f.endsWith('.png'))) && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 50));
    expect(staging()).toBeDefined();
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain('cancelled; no zip was written');
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 180_000);

  it('zips the lines format too, Loghi lists relative to the zip\'s root', async () => {
    const zip = path.join(root, 'lines.zip');
    expect(runCli(['export', path.join(project, 'page', 'b.xml'), '--format', 'lines', '-o', zip, '-q']).code).toBe(0);
    const out = path.join(root, 'lines-unzipped');
    await unzipSafely(zip, out);
    const m = manifestOf(out);
    expect(m.format).toBe('lines');
    expect(m.counts.lines.all).toBe(fs.readdirSync(out).filter((f) => f.endsWith('.gt.txt')).length);
    expect(m.sources[0]!.rights.licence).toBe(LICENCE);
    const loghi = path.join(root, 'loghi.zip');
    expect(runCli(['export', path.join(project, 'page', 'b.xml'), '--format', 'loghi', '--zip', '-o', loghi, '-q']).code).toBe(0);
    const lo = path.join(root, 'loghi-unzipped');
    await unzipSafely(loghi, lo);
    const row = fs.readFileSync(path.join(lo, 'train.txt'), 'utf8').split('\n')[0]!.split('\t');
    expect(path.isAbsolute(row[0]!)).toBe(false);
    expect(fs.existsSync(path.join(lo, row[0]!))).toBe(true);
  });

  it('says --zip is not for yolo', () => {
    const r = runCli(['export', path.join(project, 'page', 'b.xml'), '--format', 'yolo', '--zip', '-o', path.join(root, 'y')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--zip does not apply to --format yolo');
  });
});
