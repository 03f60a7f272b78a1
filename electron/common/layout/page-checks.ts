/**
 * Geometric sanity of a segmented page, independent of any ground truth: the
 * defects seen on an unseen register page (issue 20) — baselines that zigzag
 * across neighbouring lines, lines outside their region, overlapping text
 * regions, a heading read after the text under it. `segment`'s output is
 * checked with these in the layout regression test; they take a PageDocument,
 * so a file from elsewhere can be checked the same way.
 */
import type { PageDocument, Point, Points, Region, TextLine } from '../model/types.js';
import { bbox, boxIntersection, pointInPolygon, type Box } from '../model/points.js';
import { regionsInReadingOrder } from '../model/ops.js';

/** Points on a grid over the polygon's box that lie inside it (≈ `n`×`n` of them), for area fractions. */
function gridInside(poly: Points, n = 24): Point[] {
  const b = bbox(poly);
  if (!b) return [];
  const out: Point[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const p = { x: b.minX + ((b.maxX - b.minX) * (i + 0.5)) / n, y: b.minY + ((b.maxY - b.minY) * (j + 0.5)) / n };
    if (pointInPolygon(p, poly)) out.push(p);
  }
  return out;
}

/** Share of polygon `a`'s area that lies inside polygon `b` (grid estimate). */
export function areaInside(a: Points, b: Points): number {
  const pts = gridInside(a);
  if (!pts.length) return 1;
  const bb = bbox(b)!;
  let hit = 0;
  for (const p of pts) if (p.x >= bb.minX && p.x <= bb.maxX && p.y >= bb.minY && p.y <= bb.maxY && pointInPolygon(p, b)) hit++;
  return hit / pts.length;
}

/** y of a polyline at x (linear between points; undefined outside its x-range). */
function yAt(line: Points, x: number): number | undefined {
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!, b = line[i]!;
    const lo = Math.min(a.x, b.x), hi = Math.max(a.x, b.x);
    if (x < lo || x > hi) continue;
    return hi === lo ? Math.max(a.y, b.y) : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
  }
  return undefined;
}

/** Whether two baselines cross: the sign of their vertical distance changes where both are defined. */
export function baselinesCross(a: Points, b: Points): boolean {
  const xs = [...a, ...b].map((p) => p.x).sort((u, v) => u - v);
  // Loops, not Math.min(...xs): a baseline of millions of points would overflow the stack.
  const ba = bbox(a), bb = bbox(b);
  if (!ba || !bb) return false;
  const lo = Math.max(ba.minX, bb.minX);
  const hi = Math.min(ba.maxX, bb.maxX);
  let sign = 0;
  for (const x of xs) {
    if (x < lo || x > hi) continue;
    const ya = yAt(a, x), yb = yAt(b, x);
    if (ya === undefined || yb === undefined || ya === yb) continue;
    const s = Math.sign(ya - yb);
    if (sign && s !== sign) return true;
    sign = s;
  }
  return false;
}

export interface LineRef {
  readonly region: string;
  readonly line: string;
}

export interface PageChecks {
  readonly lines: number;
  /** Pairs of lines, one above the other (x-ranges overlapping by 30 % of the shorter), whose baselines cross. */
  readonly crossingBaselines: readonly [string, string][];
  /** Lines with less than `minInside` of their area inside their region, with that share. */
  readonly linesOutsideRegion: readonly (LineRef & { readonly inside: number })[];
  /** Pairs of text regions overlapping by more than `maxOverlap` of the smaller one's area. */
  readonly overlappingRegions: readonly { readonly a: string; readonly b: string; readonly share: number; readonly px: number }[];
  /**
   * Lines read after a line that lies wholly below them in the same column
   * (x-ranges overlapping by half the narrower): a heading read after the text under it.
   */
  readonly readBeforeAbove: readonly [string, string][];
}

export interface CheckOptions {
  /** Share of a line's area that must lie inside its region (default 0.9). */
  readonly minInside?: number;
  /** Share of the smaller region's area two text regions may share (default 0.05). */
  readonly maxOverlap?: number;
}

function textRegions(doc: PageDocument): Region[] {
  const byId = new Map<string, Region>();
  const walk = (rs: readonly Region[]): void => rs.forEach((r) => {
    byId.set(r.id, r);
    walk(r.regions);
  });
  walk(doc.page.regions);
  const ordered = regionsInReadingOrder(doc).map((id) => byId.get(id)).filter((r): r is Region => !!r);
  const rest = [...byId.values()].filter((r) => !ordered.includes(r));
  return [...ordered, ...rest].filter((r) => r.kind === 'TextRegion');
}

function samplesAlong(line: Points, n = 20): Point[] {
  const out: Point[] = [];
  const x0 = line[0]!.x, x1 = line[line.length - 1]!.x;
  for (let i = 0; i <= n; i++) {
    const x = x0 + ((x1 - x0) * i) / n;
    const y = yAt(line, x);
    if (y !== undefined) out.push({ x, y });
  }
  return out;
}

