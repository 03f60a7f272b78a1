/**
 * Table-aware line splitting, after detection and before baselines: a detected
 * line that crosses a vertical ruling is cut there; on a page where lines cross
 * three rulings or more (a table) each piece is fitted to the line(s) of writing
 * its cell holds, one line per cell and line of writing (the Transkribus
 * convention archivists transcribe registers in), and the table's columns are
 * searched for writing the detector missed. A detector that has learnt to stop
 * its lines at rulings leaves none crossing them: its table is found from the
 * rulings at the lines' ends, and only the writing it missed is added. A line
 * with an internal blank gap much wider than it is high is cut at the gap.
 * Everything is decided from the page's geometry and ink, with no knowledge of
 * the page or the detector; a page without rulings or such gaps keeps its lines
 * as detected.
 *
 * Pixels are looked at on a reduced copy of the page (long side ≤ 1600 px, block
 * means): rulings and gaps are several pixels wide even there, and one pass over
 * a 15-megapixel scan would otherwise cost more than the detector.
 */
import type { Point, Points } from '../model/types.js';
import { bbox, type Box } from '../model/points.js';
import type { Detection } from './types.js';
import { median } from './median.js';

/** Grey pixels, one byte each, row-major (the shape of the node side's GreyImage). */
export interface GreyPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Ink (1) / paper (0) on a reduced copy of the page; `scale` page pixels per mask pixel. */
export interface InkMask {
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  readonly data: Uint8Array;
}

export interface SplitOptions {
  /** A ruling must be ink over this fraction of the rows of its window (see findRulings). */
  readonly rulingCoverage?: number;
  /** Rows looked at above and below a line for its rulings, in line heights. */
  readonly rulingReach?: number;
  /** Cut a line at an internal blank run wider than this many line heights (0: never). */
  readonly gapFactor?: number;
  /** Fit the pieces of a line cut by rulings to the lines of writing in their cells. */
  readonly fitCells?: boolean;
  /** In a cell, cut a band of ink at a valley holding under this fraction of the lower peak beside it. */
  readonly valley?: number;
}

export const SPLIT_DEFAULTS: Required<SplitOptions> = {
  // A ruling is drawn with a pen and ruler: nearly unbroken. 85 % leaves room for
  // faded stretches and crossings of horizontal rules, while a tall letter's stem
  // (an ascender, a long s) covers at most ~2 of the 6 line heights looked at.
  rulingCoverage: 0.85,
  // The line and 3 line heights above or below it: a stroke of handwriting (a
  // long s, a flourish) spans at most two, and a ruling drifts little over so
  // short a stretch when a page is slanted or curved (±1° is < 2 mask pixels,
  // within the ±2 px the test allows).
  rulingReach: 3,
  // Word spaces in handwriting are 0.3–1 line height and a tab before a date or a
  // sum in running text 1.5–2.5; a blank run of 4 heights inside one detected box
  // means two separate pieces of writing (cells of an unruled table, columns).
  gapFactor: 4,
  fitCells: true,
  valley: 0.5,
};

const TAIL = 1 / 6;
/** Reduced long side of the ink mask. */
const MASK_LONG_SIDE = 1600;

/**
 * Ink where a pixel is clearly darker than its neighbourhood (a local mean over a
 * window of 1/50 of the long side: larger than a letter, smaller than the
 * shading of a page), so yellowed paper, shadows and the dark surround of a scan
 * do not count as ink, and faint rulings do.
 */
export function inkMask(grey: GreyPixels, longSide = MASK_LONG_SIDE): InkMask {
  const f = Math.max(1, Math.ceil(Math.max(grey.width, grey.height) / longSide));
  const w = Math.max(1, Math.floor(grey.width / f)), h = Math.max(1, Math.floor(grey.height / f));
  const small = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * grey.width + x * f;
        for (let dx = 0; dx < f; dx++) s += grey.data[row + dx]!;
      }
      small[y * w + x] = s / (f * f);
    }
  }
  // Integral image for the local mean.
  const W1 = w + 1;
  const integral = new Float64Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    for (let x = 0; x < w; x++) {
      rowSum += small[y * w + x]!;
      integral[(y + 1) * W1 + x + 1] = integral[y * W1 + x + 1]! + rowSum;
    }
  }
  const r = Math.max(8, Math.round(Math.max(w, h) / 100));
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r), yb = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r), xb = Math.min(w, x + r + 1);
      const sum = integral[yb * W1 + xb]! - integral[ya * W1 + xb]! - integral[yb * W1 + xa]! + integral[ya * W1 + xa]!;
      const mean = sum / ((yb - ya) * (xb - xa));
      // 15 % darker than the surroundings, and at least 12 grey levels: paper
      // grain and JPEG noise stay below, pencil and faded ink above.
      data[y * w + x] = small[y * w + x]! < Math.min(mean * 0.85, mean - 12) ? 1 : 0;
    }
  }
  return { width: w, height: h, scale: f, data };
}

