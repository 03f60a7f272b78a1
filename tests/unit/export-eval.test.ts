import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { listModels } from '../../electron/node/models/registry.js';
import { loadRecognizer } from '../../electron/node/recognition/load.js';
import { recognizePage } from '../../electron/node/recognition/recognize-page.js';
import { findPageImage } from '../../electron/node/images/find-image.js';
import { CORPUS } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'htr-exp-'));

describe('htr-studio export --format lines', () => {
  it('writes one PNG + NAME.gt.txt per transcribed line, named page stem + line id, with an index', async () => {
    const page = path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.xml');
    const out = tmp();
    const r = runCli(['export', page, '--format', 'lines', '--height', '64', '-o', out]);
    expect(r.code).toBe(0);
    const doc = readDocument(fs.readFileSync(page, 'utf8')).doc;
    const lines = allLines(doc.page.regions);
    for (const l of lines) {
      const name = `0_4a125_default_${l.id}`;
      expect(fs.readFileSync(path.join(out, `${name}.gt.txt`), 'utf8')).toBe(lineText(l).replace(/\s+/g, ' ').trim() + '\n');
      const meta = await sharp(path.join(out, `${name}.png`)).metadata();
      expect(meta.height).toBe(64);
      expect(meta.channels).toBe(1);
    }
    const index = fs.readFileSync(path.join(out, 'lines.tsv'), 'utf8').trim().split('\n');
    // The first four columns are the public interface archives script; type and source were added after them.
    expect(index[0]).toBe('name\tpage\tline_id\ttext\ttype\tsource');
    expect(index).toHaveLength(lines.length + 1);
    for (const row of index.slice(1)) expect(row.split('\t')[5]).toBe(page);
    expect(r.stderr).toMatch(new RegExp(`exported ${lines.length} line\\(s\\).*skipped 0`));
  });

  it('skips untranscribed lines and says how many and why', () => {
    // A Transkribus table page: 362 lines with baselines, none transcribed yet.
    const page = path.join(CORPUS, 'transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.pxml');
    const out = tmp();
    const r = runCli(['export', page, '--format', 'lines', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/exported 0 line\(s\) .*skipped 362: 362 no transcription/);
  });

  it('refuses formats it does not know, naming those it does', () => {
    const r = runCli(['export', 'x.xml', '--format', 'tei', '-o', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown --format "tei"; this version exports: lines/);
  });
});

describe('htr-studio eval', () => {
  it('pairs NAME.gt.txt with NAME.txt, counts a missing hypothesis as empty, prints confusions', () => {
    const gt = tmp();
    const hyp = tmp();
    fs.writeFileSync(path.join(gt, 'a.gt.txt'), 'le testament\n');
    fs.writeFileSync(path.join(hyp, 'a.txt'), 'le tcstament\n');
    fs.writeFileSync(path.join(gt, 'b.gt.txt'), 'abc\n');
    const r = runCli(['eval', '--gt', gt, '--hyp', hyp, '--json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.charErrors).toBe(1 + 3);
    expect(res.chars).toBe(12 + 3);
    expect(res.cer).toBeCloseTo(4 / 15, 5);
    expect(res.missing).toBe(1);
    expect(res.confusions[0]).toEqual({ ref: 'a', hyp: '', count: 1 });
    expect(res.rows.map((x: { name: string }) => x.name)).toEqual(['a', 'b']);
    const text = runCli(['eval', '--gt', gt, '--hyp', hyp]);
    expect(text.stdout).toMatch(/^CER 26\.67%/);
    expect(text.stdout).toMatch(/e → c/);
  });
});

describe('cancelling recognition', () => {
  it('stops with an AbortError when the signal fires', async () => {
    const xml = path.join(CORPUS, 'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml');
    const doc = readDocument(fs.readFileSync(xml, 'utf8')).doc;
    const rec = await loadRecognizer(listModels().models.find((m) => m.manifest.id === 'htr-default')!);
    const ctl = new AbortController();
    const progress: number[] = [];
    const run = recognizePage(doc, findPageImage(xml, doc.page.imageFilename)!, rec, {
      batchSize: 4,
      signal: ctl.signal,
      onProgress: (done) => {
        progress.push(done);
        ctl.abort();
      },
    });
    await expect(run).rejects.toThrow(/cancelled/);
    // One batch ran, then it stopped: far fewer than the page's 24 lines.
    expect(progress).toHaveLength(1);
    expect(progress[0]).toBeLessThan(24);
    await rec.dispose();
  }, 60_000);
});