/** Overlap of two boxes' x-ranges as a share of the narrower one. */
function xOverlap(a: Box, b: Box): number {
  const ov = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  return ov / Math.max(1, Math.min(a.maxX - a.minX, b.maxX - b.minX));
}

export function checkPage(doc: PageDocument, opts: CheckOptions = {}): PageChecks {
  const minInside = opts.minInside ?? 0.9;
  const maxOverlap = opts.maxOverlap ?? 0.05;
  const regions = textRegions(doc);
  const lines: { ref: LineRef; line: TextLine; box: Box; order: number }[] = [];
  for (const r of regions) for (const l of r.lines) {
    const box = l.coords?.points && bbox(l.coords.points);
    if (box) lines.push({ ref: { region: r.id, line: l.id }, line: l, box, order: lines.length });
  }

  const crossingBaselines: [string, string][] = [];
  for (const a of lines) {
    const ba = a.line.baseline?.points;
    if (!ba || ba.length < 2) continue;
    for (const b of lines) {
      const bb = b.line.baseline?.points;
      // Fragments of one row (a line cut at a ruling) may touch end to end; only lines above one another count.
      if (b.order <= a.order || !bb || bb.length < 2 || xOverlap(a.box, b.box) < 0.3) continue;
      if (baselinesCross(ba, bb)) crossingBaselines.push([a.ref.line, b.ref.line]);
    }
  }

  const linesOutsideRegion: (LineRef & { inside: number })[] = [];
  for (const r of regions) {
    const poly = r.coords?.points;
    for (const l of r.lines) {
      const lp = l.coords?.points;
      if (!lp) continue;
      const inside = poly ? areaInside(lp, poly) : 0;
      if (inside < minInside) linesOutsideRegion.push({ region: r.id, line: l.id, inside: Math.round(inside * 1000) / 1000 });
    }
  }

  const overlappingRegions: { a: string; b: string; share: number; px: number }[] = [];
  for (let i = 0; i < regions.length; i++) for (let j = i + 1; j < regions.length; j++) {
    const pa = regions[i]!.coords?.points, pb = regions[j]!.coords?.points;
    if (!pa || !pb) continue;
    const ib = boxIntersection(bbox(pa)!, bbox(pb)!);
    if (!ib) continue;
    const aInB = areaInside(pa, pb), bInA = areaInside(pb, pa);
    const share = Math.max(aInB, bInA);
    if (share > maxOverlap) overlappingRegions.push({ a: regions[i]!.id, b: regions[j]!.id, share: Math.round(share * 1000) / 1000, px: Math.round(Math.min(ib.maxX - ib.minX, ib.maxY - ib.minY)) });
  }

  const readBeforeAbove: [string, string][] = [];
  for (const a of lines) for (const b of lines) {
    if (b.order >= a.order) continue; // b is read before a
    if (xOverlap(a.box, b.box) < 0.5) continue;
    if (a.box.maxY <= b.box.minY) readBeforeAbove.push([b.ref.line, a.ref.line]);
  }

  return { lines: lines.length, crossingBaselines, linesOutsideRegion, overlappingRegions, readBeforeAbove };
}

/**
 * Baselines that stray from one line of writing to another, judged against the
 * ground truth's baselines: along each predicted baseline, the nearest truth
 * baseline at each x (within `reach` × the predicted line's height) should be
 * one and the same — its own, the one most samples go to. A baseline that goes
 * to another truth line on more than `maxStray` of the stretch where its own is
 * drawn zigzags across its neighbours. (Where its own truth line is not drawn —
 * a detected line running on past a short insertion — nothing is judged; nor are
 * baselines with no truth line within reach, writing the truth leaves out.)
 */
export function strayBaselines(predicted: readonly { readonly id: string; readonly baseline: Points; readonly height: number }[], truth: readonly Points[], opts: { readonly maxStray?: number; readonly reach?: number } = {}): { id: string; stray: number }[] {
  const maxStray = opts.maxStray ?? 0.1;
  const reach = opts.reach ?? 1;
  const out: { id: string; stray: number }[] = [];
  for (const p of predicted) {
    if (p.baseline.length < 2) continue;
    const nearest: { x: number; j: number }[] = [];
    for (const s of samplesAlong(p.baseline)) {
      let best = -1, bestD = reach * p.height;
      truth.forEach((t, j) => {
        const y = yAt(t, s.x);
        if (y !== undefined && Math.abs(y - s.y) < bestD) {
          bestD = Math.abs(y - s.y);
          best = j;
        }
      });
      if (best >= 0) nearest.push({ x: s.x, j: best });
    }
    if (nearest.length < 5) continue;
    const votes = new Map<number, number>();
    for (const v of nearest) votes.set(v.j, (votes.get(v.j) ?? 0) + 1);
    const own = [...votes.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const judged = nearest.filter((v) => yAt(truth[own]!, v.x) !== undefined);
    const stray = judged.filter((v) => v.j !== own).length / judged.length;
    if (stray > maxStray) out.push({ id: p.id, stray: Math.round(stray * 1000) / 1000 });
  }
  return out;
}