/** A cut across a line: a ruling or a blank gap, [start, end) in mask columns. */
interface Cut {
  readonly start: number;
  readonly end: number;
  readonly ruling: boolean;
}

/** A box in mask pixels, [x1, x2) × [y1, y2). */
export interface MaskBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

function toMask(m: InkMask, pts: Points): MaskBox | undefined {
  const b = bbox(pts);
  if (!b) return undefined;
  const c = (v: number, max: number): number => Math.max(0, Math.min(max, v));
  return { x1: c(Math.floor(b.minX / m.scale), m.width), y1: c(Math.floor(b.minY / m.scale), m.height), x2: c(Math.ceil(b.maxX / m.scale), m.width), y2: c(Math.ceil(b.maxY / m.scale), m.height) };
}

/** A line's box big enough to look for rulings in (2 × 2 mask pixels or more). */
function usable(b: MaskBox | undefined): b is MaskBox {
  return !!b && b.y2 - b.y1 >= 2 && b.x2 - b.x1 >= 2;
}

/**
 * Vertical rulings crossing a line, as [start, end) column runs in mask pixels,
 * strictly inside the line: columns (widened by ±2 px for slant) that are ink
 * over `coverage` of the line's rows and of the `reach` line heights above it or
 * of as many below it (the top and bottom rows of a table have rulings on one
 * side only).
 */
export function findRulings(m: InkMask, b: MaskBox, coverage: number, reach: number, lineHeight = b.y2 - b.y1): [number, number][] {
  const lh = Math.min(b.y2 - b.y1, lineHeight);
  if (lh < 2 || b.x2 - b.x1 < 3 * lh) return [];
  const span = Math.ceil(reach * lh);
  const windows = [
    [Math.max(0, b.y1 - span), b.y2],
    [b.y1, Math.min(m.height, b.y2 + span)],
  ].filter(([y0, y1]) => y1! - y0! >= b.y2 - b.y1 + span); // not cut short by the page's edge
  if (!windows.length) return [];
  const inked = (x: number, y: number): boolean => {
    const i = y * m.width + x;
    return !!(m.data[i - 2] || m.data[i - 1] || m.data[i] || m.data[i + 1] || m.data[i + 2]);
  };
  const covers = (x: number, y0: number, y1: number): boolean => {
    const need = coverage * (y1 - y0);
    let n = 0;
    for (let y = y0; y < y1; y++) {
      if (inked(x, y)) n++;
      else if (n + (y1 - y - 1) < need) return false;
    }
    return n >= need;
  };
  const runs: [number, number][] = [];
  let start = -1;
  // Not within half a line height of the line's ends: a ruling there only bounds it.
  const xa = Math.max(2, b.x1 + Math.ceil(lh / 2)), xb = Math.min(m.width - 2, b.x2 - Math.ceil(lh / 2));
  for (let x = xa; x <= xb; x++) {
    const hit = x < xb && windows.some(([y0, y1]) => covers(x, y0!, y1!));
    if (hit) {
      if (start < 0) start = x;
    } else if (start >= 0) {
      runs.push([Math.max(b.x1, start - 2), Math.min(b.x2, x + 2)]);
      start = -1;
    }
  }
  return runs;
}

/**
 * Rulings closer together than 0.8 line heights (median gap, three or more) are
 * squared paper or hatching, not a table: table columns hold at least a digit
 * and its margins, squared paper has 4–5 mm squares under 5–10 mm lines.
 */
function notGrid(runs: [number, number][], th: number): [number, number][] {
  if (runs.length < 3) return runs;
  return median(runs.slice(1).map((r, i) => r[0] - runs[i]![1]))! < 0.8 * th ? [] : runs;
}

/**
 * A ruling followed through the ink from one of its points, up and down: row by
 * row the ink nearest the current column, at most a pixel sideways (rulings
 * slant, strokes that touch them do not pull it far), over gaps of up to
 * maxGap rows (faded stretches, a crossing blank between cells).
 */
