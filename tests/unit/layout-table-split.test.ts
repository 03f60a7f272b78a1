import { describe, expect, it } from 'vitest';
import { cellLines, findRulings, inkMask, splitLines, tableColumns, traceRuling, withoutHorizontalRules, type GreyPixels } from '../../electron/common/layout/table-split.js';
import type { Detection } from '../../electron/common/layout/types.js';
import { bbox } from '../../electron/common/model/points.js';
import { scoreLines } from '../../electron/common/layout/score.js';

/** A synthetic page: paper 230, ink 40; all drawing in page pixels. */
class Page implements GreyPixels {
  readonly data: Uint8Array;
  constructor(readonly width: number, readonly height: number) {
    this.data = new Uint8Array(width * height).fill(230);
  }
  fill(x1: number, y1: number, x2: number, y2: number, v = 40): void {
    for (let y = Math.max(0, y1); y < Math.min(this.height, y2); y++) for (let x = Math.max(0, x1); x < Math.min(this.width, x2); x++) this.data[y * this.width + x] = v;
  }
  /** A vertical ruling, 2 px wide. */
  vrule(x: number, y1: number, y2: number, v = 40): void {
    this.fill(x, y1, x + 2, y2, v);
  }
  hrule(y: number, x1: number, x2: number): void {
    this.fill(x1, y, x2, y + 2);
  }
  /**
   * "Writing": an x-height band [y+8, y+22) of vertical strokes (1 px on, 3
   * off), words of 40 px with 12 px spaces, an ascender or descender on every
   * other stroke; its ink box is [x1, y+2) – [x2, y+28).
   */
  write(x1: number, x2: number, y: number): void {
    for (let x = x1; x < x2; x++) {
      const inWord = (x - x1) % 52 < 40;
      if (!inWord || (x - x1) % 4 !== 0) continue;
      this.fill(x, y + 8, x + 1, y + 22);
      if ((x - x1) % 8 === 0) this.fill(x, (x - x1) % 16 ? y + 2 : y + 22, x + 1, (x - x1) % 16 ? y + 8 : y + 28);
    }
  }
}

const box = (x1: number, y1: number, x2: number, y2: number, conf = 0.8): Detection => ({
  polygon: [{ x: x1, y: y1 }, { x: x2, y: y1 }, { x: x2, y: y2 }, { x: x1, y: y2 }],
  label: 'DefaultLine',
  conf,
});
const boxes = (ds: readonly Detection[]) => ds.map((d) => bbox(d.polygon)!);

/**
 * A register: rulings at x = 40, 300, 560, 820, 1080 from y = 40 to 1160, a
 * horizontal rule under every row of 100 px, two lines of writing in every
 * cell (at y = row + 20 and row + 55).
 */
function register(): { page: Page; truth: Detection[]; rows: number[] } {
  const page = new Page(1120, 1200);
  const cols = [40, 300, 560, 820, 1080];
  for (const x of cols) page.vrule(x, 40, 1160);
  const rows: number[] = [];
  const truth: Detection[] = [];
  for (let r = 40; r + 100 <= 1160; r += 100) {
    rows.push(r);
    page.hrule(r + 98, 40, 1082);
    for (let c = 0; c + 1 < cols.length; c++) {
      for (const dy of [20, 55]) {
        const x1 = cols[c]! + 20, x2 = cols[c + 1]! - 40;
        page.write(x1, x2, r + dy);
        truth.push(box(x1, r + dy + 2, x2, r + dy + 28));
      }
    }
  }
  return { page, truth, rows };
}

describe('inkMask', () => {
  it('marks ink, not paper, and reduces large pages by whole blocks', () => {
    const page = new Page(400, 300);
    page.fill(100, 100, 106, 200);
    const m = inkMask(page);
    expect(m.scale).toBe(1);
    expect(m.data[150 * 400 + 103]).toBe(1);
    expect(m.data[150 * 400 + 200]).toBe(0);
    const big = inkMask(new Page(4000, 3000));
    expect(big.scale).toBe(3);
    expect(big.width).toBe(1333);
    expect(big.data.every((v) => v === 0)).toBe(true);
  });

  it('does not take the shading of a page for ink: a slow gradient stays paper', () => {
    const page = new Page(600, 400);
    for (let y = 0; y < 400; y++) for (let x = 0; x < 600; x++) page.data[y * 600 + x] = 240 - Math.round((x / 600) * 120);
    expect(inkMask(page).data.some((v) => v === 1)).toBe(false);
  });
});

