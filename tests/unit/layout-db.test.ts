import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import type { Points } from '../../electron/common/model/types.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { bbox } from '../../electron/common/model/points.js';
import { scoreLines } from '../../electron/common/layout/score.js';
import { dbBoxes } from '../../electron/common/layout/db-postprocess.js';
import { minAreaRect, unclipRect } from '../../electron/common/layout/unclip.js';
import { groupLines } from '../../electron/common/layout/group-lines.js';
import { findPageImage } from '../../electron/node/images/find-image.js';
import { DbDetector, dbInputSize } from '../../electron/node/layout/db-detector.js';
import { ModelError } from '../../electron/node/recognition/onnx-ctc.js';
import { CORPUS, REPO } from '../helpers/corpus.js';
import { canUnshareNetwork } from '../helpers/cli-process.js';

/** A corpus page's image and its ground-truth line outlines. */
function page(rel: string): { image: string; gt: Points[] } {
  const file = path.join(CORPUS, rel);
  const { doc } = readDocument(fs.readFileSync(file, 'utf8'));
  return { image: findPageImage(file, doc.page.imageFilename)!, gt: allLines(doc.page.regions).map((l) => l.coords?.points ?? []) };
}

describe('DB post-processing (pure)', () => {
  it('minimum-area rectangle of a rotated rectangle is that rectangle; unclip grows each side by area·r/perimeter', () => {
    const a = Math.PI / 6;
    const corner = (u: number, v: number) => ({ x: 50 + u * Math.cos(a) - v * Math.sin(a), y: 50 + u * Math.sin(a) + v * Math.cos(a) });
    const r = minAreaRect([corner(0, 0), corner(40, 0), corner(40, 10), corner(0, 10)]);
    expect(r.width * r.height).toBeCloseTo(400);
    expect(Math.max(r.width, r.height)).toBeCloseTo(40);
    const g = unclipRect(r, 1.5);
    const d = (400 * 1.5) / 100; // area × ratio / perimeter = 6
    expect(Math.max(g.width, g.height)).toBeCloseTo(40 + 2 * d);
    expect(Math.min(g.width, g.height)).toBeCloseTo(10 + 2 * d);
  });

  it('finds one box per blob, drops faint and tiny blobs, grows boxes by the unclip ratio', () => {
    const W = 100, H = 60;
    const map = new Float32Array(W * H);
    const fill = (x0: number, y0: number, x1: number, y1: number, v: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) map[y * W + x] = v;
    };
    fill(10, 10, 59, 17, 0.9); // a word: 50 × 8 pixels
    fill(10, 30, 59, 37, 0.4); // above the binarisation threshold but below the box score
    fill(80, 50, 81, 51, 0.9); // 2 × 2: under min size
    const boxes = dbBoxes(map, W, H);
    expect(boxes).toHaveLength(1);
    const b = bbox(boxes[0]!.quad)!;
    // Pixel centres span 49 × 7; d = 49·7·1.5 / (2·56) ≈ 4.6 on every side.
    expect(b.minX).toBeCloseTo(10 - 4.59, 1);
    expect(b.maxX).toBeCloseTo(59 + 4.59, 1);
    expect(b.minY).toBeCloseTo(10 - 4.59, 1);
    expect(boxes[0]!.score).toBeCloseTo(0.9);
  });

  it('groups word fragments into lines in reading order, keeping lines apart', () => {
    const word = (x: number, y: number, w = 40) => ({ polygon: [{ x, y }, { x: x + w, y }, { x: x + w, y: y + 20 }, { x, y: y + 20 }], conf: 0.8 });
    // Two lines of three words (the second slightly sloping), words 8 px apart, lines 30 px apart; given out of order.
    const frags = [word(100, 53), word(0, 0), word(48, 1), word(0, 50), word(96, 2), word(50, 52)];
    const lines = groupLines(frags);
    expect(lines.map((l) => l.fragments)).toEqual([3, 3]);
    expect(bbox(lines[0]!.polygon)).toEqual({ minX: 0, minY: 0, maxX: 136, maxY: 22 });
    expect(bbox(lines[1]!.polygon)!.minY).toBe(50);
    // A word far to the right (a second column) starts its own line.
    expect(groupLines([word(0, 0), word(300, 0)])).toHaveLength(2);
  });

  it('input size: long side shrunk to the limit (never enlarged), both sides multiples of 32', () => {
    expect(dbInputSize(2000, 1580, 1280)).toEqual({ width: 1280, height: 1024 });
    expect(dbInputSize(228, 109, 1280)).toEqual({ width: 224, height: 96 });
    expect(dbInputSize(20, 10, 1280)).toEqual({ width: 32, height: 32 });
  });
});

