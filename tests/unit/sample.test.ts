/**
 * The sample project the repository ships (assets/sample, made by make-sample.py):
 * small, an ordinary project folder, schema-valid PAGE 2019 ground truth, and a
 * page the shipped models read sensibly.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readDocument } from '../../electron/common/formats/document-io.js';
import type { TextLine } from '../../electron/common/model/types.js';
import { REPO, SCHEMAS } from '../helpers/corpus.js';
import { runMain } from '../helpers/cli-in-process.js';

const SAMPLE = path.join(REPO, 'assets', 'sample');
const images = fs.readdirSync(SAMPLE).filter((f) => f.endsWith('.jpg')).sort();
const xmlOf = (image: string): string => path.join(SAMPLE, 'page', image.replace(/\.jpg$/, '.xml'));

const run = runMain;

function linesOf(file: string): TextLine[] {
  return readDocument(fs.readFileSync(file, 'utf8')).doc.page.regions.flatMap((r) => r.lines);
}

describe('the sample project (assets/sample)', () => {
  it('is two or three JPEG pages, each with page/NAME.xml, under 1.5 MB in all', () => {
    expect(images.length).toBeGreaterThanOrEqual(2);
    expect(images.length).toBeLessThanOrEqual(3);
    for (const image of images) expect(fs.existsSync(xmlOf(image)), image).toBe(true);
    const files = [...images.map((f) => path.join(SAMPLE, f)), ...images.map(xmlOf)];
    const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    expect(total).toBeLessThan(1.5 * 1024 * 1024);
    expect(fs.existsSync(path.join(SAMPLE, 'README.md'))).toBe(true);
    expect(fs.existsSync(path.join(SAMPLE, 'make-sample.py'))).toBe(true);
  });

  it('has ground truth for its own images: size, regions, and every line with polygon, baseline and text', async () => {
    for (const image of images) {
      const { doc } = readDocument(fs.readFileSync(xmlOf(image), 'utf8'));
      expect(doc.format).toMatchObject({ kind: 'page', version: '2019-07-15' });
      expect(doc.page.imageFilename).toBe(image);
      const meta = await sharp(path.join(SAMPLE, image)).metadata();
      expect([doc.page.imageWidth, doc.page.imageHeight]).toEqual([meta.width, meta.height]);
      expect(doc.page.regions.length).toBeGreaterThanOrEqual(2);
      const lines = linesOf(xmlOf(image));
      expect(lines.length).toBeGreaterThanOrEqual(10);
      for (const line of lines) {
        expect(line.textEquivs[0]?.unicode.trim(), line.id).toBeTruthy();
        expect(line.baseline?.points.length, line.id).toBeGreaterThanOrEqual(2);
        const poly = line.coords!.points;
        expect(poly.length, line.id).toBeGreaterThanOrEqual(4);
        // the baseline lies within the line's box
        const xs = poly.map((p) => p.x);
        const ys = poly.map((p) => p.y);
        for (const p of line.baseline!.points) {
          expect(p.x).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(p.x).toBeLessThanOrEqual(Math.max(...xs));
          expect(p.y).toBeGreaterThan(Math.min(...ys));
          expect(p.y).toBeLessThan(Math.max(...ys));
        }
      }
    }
  });

  it(`validates, with the PAGE 2019 XSD where ../shared is there${fs.existsSync(SCHEMAS) ? '' : ' (skipped: no ../shared)'}`, async () => {
    const files = images.map(xmlOf);
    const r = await run('validate', ...files, ...(fs.existsSync(SCHEMAS) ? ['--schemas', SCHEMAS] : []));
    expect(r.out).toHaveLength(files.length);
    for (const line of r.out) expect(line).toMatch(/^OK\t.*\tPAGE 2019-07-15$/);
    expect(r.code).toBe(0);
  });

  it('is read sensibly by `process` with the shipped models: every line found, CER under 25%', async () => {
    const image = images.find((f) => f.startsWith('verne')) ?? images[0]!;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-sample-'));
    try {
      const p = await run('process', path.join(SAMPLE, image), '-o', out, '-q');
      expect(p.code, p.err.join('\n')).toBe(0);
      const hyp = path.join(out, image.replace(/\.jpg$/, '.xml'));
      expect(linesOf(hyp)).toHaveLength(linesOf(xmlOf(image)).length);
      const e = await run('eval', '--gt', xmlOf(image), '--hyp', hyp, '--json');
      const score = JSON.parse(e.out.join('\n')) as { cer: number; missing: number };
      expect(score.missing).toBe(0);
      expect(score.cer).toBeLessThan(0.25);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
