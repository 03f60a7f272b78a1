/**
 * Groups text fragments into lines. DB finds words, not lines, on handwriting
 * (and on widely spaced print); a line is a left-to-right chain of fragments that
 * overlap strongly in height and follow each other closely. Chains compare a new
 * fragment with their last (rightmost) fragment, not with the whole line, so a
 * line that climbs or falls across the page is still followed.
 */
import type { Point, Points } from '../model/types.js';
import { bbox, type Box } from '../model/points.js';

export interface Fragment {
  readonly polygon: Points;
  readonly conf: number;
}

export interface GroupOptions {
  /** Shared height over the smaller fragment's height needed to join (0–1). */
  readonly minOverlap?: number;
  /** Largest horizontal gap to the line's last fragment, in fragment heights. */
  readonly maxGap?: number;
}

/** Measured best on the corpus (bench/layout-detectors.mjs --sweep, docs/benchmarks.md). */
export const GROUP_DEFAULTS = { minOverlap: 0.7, maxGap: 0.5 } as const;

export interface GroupedLine {
  /** Outline following the tops and bottoms of the fragments, clockwise from top-left. */
  readonly polygon: Point[];
  /** Mean of the fragments' confidences. */
  readonly conf: number;
  readonly fragments: number;
}

interface Chain {
  readonly boxes: Box[];
  confSum: number;
  last: Box;
}

const h = (b: Box): number => b.maxY - b.minY;

/** Lines from fragments, top to bottom (by their vertical middle), then left to right. */
export function groupLines(fragments: readonly Fragment[], opts: GroupOptions = {}): GroupedLine[] {
  const o = { ...GROUP_DEFAULTS, ...opts };
  const items = fragments
    .map((f) => ({ box: bbox(f.polygon), conf: f.conf }))
    .filter((f): f is { box: Box; conf: number } => f.box !== undefined && h(f.box) > 0)
    .sort((a, b) => a.box.minX - b.box.minX);
  const chains: Chain[] = [];
  for (const { box, conf } of items) {
    let best: Chain | undefined;
    let bestOverlap = 0;
    for (const c of chains) {
      const ov = overlap(c.last, box);
      if (ov < o.minOverlap || ov <= bestOverlap) continue;
      // A negative gap (fragments overlapping in x) always passes. No limit on the height
      // ratio: forbidding words to join a tall blob (two lines DB merged) measured worse.
      if (box.minX - c.last.maxX > o.maxGap * Math.max(h(c.last), h(box))) continue;
      best = c;
      bestOverlap = ov;
    }
    if (best) {
      best.boxes.push(box);
      best.confSum += conf;
      if (box.maxX >= best.last.maxX) best.last = box;
    } else chains.push({ boxes: [box], confSum: conf, last: box });
  }
  return chains
    .map((c) => ({ polygon: bandPolygon(c.boxes), conf: c.confSum / c.boxes.length, fragments: c.boxes.length, mid: middle(c.boxes) }))
    .sort((a, b) => a.mid.y - b.mid.y || a.mid.x - b.mid.x)
    .map(({ polygon, conf, fragments }) => ({ polygon, conf, fragments }));
}

/** Shared height of two boxes over the smaller height. */
function overlap(a: Box, b: Box): number {
  const shared = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  return shared <= 0 ? 0 : shared / Math.min(h(a), h(b));
}

function middle(boxes: readonly Box[]): Point {
  let x = 0, y = 0;
  for (const b of boxes) {
    x += (b.minX + b.maxX) / 2;
    y += (b.minY + b.maxY) / 2;
  }
  return { x: x / boxes.length, y: y / boxes.length };
}

/**
 * A polygon around the union of boxes that follows the line: at each box edge,
 * the highest top and lowest bottom of the boxes there, joined left to right.
 * Tighter than a convex hull on a sloping line, and it contains every box.
 */
export function bandPolygon(boxes: readonly Box[]): Point[] {
  const xs = [...new Set(boxes.flatMap((b) => [b.minX, b.maxX]))].sort((a, b) => a - b);
  const top: Point[] = [];
  const bottom: Point[] = [];
  for (const x of xs) {
    let t = Infinity, btm = -Infinity;
    for (const b of boxes) {
      if (b.minX <= x && x <= b.maxX) {
        t = Math.min(t, b.minY);
        btm = Math.max(btm, b.maxY);
      }
    }
    // Every breakpoint is some box's edge, so at least one box covers it.
    top.push({ x, y: t });
    bottom.push({ x, y: btm });
  }
  return simplify([...top, ...bottom.reverse()]);
}

/** Drops points in the middle of straight runs (same y as both neighbours along x, or collinear). */
function simplify(pts: Point[]): Point[] {
  if (pts.length <= 4) return pts;
  const out: Point[] = [];
  for (let i = 0; i < pts.length; i++) {
    const a = pts[(i - 1 + pts.length) % pts.length]!, b = pts[i]!, c = pts[(i + 1) % pts.length]!;
    const cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if (Math.abs(cross) > 1e-9) out.push(b);
  }
  return out.length >= 3 ? out : pts;
}