describe('findRulings', () => {
  it('finds a ruling crossing a line, not the strokes of its writing', () => {
    const page = new Page(800, 600);
    page.vrule(400, 0, 600);
    page.write(100, 700, 300);
    const m = inkMask(page);
    const runs = findRulings(m, { x1: 90, y1: 300, x2: 710, y2: 330 }, 0.85, 3);
    expect(runs).toHaveLength(1);
    expect(runs[0]![0]).toBeLessThanOrEqual(400);
    expect(runs[0]![1]).toBeGreaterThanOrEqual(402);
  });

  it('finds a ruling that ends at the line (the top row of a table)', () => {
    const page = new Page(800, 600);
    page.vrule(400, 295, 600);
    page.write(100, 700, 300);
    expect(findRulings(inkMask(page), { x1: 90, y1: 300, x2: 710, y2: 330 }, 0.85, 3)).toHaveLength(1);
  });

  it('ignores a vertical stroke shorter than three line heights beyond the line', () => {
    const page = new Page(800, 600);
    page.vrule(400, 240, 390); // two line heights on either side
    page.write(100, 700, 300);
    expect(findRulings(inkMask(page), { x1: 90, y1: 300, x2: 710, y2: 330 }, 0.85, 3)).toHaveLength(0);
  });

  it('does not count a ruling at a line end, which only bounds it', () => {
    const page = new Page(800, 600);
    page.vrule(95, 0, 600);
    page.write(100, 700, 300);
    expect(findRulings(inkMask(page), { x1: 90, y1: 300, x2: 710, y2: 330 }, 0.85, 3)).toHaveLength(0);
  });
});

describe('traceRuling', () => {
  it('follows a slanted, broken ruling through the ink to its ends', () => {
    const page = new Page(400, 900);
    // One pixel to the right every 60 rows, with a 10-row gap in the middle.
    for (let y = 100; y < 800; y++) if (y < 440 || y >= 450) page.fill(150 + Math.floor((y - 100) / 60), y, 152 + Math.floor((y - 100) / 60), y + 1);
    page.fill(100, 300, 300, 302); // a horizontal rule crossing it does not lead it astray
    const t = traceRuling(inkMask(page), 153, 300, 20);
    expect(t.y1).toBe(100);
    expect(t.y2).toBe(799);
    expect(t.minX).toBeGreaterThanOrEqual(150);
    expect(t.minX).toBeLessThanOrEqual(151);
    expect(t.maxX).toBeLessThanOrEqual(163);
  });
});

describe('cellLines', () => {
  it('finds the two lines of writing a box over a cell spans, and a line it half covers whole', () => {
    const page = new Page(400, 300);
    page.write(50, 300, 100);
    page.write(50, 300, 135);
    const m = inkMask(page);
    const two = cellLines(m, { x1: 40, y1: 100, x2: 310, y2: 165 }, 30);
    expect(two).toHaveLength(2);
    expect(two[0]!.y1).toBeGreaterThanOrEqual(100);
    expect(two[0]!.y2).toBeLessThanOrEqual(131);
    expect(two[1]!.y1).toBeGreaterThanOrEqual(135);
    // A box over the lower 2/3 of the first line only: the line is found whole.
    const half = cellLines(m, { x1: 40, y1: 110, x2: 310, y2: 131 }, 30);
    expect(half).toHaveLength(1);
    expect(half[0]!.y1).toBeLessThanOrEqual(102);
    expect(half[0]!.y2).toBeGreaterThanOrEqual(128);
    expect(half[0]!.x1).toBe(50);
  });

  it('boxes each line to its ascenders and descenders, not into the neighbouring line', () => {
    const page = new Page(400, 300);
    // Dense x-height bands [108, 122) and [140, 154), and one ascender and one
    // descender per word: rows holding only those have a tenth of a band row's
    // ink, so they are not what separates lines, but they are the lines' own.
    for (const y of [100, 132]) {
      for (let x = 50; x < 300; x += 4) page.fill(x, y + 8, x + 1, y + 22);
      for (let x = 50; x < 300; x += 52) {
        page.fill(x + 1, y + 2, x + 2, y + 8);
        page.fill(x + 21, y + 22, x + 22, y + 28);
      }
    }
    const m = inkMask(page);
    const [a, b] = cellLines(m, { x1: 40, y1: 100, x2: 310, y2: 160 }, 30);
    expect([a!.y1, a!.y2, b!.y1, b!.y2]).toEqual([102, 128, 134, 160]);
  });
});

