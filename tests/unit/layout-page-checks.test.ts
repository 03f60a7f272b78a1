import { describe, expect, it } from 'vitest';
import { baselinesCross, checkPage, strayBaselines } from '../../electron/common/layout/page-checks.js';
import { settleRegions, type RegionDraft } from '../../electron/common/layout/settle-regions.js';
import { lineBands } from '../../electron/common/layout/line-bands.js';
import { bbox } from '../../electron/common/model/points.js';
import { dedupeLines } from '../../electron/common/layout/dedupe-lines.js';
import { orderLines } from '../../electron/common/layout/reading-order.js';
import { layoutToPage } from '../../electron/common/layout/to-page.js';
import type { Detection } from '../../electron/common/layout/types.js';
import { boxPolygon, type Box } from '../../electron/common/model/points.js';
import type { PageDocument, Points, Region, TextLine } from '../../electron/common/model/types.js';
import { estimateBaseline } from '../../electron/node/layout/baseline.js';

const box = (minX: number, minY: number, maxX: number, maxY: number): Box => ({ minX, minY, maxX, maxY });
const pts = (...xy: number[]): Points => Array.from({ length: xy.length / 2 }, (_, i) => ({ x: xy[2 * i]!, y: xy[2 * i + 1]! }));

function line(id: string, b: Box, baseline?: Points): TextLine {
  return { kind: 'TextLine', id, coords: { points: boxPolygon(b) }, baseline: { points: baseline ?? pts(b.minX, b.maxY - 10, b.maxX, b.maxY - 10) }, words: [], textEquivs: [], labels: [], alternativeImages: [] };
}
function region(id: string, b: Box, lines: TextLine[]): Region {
  return { kind: 'TextRegion', id, coords: { points: boxPolygon(b) }, alternativeImages: [], labels: [], regions: [], lines, textEquivs: [] };
}
function page(regions: Region[]): PageDocument {
  return {
    format: { kind: 'page', version: '2019-07-15', namespace: 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15' },
    metadata: { creator: 't', created: 't', lastChange: 't', items: [] },
    page: { imageFilename: 'x.png', imageWidth: 2000, imageHeight: 2000, alternativeImages: [], labels: [], regions },
  };
}

describe('page checks', () => {
  it('finds crossing baselines, and not fragments of one row meeting end to end', () => {
    expect(baselinesCross(pts(0, 100, 1000, 100), pts(0, 150, 1000, 150))).toBe(false);
    expect(baselinesCross(pts(0, 100, 500, 200, 1000, 100), pts(0, 150, 1000, 150))).toBe(true);
    const zig = page([region('r', box(0, 0, 1100, 400), [line('a', box(10, 50, 1000, 150), pts(10, 130, 500, 215, 1000, 130)), line('b', box(10, 120, 1000, 220))])]);
    expect(checkPage(zig).crossingBaselines).toEqual([['a', 'b']]);
    // Two pieces of one row, overlapping by a few pixels: not neighbours above and below.
    const row = page([region('r', box(0, 0, 2000, 400), [line('a', box(10, 50, 1000, 150), pts(10, 130, 1000, 140)), line('b', box(980, 50, 1900, 150), pts(980, 138, 1900, 130))])]);
    expect(checkPage(row).crossingBaselines).toEqual([]);
  });

  it('finds lines outside their region and overlapping regions', () => {
    const doc = page([
      region('r1', box(0, 0, 1000, 500), [line('a', box(10, 10, 990, 100)), line('b', box(10, 420, 990, 600))]),
      region('r2', box(0, 300, 1000, 900), [line('c', box(10, 700, 990, 800))]),
    ]);
    const c = checkPage(doc);
    expect(c.linesOutsideRegion.map((l) => l.line)).toEqual(['b']);
    expect(c.linesOutsideRegion[0]!.inside).toBeCloseTo(80 / 180, 1);
    expect(c.overlappingRegions).toHaveLength(1);
    expect(c.overlappingRegions[0]).toMatchObject({ a: 'r1', b: 'r2', px: 200 });
  });

  it('finds a heading read after the text under it', () => {
    const heading = line('h', box(400, 10, 700, 80));
    const text = [line('t1', box(100, 100, 1000, 180)), line('t2', box(100, 200, 1000, 280))];
    expect(checkPage(page([region('h', box(390, 0, 710, 90), [heading]), region('t', box(90, 95, 1010, 290), text)])).readBeforeAbove).toEqual([]);
    expect(checkPage(page([region('t', box(90, 95, 1010, 290), text), region('h', box(390, 0, 710, 90), [heading])])).readBeforeAbove).toEqual([['t1', 'h'], ['t2', 'h']]);
  });

  it('judges baselines against the truth: one that wanders to the next line strays', () => {
    const truth = [pts(0, 100, 1000, 100), pts(0, 200, 1000, 200)];
    const good = { id: 'g', baseline: pts(0, 105, 1000, 98), height: 100 };
    const wandering = { id: 'w', baseline: pts(0, 100, 400, 100, 700, 200, 1000, 200), height: 100 };
    expect(strayBaselines([good, wandering], truth, { maxStray: 0.25 }).map((s) => s.id)).toEqual(['w']);
  });
});

describe('regions settled against their lines', () => {
  const placed = (id: string, b: Box) => ({ line: line(id, b), box: b });
  const draft = (id: string, b: Box, lines: ReturnType<typeof placed>[], conf = 0.9): RegionDraft => ({ id, kind: 'TextRegion', polygon: boxPolygon(b), box: b, conf, segmonto: 'MainZone', lines, detected: b });

  it('merges two zones over one block of interleaved lines, fitted to the lines', () => {
    const a = draft('r1', box(0, 0, 1000, 700), [placed('a', box(100, 100, 900, 180)), placed('c', box(100, 300, 900, 380))]);
    const b = draft('r2', box(50, 150, 1000, 900), [placed('b', box(100, 200, 900, 280)), placed('d', box(100, 400, 900, 480))]);
    const out = settleRegions([a, b], 2000, 2000);
    expect(out).toHaveLength(1);
    expect(out[0]!.lines.map((l) => l.line.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(out[0]!.box).toEqual(box(95, 95, 905, 485));
  });

  it('cuts apart zones whose lines a straight cut separates, and drops an empty duplicate', () => {
    const top = draft('r1', box(0, 0, 1000, 340), [placed('a', box(100, 100, 900, 180)), placed('b', box(100, 200, 900, 300))]);
    // Its line starts a little above the last line of the block above ends.
    const bottom = draft('r2', box(0, 290, 1000, 600), [placed('c', box(100, 296, 900, 396))]);
    const empty = draft('r3', box(100, 100, 900, 300), [], 0.5);
    const out = settleRegions([top, bottom, empty], 2000, 2000);
    expect(out.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(out[0]!.box.maxY).toBeLessThanOrEqual(out[1]!.box.minY);
    const doc = page(out.map((r) => region(r.id, r.box, r.lines.map((l) => l.line))));
    expect(checkPage(doc).linesOutsideRegion).toEqual([]);
    expect(checkPage(doc).overlappingRegions).toEqual([]);
  });

  it('merges zones the detector drew over one block, even where their lines separate', () => {
    const a = draft('r1', box(0, 0, 1000, 700), [placed('a', box(100, 100, 900, 180)), placed('b', box(100, 200, 900, 280))]);
    const b = draft('r2', box(0, 250, 1000, 900), [placed('c', box(100, 600, 900, 680))]);
    const out = settleRegions([a, b], 2000, 2000);
    expect(out.map((r) => [r.id, r.lines.length])).toEqual([['r1', 3]]);
  });

  it('layoutToPage: a heading line outside the main zone is read first, and regions do not overlap', () => {
    const det = (label: string, b: Box): Detection => ({ label, conf: 0.9, polygon: boxPolygon(b) });
    const doc = layoutToPage(
      {
        width: 1200,
        height: 1200,
        detector: 't',
        // The zone starts above the heading and misses the last line: the defects of issue 20.
        regions: [det('MainZone', box(80, 20, 1100, 500)), det('MainZone', box(80, 300, 1100, 600))],
        lines: [det('DefaultLine', box(100, 150, 1000, 220)), det('HeadingLine', box(450, 60, 650, 130)), det('DefaultLine', box(100, 230, 1000, 300)), det('DefaultLine', box(100, 560, 1000, 640))],
      },
      { imageFilename: 'x.png' },
    );
    const c = checkPage(doc);
    expect(c.linesOutsideRegion).toEqual([]);
    expect(c.overlappingRegions).toEqual([]);
    expect(c.readBeforeAbove).toEqual([]);
    expect(doc.page.regions[0]!.lines[0]!.id).toBe('l2');
  });
});

describe('line bands and line order', () => {
  it('cuts each line box halfway to its neighbours above and below, not at fragments of its own row', () => {
    const bands = lineBands([box(0, 0, 1000, 120), box(0, 60, 1000, 180), box(1010, 5, 1500, 125), box(0, 63, 500, 183)]);
    expect(bands[0]).toEqual({ minY: 0, maxY: 90 });
    expect(bands[1]).toEqual({ minY: 90, maxY: 180 });
    expect(bands[2]).toEqual({ minY: 5, maxY: 125 });
  });

  it('reads cells stacked in one chained row top to bottom', () => {
    // Register cells: 'low' and 'high' share a column; 'mid' chains them into one row.
    const items = [
      { id: 'high', box: box(120, 100, 300, 160) },
      { id: 'low', box: box(100, 150, 300, 230) },
      { id: 'mid', box: box(400, 120, 600, 200) },
    ];
    expect(orderLines(items)).toEqual(['high', 'low', 'mid']);
  });
});

describe('baselines within their band', () => {
  it('takes the line of writing in its own band, not the neighbour sharing its box', () => {
    // Two lines of writing: x-height bands y 40..60 and y 100..120; the box of the first reaches y 130.
    const w = 600, h = 160;
    const data = new Uint8Array(w * h).fill(240);
    for (const [top, bottom] of [[40, 60], [100, 120]] as const) for (let y = top; y <= bottom; y++) for (let x = 20; x < 580; x++) if ((x >> 3) % 2 === 0) data[y * w + x] = 20;
    const img = { width: w, height: h, data };
    const poly = boxPolygon(box(0, 10, 599, 130));
    const bands = lineBands([box(0, 10, 599, 130), box(0, 80, 599, 150)]);
    expect(bands[0]!.maxY).toBeLessThan(100);
    for (const p of estimateBaseline(img, poly, bands[0])) expect(Math.abs(p.y - 60)).toBeLessThanOrEqual(2);
  });

  it("takes a register cell's writing, not the horizontal rule across its box", () => {
    // A rule at y 14..16 across the whole box; writing's x-height band y 40..60.
    const w = 400, h = 100;
    const data = new Uint8Array(w * h).fill(240);
    for (let y = 14; y <= 16; y++) for (let x = 0; x < w; x++) data[y * w + x] = 10;
    for (let y = 40; y <= 60; y++) for (let x = 30; x < 370; x++) if ((x >> 3) % 2 === 0) data[y * w + x] = 20;
    for (const p of estimateBaseline({ width: w, height: h, data }, boxPolygon(box(0, 10, 399, 80)))) expect(Math.abs(p.y - 60)).toBeLessThanOrEqual(2);
  });

  it('follows a slanted line', () => {
    const w = 800, h = 200;
    const data = new Uint8Array(w * h).fill(240);
    // x-height band 20 px tall whose foot goes from y 80 at x 0 to y 120 at x 800 (slope 0.05).
    for (let x = 20; x < 780; x++) if ((x >> 3) % 2 === 0) for (let d = 0; d < 20; d++) data[Math.round(80 + 0.05 * x - d) * w + x] = 20;
    const bl = estimateBaseline({ width: w, height: h, data }, boxPolygon(box(0, 30, 799, 170)));
    for (const p of bl) expect(Math.abs(p.y - (80 + 0.05 * p.x))).toBeLessThanOrEqual(3);
  });
});

describe('duplicate line detections', () => {
  const det = (b: Box): Detection => ({ label: 'DefaultLine', conf: 0.9, polygon: boxPolygon(b) });

  it('drops a box inside a larger line on the same row, never a line above or below', () => {
    const whole = det(box(138, 1006, 729, 1089));
    const fragment = det(box(146, 1021, 385, 1079));
    const below = det(box(140, 1040, 700, 1130)); // overlaps the whole line, but is the next row
    expect(dedupeLines([fragment, whole, below])).toEqual([whole, below]);
    // Side by side (a line cut at a ruling): both kept.
    expect(dedupeLines([det(box(0, 0, 500, 80)), det(box(490, 0, 900, 80))])).toHaveLength(2);
  });

  it('makes one line of two pieces of it that overlap over half the smaller one (NMS kept both), with the higher confidence', () => {
    // As found on a register zoomed in: 'Heinrich' and 'N. ara' of one cell's line, 150 px in common.
    const left = { ...det(box(2722, 318, 2942, 384)), conf: 0.7 };
    const right = { ...det(box(2792, 317, 3037, 381)), conf: 0.8 };
    const next = det(box(2730, 390, 3000, 450)); // the line under them: not the same row
    const out = dedupeLines([left, right, next]);
    expect(out).toHaveLength(2);
    expect(bbox(out[0]!.polygon)).toEqual({ minX: 2722, minY: 317, maxX: 3037, maxY: 384 });
    expect(out[0]!.conf).toBe(0.8);
    expect(out[1]).toEqual(next);
    // Under half of the smaller in common: two lines.
    expect(dedupeLines([det(box(0, 0, 400, 60)), det(box(250, 0, 700, 60))])).toHaveLength(2);
  });

  it('drops a box several line heights tall over lines found inside it (a block found as a line), never a tall line alone', () => {
    const rows = [0, 1, 2, 3, 4, 5].map((i) => det(box(100, 1100 + 70 * i, 600, 1160 + 70 * i)));
    const block = det(box(80, 1090, 620, 1400)); // over rows 0–3
    expect(dedupeLines([...rows, block])).toEqual(rows);
    // A tall box over one line only (a line of large writing with a flourish above): kept.
    const tall = det(box(700, 1090, 1200, 1400));
    const beside = det(box(720, 1200, 1100, 1260));
    expect(dedupeLines([...rows, tall, beside])).toContain(tall);
  });
});
