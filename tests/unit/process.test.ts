import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

describe('htr-studio process', () => {
  const images = [
    path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.jpg'),
    path.join(CORPUS, 'escriptorium-tapuscorpus-page/FRAN_0011_11140_L-medium.jpg'),
  ];

  it('segments and recognises pages into valid PAGE 2019 with text, and resumes', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-process-'));
    const r = runCli(['process', ...images, '-o', out, '--model', 'tesseract-fra', '--json', '-q']);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.results).toHaveLength(2);
    for (const p of res.results) {
      const xml = fs.readFileSync(p.output, 'utf8');
      const doc = readDocument(xml).doc;
      expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors).toEqual([]);
      const lines = allLines(doc.page.regions);
      expect(lines.length).toBeGreaterThan(3);
      const withText = lines.filter((l) => (l.textEquivs[0]?.unicode ?? '').trim().length > 0);
      expect(withText.length).toBeGreaterThan(lines.length / 2);
      for (const l of lines) expect(l.baseline!.points.length).toBeGreaterThanOrEqual(2);
    }
    // Resumable: a second run skips both pages; --force redoes them.
    // Pages run in parallel, so results come in the order they finish.
    const first = res.results.find((x: { image: string }) => x.image === images[0]).output as string;
    const before = fs.statSync(first).mtimeMs;
    const again = runCli(['process', ...images, '-o', out, '--model', 'tesseract-fra', '-q']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/2 page\(s\) already processed .*skipped \(use --force to redo them\)/);
    expect(fs.statSync(first).mtimeMs).toBe(before);
    fs.writeFileSync(first, 'stale');
    const forced = runCli(['process', images[0]!, '-o', out, '--model', 'tesseract-fra', '--force', '--json', '-q']);
    expect(forced.stderr).not.toMatch(/^error/m);
    expect(JSON.parse(forced.stdout).results).toHaveLength(1);
    // Redone: the file is a page again, not what we left there.
    expect(readDocument(fs.readFileSync(first, 'utf8')).doc.page.imageWidth).toBeGreaterThan(0);
  }, 240_000);
});