export function traceRuling(m: InkMask, x0: number, y0: number, maxGap: number): { y1: number; y2: number; minX: number; maxX: number } {
  let minX = x0, maxX = x0, y1 = y0, y2 = y0;
  for (const dir of [-1, 1]) {
    let x = x0, gap = 0;
    for (let y = y0; y >= 0 && y < m.height && gap <= maxGap; y += dir) {
      const row = y * m.width;
      const hit = [x, x - 1, x + 1].find((c) => c >= 0 && c < m.width && m.data[row + c]);
      if (hit === undefined) {
        gap++;
        continue;
      }
      gap = 0;
      x = hit;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      if (dir < 0) y1 = y;
      else y2 = y;
    }
  }
  return { y1, y2, minX, maxX };
}

/** Per column of the box, how many of its rows are ink. */
function columnInk(m: InkMask, b: MaskBox): Uint32Array {
  const out = new Uint32Array(Math.max(0, b.x2 - b.x1));
  for (let y = b.y1; y < b.y2; y++) {
    const row = y * m.width;
    for (let x = b.x1; x < b.x2; x++) out[x - b.x1]! += m.data[row + x]!;
  }
  return out;
}

/** Internal blank runs (no ink column) wider than minWidth, as [start, end) offsets. */
function blankRuns(cols: Uint32Array, from: number, to: number, minWidth: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = from; i <= to; i++) {
    const blank = i < to && cols[i]! === 0;
    if (blank && start < 0) start = i;
    else if (!blank && start >= 0) {
      if (i - start > minWidth && start > from && i < to) out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

function boxPoints(x1: number, y1: number, x2: number, y2: number): Points {
  const p = (x: number, y: number): Point => ({ x: Math.round(x), y: Math.round(y) });
  return [p(x1, y1), p(x2, y1), p(x2, y2), p(x1, y2)];
}

/**
 * A piece needs as much ink as a small mark (a digit, a ditto sign): a square of
 * a fifth of the line height, fully inked.
 */
function minInk(lh: number): number {
  return Math.max(2, (lh * lh) / 25);
}

/**
 * A piece cut off a line stays a line if it holds ink of a twelfth of a line
 * height squared and is at least 0.4 line heights wide in a table (a digit, a
 * ditto mark in a cell), 1.5 elsewhere (a short word): beyond a single rule in
 * running text, narrower bits are the frayed edge of a binding thread, or the
 * far side of a fold or a page edge, not a line of their own.
 */
function keepPiece(width: number, ink: number, th: number, table: boolean): boolean {
  return width >= (table ? 0.4 : 1.5) * th && ink >= Math.max(2, (th * th) / 12);
}

/**
 * The detected lines with those that cross a vertical ruling, or hold a wide
 * blank gap, cut into pieces; each piece narrowed to its ink (pieces with no ink
 * are dropped) and, in a table, fitted to the lines of writing in its cell.
 * Lines with neither keep their outline and detection unchanged.
 */
export function splitLines(lines: readonly Detection[], m: InkMask, opts: SplitOptions = {}): Detection[] {
  const o = { ...SPLIT_DEFAULTS, ...opts };
  const out: (Detection | { d: Detection; pieces: MaskBox[]; inTable: boolean })[] = [];
  let split = false;
  // The page's line height: the median height of its detected lines (a box over
  // two lines of a cell must not make its own window for rulings twice as tall).
  const masked = lines.map((d) => (d.polygon.length >= 3 ? toMask(m, d.polygon) : undefined));
  const th = Math.max(2, median(masked.filter((b): b is MaskBox => !!b).map((b) => b.y2 - b.y1)) ?? 2);
  // A table: lines crossed by three rulings or more (four cells), on at least
  // three lines of the page. Ruled margins, the rule between two columns, a fold
  // or a binding thread cut lines too (one or two rulings each), but their
  // pieces keep the detector's heights.
  const found = masked.map((b) => (usable(b) ? { b, rulings: notGrid(findRulings(m, b, o.rulingCoverage, o.rulingReach, th), th) } : undefined));
  const table = found.filter((f) => f && f.rulings.length >= 3).length >= 3;
  for (const [i, d] of lines.entries()) {
    const f = found[i];
    if (!f) {
      out.push(d);
      continue;
    }
    const b = f.b;
    const lh = Math.min(b.y2 - b.y1, th);
    const cuts: Cut[] = f.rulings.map(([start, end]) => ({ start, end, ruling: true }));
    const cols = columnInk(m, b);
    for (const c of cuts) for (let x = c.start; x < c.end; x++) cols[x - b.x1] = 0; // the ruling is not the line's ink
    if (o.gapFactor > 0) {
      // Blank gaps are looked for between the cuts, in each piece on its own.
      const edges = [b.x1, ...cuts.flatMap((c) => [c.start, c.end]), b.x2];
      for (let i = 0; i + 1 < edges.length; i += 2) {
        for (const [s, e] of blankRuns(cols, edges[i]! - b.x1, edges[i + 1]! - b.x1, o.gapFactor * lh)) cuts.push({ start: b.x1 + s, end: b.x1 + e, ruling: false });
      }
      cuts.sort((p, q) => p.start - q.start);
    }
    // On a table page every line is fitted to its cell's writing, cut or not:
    // one that lies within a cell spans two of its lines as often.
    const inTable = o.fitCells && table;
    if (!cuts.length && !inTable) {
      out.push(d);
      continue;
    }
    // Pieces between the cuts, each trimmed to the columns that hold ink.
    const edges = [b.x1, ...cuts.flatMap((c) => [c.start, c.end]), b.x2];
    const pieces: MaskBox[] = [];
    for (let i = 0; i + 1 < edges.length; i += 2) {
      let a = edges[i]! - b.x1, z = edges[i + 1]! - b.x1;
      let inkSum = 0;
      for (let x = a; x < z; x++) inkSum += cols[x]!;
      while (a < z && cols[a] === 0) a++;
      while (z > a && cols[z - 1] === 0) z--;
      if (!keepPiece(z - a, inkSum, lh, inTable)) continue;
      pieces.push({ x1: b.x1 + a, y1: b.y1, x2: b.x1 + z, y2: b.y2 });
    }
    if (!pieces.length) {
      out.push(d);
      continue;
    }
    out.push({ d, pieces, inTable });
    split = true;
  }
  let result: Detection[] = out as Detection[];
  let bandHeight: number | undefined;
  if (split) {
    // In a table a detected line often runs over two lines of writing in a cell
    // (or the bottom of one and the top of the next): the cell's own rows of ink
    // decide (cellLines). Lines of writing in a table are about as tall as one
    // another: the height of the cells' bands in a first pass (the lower third:
    // up to half of them may still hold two lines) lets a second pass cut bands
    // that still hold two lines at their deepest dip.
    const cellPieces = out.flatMap((e) => ('pieces' in e && e.inTable ? e.pieces : []));
    const first = cellPieces.flatMap((p) => cellLines(m, p, th, o.valley)).map((p) => p.y2 - p.y1).sort((p, q) => p - q);
    bandHeight = first[Math.floor(first.length / 3)];
    const s = m.scale;
    result = [];
    for (const e of out) {
      if (!('pieces' in e)) {
        result.push(e);
        continue;
      }
      const bx = bbox(e.d.polygon)!;
      for (const p of e.inTable ? e.pieces.flatMap((q) => cellLines(m, q, th, o.valley, bandHeight)) : e.pieces) {
        const y1 = e.inTable ? p.y1 * s : bx.minY, y2 = e.inTable ? p.y2 * s : bx.maxY;
        result.push({ polygon: boxPoints(Math.max(bx.minX, p.x1 * s), y1, Math.min(bx.maxX, p.x2 * s), y2), label: e.d.label, conf: e.d.conf });
      }
    }
  }
  // Writing in cells the detector missed altogether: each column between two
  // of the table's rulings, searched from top to bottom the same way.
  if (table && o.fitCells && bandHeight !== undefined) {
    result = [...result, ...missedInColumns(result, tableColumns(found.filter((f): f is NonNullable<typeof f> => !!f), th, m), m, th, o, bandHeight, lines[0]!.label)];
  } else if (!table && o.fitCells) {
    // A detector that stops its lines at the rulings leaves none crossing them:
    // the table is then found from rulings at the lines' ends, and only its
    // empty-looking cells are searched (the detected lines keep their outlines).
    const columns = boundedTableColumns(masked.filter(usable), m, th, o);
    if (columns.length) result = [...result, ...missedInColumns(result, columns, m, th, o, th, lines[0]!.label)];
  }
  // Pieces of neighbouring detections can be fitted to the same line of a cell: keep one.
  return dedupe(result);
}

/**
 * Writing the detected lines leave out, in a table's columns: each column's
 * rows of ink (cellLines), cut again at rulings the column search did not
 * know of; a band at least 0.4 line heights wide, at most two tall, holding
 * ink, that no line covers becomes a line, with the median confidence of the
 * page's lines.
 */
function missedInColumns(have: readonly Detection[], columns: readonly MaskBox[], ink: InkMask, th: number, o: Required<SplitOptions>, bandHeight: number, label: string): Detection[] {
  if (!columns.length) return [];
  // A horizontal rule drawn a little aslant crosses a column over two or three
  // rows, none of them inked over most of its width, so cellLines would keep it
  // as writing: long horizontal runs of ink go first.
  const m = withoutHorizontalRules(ink, 3 * th);
  const s = m.scale;
  const boxes = have.map((d) => bbox(d.polygon)!);
  const conf = median(have.map((d) => d.conf)) ?? 0;
  const added: Detection[] = [];
  for (const c of columns) {
    // The outer columns are guessed as wide as the others: not beyond the page.
    const col = { x1: Math.max(0, c.x1), y1: Math.max(0, c.y1), x2: Math.min(m.width, c.x2), y2: Math.min(m.height, c.y2) };
    if (col.x2 - col.x1 < bandHeight / 2) continue;
    const found = cellLines(m, col, th, o.valley, bandHeight).flatMap((p) => cutAt(m, p, notGrid(findRulings(m, p, o.rulingCoverage, o.rulingReach, th), th)));
    for (const p of found) {
      if (p.x2 - p.x1 < 0.4 * bandHeight) continue;
      // cellLines hands back a column without rows of ink whole: not a line.
      if (p.y2 - p.y1 > 2 * bandHeight || columnInk(m, p).reduce((a, v) => a + v, 0) < minInk(p.y2 - p.y1)) continue;
      const box = { minX: p.x1 * s, minY: p.y1 * s, maxX: p.x2 * s, maxY: p.y2 * s };
      if (boxes.some((h) => iou(h, box) > 0.2 || covered(box, h) > 0.5)) continue;
      boxes.push(box);
      added.push({ polygon: boxPoints(box.minX, box.minY, box.maxX, box.maxY), label, conf });
    }
  }
  return added;
}

/**
 * The columns of a table whose detected lines end at its rulings instead of
 * crossing them: rulings looked for within 2.5 line heights beyond each end
 * of every line; a table when its rulings (each met by three lines, or followed
 * over ten line heights) make four columns or more at least 1.5 line heights
 * wide (a ruled margin, a double rule and the fold between two pages make
 * three at most, one of them a sliver).
 */
function boundedTableColumns(lines: readonly MaskBox[], m: InkMask, th: number, o: Required<SplitOptions>): MaskBox[] {
  const found = lines.flatMap((b) => {
    // findRulings skips half a line height at a box's ends: 3 line heights wider
    // reach 2.5 beyond the line's (on the synthetic registers a reach of 1 finds
    // too few tables, 1.5–3.5 as many).
    const wide = { x1: Math.max(0, b.x1 - 3 * th), y1: b.y1, x2: Math.min(m.width, b.x2 + 3 * th), y2: b.y2 };
    const rulings = notGrid(findRulings(m, wide, o.rulingCoverage, o.rulingReach, th), th).filter(([a, z]) => z <= b.x1 + 1 || a >= b.x2 - 1);
    return rulings.length ? [{ b: wide, rulings }] : [];
  });
  if (found.length < 3) return [];
  const columns = tableColumns(found, th, m);
  return columns.filter((c) => c.x2 - c.x1 >= 1.5 * th).length >= 4 ? columns : [];
}

/**
 * The mask without horizontal rules: runs of ink along a row longer than
 * `minRun` (three line heights; no stroke of handwriting but a flourish or an
 * underline runs that far flat), with the rows just above and below them
 * (a rule's soft edges).
 */
export function withoutHorizontalRules(m: InkMask, minRun: number): InkMask {
  const { width: w, height: h } = m;
  const data = Uint8Array.from(m.data);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; ) {
      if (!m.data[row + x]) {
        x++;
        continue;
      }
      let e = x;
      while (e < w && m.data[row + e]) e++;
      if (e - x >= minRun) for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) data.fill(0, yy * w + x, yy * w + e);
      x = e;
    }
  }
  return { ...m, data };
}