describe('splitLines', () => {
  it('leaves the lines of a page without rulings or wide gaps as they are', () => {
    const page = new Page(900, 600);
    const lines: Detection[] = [];
    for (let y = 50; y < 550; y += 45) {
      page.write(60, 840, y);
      lines.push(box(55, y, 845, y + 30));
    }
    const out = splitLines(lines, inkMask(page));
    expect(out).toEqual(lines);
    expect(out[0]).toBe(lines[0]);
  });

  it('cuts row-long detections of a ruled register into one line per cell and line of writing', () => {
    const { page, truth, rows } = register();
    // The detector's view: one box per row, over both lines of writing and all cells.
    const detected = rows.map((r) => box(45, r + 15, 1075, r + 90));
    const before = scoreLines(detected.map((d) => d.polygon), truth.map((d) => d.polygon));
    const out = splitLines(detected, inkMask(page));
    const after = scoreLines(out.map((d) => d.polygon), truth.map((d) => d.polygon));
    expect(before.f1).toBe(0);
    expect(after.f1).toBeGreaterThan(0.95);
    // No piece crosses a ruling.
    for (const b of boxes(out)) for (const x of [300, 560, 820]) expect(b.maxX <= x || b.minX >= x + 2).toBe(true);
  });

  it('finds cells of a register the detector missed, between the rulings it found', () => {
    const { page, truth, rows } = register();
    // Only every other row detected.
    const detected = rows.filter((_, i) => i % 2 === 0).map((r) => box(45, r + 15, 1075, r + 90));
    const out = splitLines(detected, inkMask(page));
    const after = scoreLines(out.map((d) => d.polygon), truth.map((d) => d.polygon));
    expect(after.recall).toBeGreaterThan(0.9);
    expect(after.precision).toBeGreaterThan(0.9);
  });

  it('finds the cells a detector that stops its lines at rulings missed, and keeps its lines as detected', () => {
    const { page, truth } = register();
    // Such a detector boxes each line of writing inside its cell (none crosses a ruling), but misses a third of them.
    const detected = truth.filter((_, i) => i % 3 !== 1);
    const out = splitLines(detected, inkMask(page));
    expect(out.slice(0, detected.length)).toEqual(detected);
    const added = out.slice(detected.length);
    expect(added.length).toBeGreaterThan(0.9 * (truth.length - detected.length));
    const after = scoreLines(out.map((d) => d.polygon), truth.map((d) => d.polygon));
    expect(after.recall).toBeGreaterThan(0.95);
    expect(after.precision).toBeGreaterThan(0.95);
    // Found lines take the page's median confidence, and no ruling.
    for (const d of added) expect(d.conf).toBe(0.8);
    for (const b of boxes(added)) for (const x of [40, 300, 560, 820, 1080]) expect(b.maxX <= x || b.minX >= x + 2).toBe(true);
  });

  it('adds nothing where rulings bound lines but make no table (a ruled margin, a double rule, the fold)', () => {
    const page = new Page(1000, 1200);
    for (const x of [60, 68, 500]) page.vrule(x, 20, 1180);
    const lines: Detection[] = [];
    for (let y = 60; y < 1120; y += 45) {
      page.write(90, 470, y);
      page.write(530, 960, y);
      lines.push(box(88, y, 472, y + 30));
      if (y % 90) lines.push(box(528, y, 962, y + 30)); // every other line of the right page missed
    }
    expect(splitLines(lines, inkMask(page))).toEqual(lines);
  });

  it('cuts a line at a single rule (a ruled margin) but keeps the heights of its pieces', () => {
    const page = new Page(900, 600);
    page.vrule(200, 0, 600);
    page.write(60, 180, 300);
    page.write(220, 840, 300);
    const out = boxes(splitLines([box(50, 290, 850, 335)], inkMask(page)));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ minX: 60, minY: 290, maxY: 335 });
    expect(out[0]!.maxX).toBeLessThanOrEqual(200);
    expect(out[1]!.minX).toBeGreaterThanOrEqual(202);
    expect(out[1]).toMatchObject({ minY: 290, maxY: 335 });
  });

  it('drops the sliver beyond a rule (a binding thread, a page edge) outside tables', () => {
    const page = new Page(900, 600);
    page.vrule(820, 0, 600);
    page.write(60, 800, 300);
    page.fill(830, 305, 850, 325); // a blot beyond it
    const out = boxes(splitLines([box(50, 290, 860, 335)], inkMask(page)));
    expect(out).toHaveLength(1);
    expect(out[0]!.maxX).toBeLessThanOrEqual(820);
  });

  it('does not take squared paper for a table', () => {
    const page = new Page(900, 600);
    for (let x = 10; x < 900; x += 16) page.vrule(x, 0, 600, 170);
    const lines: Detection[] = [];
    for (let y = 60; y < 540; y += 48) {
      page.write(60, 840, y);
      lines.push(box(55, y, 845, y + 30));
    }
    expect(splitLines(lines, inkMask(page))).toEqual(lines);
  });

  it('cuts a line at a blank gap wider than four line heights, not at word spaces', () => {
    const page = new Page(1000, 400);
    page.write(50, 400, 200);
    page.write(560, 900, 200); // a 160 px gap: over 4 × 30
    const out = boxes(splitLines([box(45, 195, 905, 232)], inkMask(page)));
    expect(out).toHaveLength(2);
    expect(out[0]!.maxX).toBeLessThanOrEqual(400);
    expect(out[1]!.minX).toBeGreaterThanOrEqual(560);
    const narrow = new Page(1000, 400);
    narrow.write(50, 400, 200);
    narrow.write(480, 900, 200); // 80 px: a tab, not two lines
    expect(splitLines([box(45, 195, 905, 232)], inkMask(narrow))).toHaveLength(1);
  });

  it('returns the columns between neighbouring rulings, and the outer ones', () => {
    const found = [100, 200, 300].map((y) => ({ b: { x1: 10, y1: y, x2: 600, y2: y + 20 }, rulings: [[199, 203], [399, 403]] as [number, number][] }));
    const cols = tableColumns(found, 20);
    // The outer ones at least as wide as the median column (here: the only one) or the lines.
    expect(cols.map((c) => [c.x1 <= 10, c.x2])).toEqual([[true, 198], [false, 398], [false, 600]]);
    expect(cols[1]!.x1).toBe(204);
    expect(cols[2]!.x1).toBe(404);
    expect(cols[1]!.y1).toBeLessThanOrEqual(110);
    expect(cols[1]!.y2).toBeGreaterThanOrEqual(310);
    // A crossing off every chain (a stroke that passed for a ruling once) makes no column.
    expect(tableColumns([...found, { b: { x1: 10, y1: 400, x2: 600, y2: 420 }, rulings: [[299, 303]] }], 20)).toHaveLength(3);
  });
});

describe('withoutHorizontalRules', () => {
  it('clears a rule drawn a little aslant, keeps writing', () => {
    const page = new Page(800, 200);
    for (let x = 20; x < 780; x++) page.fill(x, 100 + Math.floor((x - 20) / 190), x + 1, 102 + Math.floor((x - 20) / 190)); // 4 px of slant
    page.write(40, 700, 30);
    const m = inkMask(page);
    const clean = withoutHorizontalRules(m, 90);
    const inkIn = (mm: typeof m, y1: number, y2: number) => {
      let n = 0;
      for (let y = y1; y < y2; y++) for (let x = 0; x < mm.width; x++) n += mm.data[y * mm.width + x]!;
      return n;
    };
    expect(inkIn(m, 98, 108)).toBeGreaterThan(1000);
    expect(inkIn(clean, 98, 108)).toBe(0);
    expect(inkIn(clean, 30, 60)).toBe(inkIn(m, 30, 60));
    expect(m.data.some((v, i) => v !== clean.data[i] && i < 70 * m.width)).toBe(false);
  });
});