describe('PP-OCRv4 DB line finder on real pages', () => {
  // F1 measured with the defaults (docs/benchmarks.md) minus a margin for platform differences.
  const cases: [string, string, number][] = [
    ['printed (OCR-D ground truth, 35 lines)', 'larex-and-ocrd-dinglehopper/OCR-D-GT_0008.xml', 0.93],
    ['typewritten (eScriptorium tapuscorpus, 7 lines)', 'escriptorium-tapuscorpus-page/0_4a125_default.xml', 0.85],
  ];
  for (const [what, rel, minF1] of cases) {
    it(`${what}: line F1 ≥ ${minF1}`, async () => {
      const p = page(rel);
      const det = await DbDetector.load();
      try {
        const r = await det.detect(p.image);
        expect(r.detector).toBe('ppocr-db');
        expect(r.regions).toEqual([]);
        expect(r.lines.every((l) => l.label === 'line' && l.conf > 0 && l.conf <= 1)).toBe(true);
        const s = scoreLines(r.lines.map((l) => l.polygon), p.gt);
        expect(s.f1).toBeGreaterThanOrEqual(minF1);
      } finally {
        await det.dispose();
      }
    });
  }

  it('has a manifest built in code: ppocr-db, family db, task layout, Apache-2.0, PaddleOCR cited', async () => {
    const det = await DbDetector.load();
    expect(det.manifest).toMatchObject({ id: 'ppocr-db', family: 'db', task: 'layout', licence: 'Apache-2.0' });
    expect(det.manifest.citation).toMatch(/PaddleOCR/);
    await det.dispose();
  });

  it('a missing or damaged model file is a clear ModelError', async () => {
    await expect(DbDetector.load({ modelFile: '/nonexistent/det.onnx' })).rejects.toThrow(/model file not found: \/nonexistent\/det\.onnx/);
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'htr-db-')), 'det.onnx');
    fs.writeFileSync(bad, 'this is not a protobuf');
    const err = await DbDetector.load({ modelFile: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/cannot load .*det\.onnx \(damaged or not an ONNX model\)/);
  });
});

describe.skipIf(!canUnshareNetwork())('Tesseract layout with the network cut off', () => {
  it('finds the lines of a printed page', async () => {
    // A child process in a namespace without network (unshare -n), so any download attempt fails.
    const dir = path.join(REPO, '.cache/test');
    fs.mkdirSync(dir, { recursive: true });
    const entry = path.join(dir, 'tesseract-layout-entry.ts');
    fs.writeFileSync(entry, `
import { TesseractLayout } from '../../electron/node/layout/tesseract-layout.js';
const det = await TesseractLayout.load();
const r = await det.detect(process.argv[2]!);
await det.dispose();
process.stdout.write(JSON.stringify(r));
`);
    const out = path.join(dir, 'tesseract-layout.mjs');
    await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error', external: ['sharp', 'onnxruntime-node', 'tesseract.js'] });
    const p = page('larex-and-ocrd-dinglehopper/OCR-D-GT_0008.xml');
    const run = spawnSync('unshare', ['-n', process.execPath, out, p.image], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.detector).toBe('tesseract-layout');
    expect(r.regions.length).toBeGreaterThan(0);
    const s = scoreLines(r.lines.map((l: { polygon: { x: number; y: number }[] }) => l.polygon), p.gt);
    expect(s.f1).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