/** A band cut at rulings, each piece narrowed to its ink (pieces without ink dropped). */
function cutAt(m: InkMask, p: MaskBox, runs: readonly [number, number][]): MaskBox[] {
  if (!runs.length) return [p];
  const cols = columnInk(m, p);
  const edges = [p.x1, ...runs.flat(), p.x2];
  const out: MaskBox[] = [];
  for (let i = 0; i + 1 < edges.length; i += 2) {
    let a = edges[i]! - p.x1, z = edges[i + 1]! - p.x1;
    while (a < z && cols[a] === 0) a++;
    while (z > a && cols[z - 1] === 0) z--;
    if (z > a) out.push({ x1: p.x1 + a, y1: p.y1, x2: p.x1 + z, y2: p.y2 });
  }
  return out;
}

/** The fraction of a that b covers. */
function covered(a: Box, b: Box): number {
  const iw = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX), ih = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  return iw <= 0 || ih <= 0 ? 0 : (iw * ih) / Math.max(1e-9, (a.maxX - a.minX) * (a.maxY - a.minY));
}

/**
 * The columns of a table, from the rulings found on its lines: the crossings
 * are chained from top to bottom into rulings (a crossing joins the ruling whose
 * last one is within 0.3 line heights sideways; rulings run nearly straight).
 * With the ink at hand each ruling is followed up and down the page as far as
 * it is drawn (so a column spans every row, also those the detector found
 * nothing in), and chains that turn out to be one ruling are merged. A ruling
 * crossed by at least three lines counts, and between two neighbouring
 * rulings, over the rows both span, lies a column. Its sides stay clear of both
 * rulings at their most slanted.
 */
