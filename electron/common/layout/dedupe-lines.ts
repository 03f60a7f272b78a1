/**
 * Line detections of the same writing, made one (every detector, after table
 * splitting):
 * - a box lying (almost) wholly inside a larger line's box on the same row is a
 *   fragment NMS kept beside the whole line: dropped, the larger kept;
 * - two boxes on the same row overlapping over half of the smaller one are one
 *   line found in two overlapping pieces (NMS keeps both below its IoU): their
 *   union;
 * - a "line" several line heights tall over two or more lines found inside it is
 *   a block of them found as one: dropped, the lines kept.
 * Lines one above the other never count as the same row, however much their
 * boxes overlap.
 */
import { bbox, boxArea, boxIntersection, boxPolygon, unionBox, type Box } from '../model/points.js';
import type { Detection } from './types.js';
import { median } from './median.js';

export interface DedupeOptions {
  /** Same-row boxes overlapping over this share of the smaller one are merged. */
  readonly overlap?: number;
  /** Over this share the smaller is a fragment of the larger: dropped, the larger kept as it is. */
  readonly inside?: number;
  /** A box taller than this many median line heights over two lines or more is a block, not a line. */
  readonly blockRows?: number;
}

const DEFAULTS: Required<DedupeOptions> = { overlap: 0.5, inside: 0.9, blockRows: 2.5 };

function sameRow(a: Box, b: Box): boolean {
  return Math.abs((a.minY + a.maxY) / 2 - (b.minY + b.maxY) / 2) < 0.35 * Math.min(a.maxY - a.minY, b.maxY - b.minY);
}

export function dedupeLines(lines: readonly Detection[], opts: DedupeOptions = {}): Detection[] {
  const o = { ...DEFAULTS, ...opts };
  let items = lines.map((d) => ({ d, b: bbox(d.polygon) }));
  // Blocks first: the lines inside them then stand on their own.
  const heights = items.flatMap((it) => (it.b ? [it.b.maxY - it.b.minY] : []));
  const lineHeight = median(heights) ?? 0;
  if (heights.length >= 5 && lineHeight > 0) {
    items = items.filter(({ b }, i) => {
      if (!b || b.maxY - b.minY <= o.blockRows * lineHeight) return true;
      const inside = items.filter((other, j) => {
        const c = other.b;
        if (j === i || !c || c.maxY - c.minY > 1.5 * lineHeight) return false;
        const cx = (c.minX + c.maxX) / 2, cy = (c.minY + c.maxY) / 2;
        return cx >= b.minX && cx <= b.maxX && cy >= b.minY && cy <= b.maxY;
      });
      return inside.length < 2;
    });
  }
  // Then pairs on one row, until none is left (a union may reach a third piece).
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < items.length && !changed; i++) {
      const a = items[i]!.b;
      if (!a) continue;
      for (let j = 0; j < items.length; j++) {
        const b = items[j]!.b;
        if (j === i || !b || boxArea(b) < boxArea(a) || (boxArea(b) === boxArea(a) && j < i)) continue;
        const overlap = boxIntersection(a, b);
        const inter = overlap ? boxArea(overlap) : 0;
        if (!inter || !sameRow(a, b) || inter < o.overlap * boxArea(a)) continue;
        if (inter < o.inside * boxArea(a)) {
          // Two pieces of one line: their union, as a box, with the surer confidence.
          const u = unionBox([a, b])!;
          items[j] = { d: { polygon: boxPolygon(u), label: items[j]!.d.label, conf: Math.max(items[i]!.d.conf, items[j]!.d.conf) }, b: u };
        }
        items.splice(i, 1);
        changed = true;
        break;
      }
    }
  }
  return items.map((it) => it.d);
}
