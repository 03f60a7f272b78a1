import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { classRule, layoutToPage } from '../../electron/common/layout/to-page.js';
import { orderLines, orderRegions } from '../../electron/common/layout/reading-order.js';
import type { Detection, LayoutResult } from '../../electron/common/layout/types.js';
import { boxPolygon } from '../../electron/common/model/points.js';
import { structureType } from '../../electron/common/model/custom-attr.js';
import { regionsInReadingOrder } from '../../electron/common/model/ops.js';
import { allLines } from '../../electron/common/model/stats.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { estimateBaseline } from '../../electron/node/layout/baseline.js';
import { loadGrey } from '../../electron/node/images/page-image.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

const box = (minX: number, minY: number, maxX: number, maxY: number) => ({ minX, minY, maxX, maxY });
const det = (label: string, b: ReturnType<typeof box>, conf = 0.9): Detection => ({ label, conf, polygon: boxPolygon(b) });

describe('class names to PAGE', () => {
  it('follows SegmOnto: zones to region types, *Line to lines, subtypes stripped', () => {
    expect(classRule('MainZone')).toEqual({ kind: 'region', page: 'TextRegion', segmonto: 'MainZone' });
    expect(classRule('GraphicZone')).toEqual({ kind: 'region', page: 'GraphicRegion', segmonto: 'GraphicZone' });
    expect(classRule('HeadingLine:title')).toEqual({ kind: 'line', segmonto: 'HeadingLine' });
    expect(classRule('textline')).toEqual({ kind: 'line' });
    expect(classRule('paragraph')).toEqual({ kind: 'region', page: 'TextRegion' });
    expect(classRule('x', { x: { kind: 'ignore' } })).toEqual({ kind: 'ignore' });
  });
});

describe('reading order from geometry', () => {
  // A heading across two columns, then the columns, a marginal note beside the right column's middle.
  const items = [
    { id: 'left', box: box(100, 300, 480, 1500) },
    { id: 'heading', box: box(100, 100, 900, 200) },
    { id: 'right', box: box(520, 300, 900, 1500) },
    { id: 'note', box: box(920, 700, 1000, 900), margin: true },
    { id: 'footer', box: box(100, 1600, 900, 1700) },
  ];

  it('reads heading, columns left to right, a note after the text beside it, then the footer', () => {
    expect(orderRegions(items)).toEqual(['heading', 'left', 'right', 'note', 'footer']);
  });

  it('reads columns right to left on RTL pages', () => {
    expect(orderRegions(items, 'rtl')).toEqual(['heading', 'right', 'note', 'left', 'footer']);
  });

  it('orders lines by rows, fragments of one row by x', () => {
    const lines = [
      { id: 'b', box: box(500, 100, 900, 140) },
      { id: 'a', box: box(100, 105, 480, 142) },
      { id: 'c', box: box(100, 160, 900, 200) },
    ];
    expect(orderLines(lines)).toEqual(['a', 'b', 'c']);
    expect(orderLines(lines, 'rtl')).toEqual(['b', 'a', 'c']);
  });
});

describe('detections to a PAGE document', () => {
  const result: LayoutResult = {
    width: 1200,
    height: 1800,
    detector: 'test',
    regions: [det('MainZone', box(100, 300, 480, 1500)), det('MainZone', box(520, 300, 900, 1500)), det('MarginTextZone', box(920, 700, 1100, 900)), det('GraphicZone', box(100, 1550, 300, 1750))],
    lines: [
      det('DefaultLine', box(110, 400, 470, 440)),
      det('DefaultLine', box(110, 320, 470, 360)),
      det('DefaultLine', box(530, 320, 890, 360)),
      det('HeadingLine', box(930, 720, 1090, 760)),
      // Outside every zone: must get a region of its own.
      det('DefaultLine', box(400, 1600, 1000, 1640)),
      det('DefaultLine', box(400, 1660, 1000, 1700)),
    ],
  };

  it('assigns lines to the zone holding them, orders everything, and writes schema-valid PAGE 2019', async () => {
    const doc = layoutToPage(result, { imageFilename: 'page.jpg', now: '2026-11-28T00:00:00Z' });
    const kinds = doc.page.regions.map((r) => [r.kind, structureType(r.custom) ?? null, r.lines.length]);
    expect(kinds).toEqual([
      ['TextRegion', 'MainZone', 2],
      ['TextRegion', 'MainZone', 1],
      ['TextRegion', 'MarginTextZone', 1],
      ['GraphicRegion', 'GraphicZone', 0],
      ['TextRegion', null, 2],
    ]);
    // Lines within the first column top to bottom, whatever the detection order.
    expect(doc.page.regions[0]!.lines.map((l) => l.coords!.points[0]!.y)).toEqual([320, 400]);
    expect(structureType(doc.page.regions[2]!.lines[0]!.custom)).toBe('HeadingLine');
    expect(regionsInReadingOrder(doc)).toEqual(doc.page.regions.map((r) => r.id));
    const { xml, warnings } = writeDocument(doc, 'page-2019');
    expect(warnings).toEqual([]);
    const back = readDocument(xml).doc;
    expect((await validateAgainstXsd(xml, SCHEMAS, back.format)).errors).toEqual([]);
    for (const r of back.page.regions) expect(r.coords!.points.length).toBeGreaterThanOrEqual(3);
    for (const l of allLines(back.page.regions)) {
      expect(l.baseline!.points.length).toBeGreaterThanOrEqual(2);
      for (const p of [...l.coords!.points, ...l.baseline!.points]) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(1200);
        expect(p.y).toBeLessThanOrEqual(1800);
      }
    }
  });
});