export function tableColumns(found: readonly { b: MaskBox; rulings: [number, number][] }[], th: number, m?: InkMask): MaskBox[] {
  const pts = found.flatMap((f) => f.rulings.map(([a, z]) => ({ x: (a + z) / 2, y: (f.b.y1 + f.b.y2) / 2, w: z - a }))).sort((p, q) => p.y - q.y);
  const chains: { x: number; y: number; w: number }[][] = [];
  const tol = Math.max(3, 0.3 * th);
  for (const p of pts) {
    let best: (typeof chains)[number] | undefined, bestDx = tol;
    for (const c of chains) {
      const dx = Math.abs(c[c.length - 1]!.x - p.x);
      if (dx <= bestDx && c[c.length - 1]!.y < p.y) {
        bestDx = dx;
        best = c;
      }
    }
    if (best) best.push(p);
    else chains.push([p]);
  }
  let spans = chains.map((c) => ({
    minX: Math.min(...c.map((p) => p.x - p.w / 2)),
    maxX: Math.max(...c.map((p) => p.x + p.w / 2)),
    y1: c[0]!.y,
    y2: c[c.length - 1]!.y,
    n: c.length,
  }));
  if (m) {
    spans = spans.map((r) => {
      const c = chains[spans.indexOf(r)]!;
      const mid = c[c.length >> 1]!;
      const t = traceRuling(m, Math.round(mid.x), Math.round(mid.y), Math.max(2, Math.round(th)));
      const half = Math.max(...c.map((p) => p.w)) / 2;
      return { minX: Math.min(r.minX, t.minX - half), maxX: Math.max(r.maxX, t.maxX + half), y1: Math.min(r.y1, t.y1), y2: Math.max(r.y2, t.y2), n: r.n };
    });
    // Chains of one ruling (a row of lines where none crossed it breaks a chain) become one.
    const merged: typeof spans = [];
    for (const r of [...spans].sort((p, q) => p.minX - q.minX)) {
      const same = merged.find((k) => r.minX <= k.maxX + 1 && r.maxX >= k.minX - 1 && r.y1 <= k.y2 && r.y2 >= k.y1);
      if (same) Object.assign(same, { minX: Math.min(same.minX, r.minX), maxX: Math.max(same.maxX, r.maxX), y1: Math.min(same.y1, r.y1), y2: Math.max(same.y2, r.y2), n: same.n + r.n });
      else merged.push({ ...r });
    }
    spans = merged;
  }
  // Three crossings make a ruling; with the ink followed, so does one drawn
  // over ten line heights (a narrow column the detector's lines end at).
  const rulings = spans.filter((r) => r.n >= 3 || (m && r.y2 - r.y1 >= 10 * th)).sort((p, q) => p.minX - q.minX);
  const out: MaskBox[] = [];
  if (!rulings.length) return out;
  // The outer columns reach as far as the lines crossing rulings do (the
  // table's frame may be missing or lie at their ends): a tenth of those lines
  // start further left (end further right) than the bound, so a stray long
  // detection does not widen it.
  const crossing = found.filter((f) => f.rulings.length);
  const lefts = crossing.map((f) => f.b.x1).sort((p, q) => p - q), rights = crossing.map((f) => f.b.x2).sort((p, q) => q - p);
  const q = Math.floor(crossing.length / 10);
  const all = rulings.flatMap((r) => [r.y1, r.y2]);
  const frame = { y1: Math.min(...all), y2: Math.max(...all) };
  // Beyond the outermost rulings a register often has one more column (dates,
  // numbers written outside the frame): as wide as the median column at least.
  const wide = median(rulings.slice(1).map((r, i) => r.minX - rulings[i]!.maxX)) ?? 0;
  const left = Math.max(0, Math.min(lefts[q]!, rulings[0]!.minX - wide)), right = Math.max(rights[q]!, rulings[rulings.length - 1]!.maxX + wide);
  const edges = [{ minX: left - 1, maxX: left - 1, ...frame }, ...rulings, { minX: right + 1, maxX: right + 1, ...frame }];
  for (let i = 0; i + 1 < edges.length; i++) {
    const l = edges[i]!, r = edges[i + 1]!;
    const y1 = Math.max(l.y1, r.y1) - th, y2 = Math.min(l.y2, r.y2) + th;
    if (y2 - y1 < 2 * th || r.minX - l.maxX < 2) continue;
    out.push({ x1: Math.ceil(l.maxX + 1), y1: Math.max(0, Math.floor(y1)), x2: Math.floor(r.minX - 1), y2: Math.ceil(y2) });
  }
  return out;
}

/**
 * The lines of writing inside one cell's piece of a detected line: rows of ink
 * in the piece's columns, from half a line height above it to half below (so a
 * line it only half covers is found whole), horizontal rules removed; runs of
 * inked rows separated by (nearly) blank rows are lines. Those that mostly lie
 * within the piece are kept, each narrowed to its own ink.
 */
export function cellLines(m: InkMask, p: MaskBox, lineHeight = p.y2 - p.y1, valley = SPLIT_DEFAULTS.valley, bandHeight?: number): MaskBox[] {
  const lh = Math.min(p.y2 - p.y1, lineHeight), w = p.x2 - p.x1;
  if (w < 1 || lh < 2) return [p];
  const Y0 = Math.max(0, Math.floor(p.y1 - lh / 2)), Y1 = Math.min(m.height, Math.ceil(p.y2 + lh / 2));
  const prof = new Float64Array(Y1 - Y0);
  for (let y = Y0; y < Y1; y++) {
    let n = 0;
    const row = y * m.width;
    for (let x = p.x1; x < p.x2; x++) n += m.data[row + x]!;
    prof[y - Y0] = n;
  }
  // A row inked over 80 % of a cell's width is a horizontal rule, not writing
  // (no line of handwriting is that solid); it and its neighbours are cleared.
  const rule = prof.map((v) => (w >= lh / 2 && v >= 0.8 * w ? 1 : 0));
  for (let i = 0; i < prof.length; i++) if (rule[i - 1] || rule[i] || rule[i + 1]) prof[i] = 0;
  let peak = 0;
  for (const v of prof) peak = Math.max(peak, v);
  if (!peak) return [p];
  // Between two lines of writing only ascenders and descenders cross: rows with
  // under 8 % of the densest row's ink separate lines.
  const t = Math.max(1, 0.08 * peak);
  const bands: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= prof.length; i++) {
    const on = i < prof.length && prof[i]! >= t;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      const last = bands[bands.length - 1];
      // Bands closer than a sixth of a line height are one line (a faint
      // stretch of its x-height band).
      if (last && start + Y0 - last[1] < lh / 6) last[1] = i + Y0;
      else bands.push([start + Y0, i + Y0]);
      start = -1;
    }
  }
  // Touching lines of cursive leave no blank row between them: a band is cut
  // again at its deepest valley while that holds under half the ink of the
  // lower of the two peaks beside it (x-height bands are 3–10× denser than the
  // strokes that cross between lines), and both sides stay a line's height.
  const smooth = prof.map((_, i) => {
    const k = Math.max(1, Math.round(lh / 10));
    let sum = 0, n = 0;
    for (let j = Math.max(0, i - k); j <= Math.min(prof.length - 1, i + k); j++) {
      sum += prof[j]!;
      n++;
    }
    return sum / n;
  });
  // Once the table's line height is known, a band over 1.6 of it holds two
  // lines however shallow the dip between them: cut at the deepest point
  // leaving half a line on either side.
  const cutBand = (y1: number, y2: number): [number, number][] => {
    const tall = bandHeight !== undefined && y2 - y1 > 1.6 * bandHeight;
    let best = -1, bestRatio = tall ? 1 : valley;
    const minH = tall ? bandHeight / 2 : lh / 4;
    // Highest row above each row, and below it, within the band.
    const n = y2 - y1;
    const above = new Float64Array(n + 1), below = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) above[i + 1] = Math.max(above[i]!, smooth[y1 + i - Y0]!);
    for (let i = n - 1; i >= 0; i--) below[i] = Math.max(below[i + 1]!, smooth[y1 + i - Y0]!);
    for (let y = Math.ceil(y1 + minH); y < y2 - minH; y++) {
      const left = above[y - y1]!, right = below[y - y1 + 1]!;
      const ratio = smooth[y - Y0]! / Math.max(1e-9, Math.min(left, right));
      if (ratio < bestRatio) {
        bestRatio = ratio;
        best = y;
      }
    }
    return best < 0 ? [[y1, y2]] : [...cutBand(y1, best), ...cutBand(best, y2)];
  };
  const out: MaskBox[] = [];
  // A band's thin ends are the tails of a few ascenders and descenders: rows
  // with under a sixth of the band's densest row are trimmed off.
  const trim = ([y1, y2]: [number, number]): [number, number] => {
    let top = 0;
    for (let y = y1; y < y2; y++) top = Math.max(top, prof[y - Y0]!);
    const t = top * TAIL;
    while (y1 < y2 && prof[y1 - Y0]! < t) y1++;
    while (y2 > y1 && prof[y2 - 1 - Y0]! < t) y2--;
    return [y1, y2];
  };
  const cores = bands.map(trim).flatMap(([y1, y2]) => cutBand(y1, y2)).map(trim);
  // A line's box reaches as far as its ink does (ascenders, descenders: how a
  // line is boxed in ground truth), through rows that keep holding ink, up to
  // half-way to the next line's core and at most half its core's height.
  const grow = ([y1, y2]: [number, number], i: number): [number, number] => {
    const reach = Math.floor((y2 - y1) / 2);
    const top = Math.max(Y0, y1 - reach, i > 0 ? Math.ceil((cores[i - 1]![1] + y1) / 2) : Y0);
    const bottom = Math.min(Y1, y2 + reach, i + 1 < cores.length ? Math.floor((y2 + cores[i + 1]![0]) / 2) : Y1);
    while (y1 > top && prof[y1 - 1 - Y0]! > 0) y1--;
    while (y2 < bottom && prof[y2 - Y0]! > 0) y2++;
    return [y1, y2];
  };
  for (const [i, core] of cores.entries()) {
    const [y1, y2] = grow(core, i);
    if (core[1] - core[0] < lh / 4) continue; // a dot, a stroke's end
    if (Math.min(y2, p.y2) - Math.max(y1, p.y1) < 0.5 * (y2 - y1)) continue; // mostly another piece's line
    const c = columnInk(m, { x1: p.x1, y1, x2: p.x2, y2 });
    let inkSum = 0;
    for (const v of c) inkSum += v;
    if (inkSum < minInk(y2 - y1)) continue;
    let a = 0, z = c.length;
    while (a < z && c[a] === 0) a++;
    while (z > a && c[z - 1] === 0) z--;
    out.push({ x1: p.x1 + a, y1, x2: p.x1 + z, y2 });
  }
  return out;
}

function iou(a: Box, b: Box): number {
  const iw = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX), ih = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (iw <= 0 || ih <= 0) return 0;
  const i = iw * ih;
  return i / ((a.maxX - a.minX) * (a.maxY - a.minY) + (b.maxX - b.minX) * (b.maxY - b.minY) - i);
}

/** Drops lines that overlap a more confident (or, equally confident, earlier) one at IoU > 0.5, as NMS does. */
function dedupe(lines: Detection[]): Detection[] {
  const order = lines.map((d, i) => ({ d, i, b: bbox(d.polygon)! })).sort((p, q) => q.d.conf - p.d.conf || p.i - q.i);
  const kept: typeof order = [];
  for (const o of order) if (!kept.some((k) => iou(k.b, o.b) > 0.5)) kept.push(o);
  return kept.sort((p, q) => p.i - q.i).map((k) => k.d);
}