describe('baselines from ink', () => {
  it('finds the foot of the x-height band, not the descenders or the box bottom', async () => {
    // Ink: an x-height band y 40..60 along the line, thin descenders down to y 78, box to y 90.
    const w = 600, h = 100;
    const raw = Buffer.alloc(w * h, 240);
    for (let y = 40; y <= 60; y++) for (let x = 20; x < 580; x++) if ((x >> 3) % 2 === 0) raw[y * w + x] = 20;
    for (let x = 30; x < 580; x += 50) for (let y = 60; y <= 78; y++) raw[y * w + x] = 20;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'htr-base-')), 'line.png');
    await sharp(raw, { raw: { width: w, height: h, channels: 1 } }).png().toFile(file);
    const img = await loadGrey(file);
    const bl = estimateBaseline(img, boxPolygon(box(0, 10, 599, 90)));
    expect(bl.length).toBeGreaterThanOrEqual(2);
    for (const p of bl) expect(Math.abs(p.y - 60)).toBeLessThanOrEqual(2);
    expect(bl[0]!.x).toBe(0);
    expect(bl[bl.length - 1]!.x).toBe(599);
  });
});

describe('htr-studio segment on real pages', () => {
  it('writes valid PAGE 2019 whose lines all have Coords and a Baseline inside the image', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-seg-'));
    const images = [
      path.join(CORPUS, 'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.jpg'),
      path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.jpg'),
      // A ruled register: most of its lines come from the table splitting and the search for missed cells.
      path.join(CORPUS, 'transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.jpg'),
    ];
    const r = runCli(['segment', ...images, '-o', out, '--json', '-q']);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    for (const res of JSON.parse(r.stdout).results) {
      const xml = fs.readFileSync(res.output, 'utf8');
      const doc = readDocument(xml).doc;
      expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors).toEqual([]);
      // imageFilename is relative to the output folder and leads to the image.
      expect(path.resolve(out, doc.page.imageFilename)).toBe(res.image);
      const meta = await sharp(res.image).metadata();
      expect([doc.page.imageWidth, doc.page.imageHeight]).toEqual([meta.width, meta.height]);
      const lines = allLines(doc.page.regions);
      expect(lines.length).toBeGreaterThan(5);
      for (const l of lines) {
        expect(l.coords!.points.length).toBeGreaterThanOrEqual(3);
        expect(l.baseline!.points.length).toBeGreaterThanOrEqual(2);
        for (const p of l.baseline!.points) {
          expect(p.x >= 0 && p.x <= meta.width! && p.y >= 0 && p.y <= meta.height!).toBe(true);
        }
      }
      for (const reg of doc.page.regions) expect(reg.coords!.points.length).toBeGreaterThanOrEqual(3);
    }
  }, 120_000);

  it('an image that is not an image is reported and the batch goes on', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-seg-'));
    const bad = path.join(out, 'not-an-image.jpg');
    fs.writeFileSync(bad, 'hello');
    const good = path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.jpg');
    const r = runCli(['segment', bad, good, '-o', out, '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*not-an-image\.jpg: .*not an image/);
    expect(fs.existsSync(path.join(out, '0_4a125_default.xml'))).toBe(true);
  }, 120_000);

  it('refuses inputs that would write the same output file before any work, or mirrors their folders with --keep-paths', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-seg-clash-'));
    const src = path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.jpg');
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.copyFileSync(src, path.join(dir, 'a', 'page.jpg'));
    await sharp(src).png().toFile(path.join(dir, 'b', 'Page.png'));
    const inputs = [path.join(dir, 'a', 'page.jpg'), path.join(dir, 'b', 'Page.png')];
    for (const cmd of ['segment', 'process', 'recognize']) {
      const out = path.join(dir, `out-${cmd}`);
      const r = runCli([cmd, ...inputs, '-o', out, '-q']);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toContain('would write the same output file');
      expect(r.stderr).toContain(inputs[0]);
      expect(r.stderr).toContain(inputs[1]);
      expect(r.stderr).toContain('--keep-paths');
      expect(fs.existsSync(out) && fs.readdirSync(out).length).toBeFalsy();
    }
    const out = path.join(dir, 'out');
    const r = runCli(['segment', ...inputs, '-o', out, '--keep-paths', '--json', '-q']);
    expect(r.code).toBe(0);
    const written = JSON.parse(r.stdout).results.map((x: { output: string }) => path.relative(out, x.output));
    expect(written).toEqual([path.join('a', 'page.xml'), path.join('b', 'Page.xml')]);
    for (const [i, rel] of written.entries()) {
      const doc = readDocument(fs.readFileSync(path.join(out, rel), 'utf8')).doc;
      expect(path.resolve(path.dirname(path.join(out, rel)), doc.page.imageFilename)).toBe(inputs[i]);
    }
  }, 180_000);
});
