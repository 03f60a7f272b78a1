/**
 * Duplicate line detections: a box lying (almost) wholly inside a larger line's
 * box, on the same row, is the same writing found twice (a fragment NMS kept
 * beside the whole line); it is dropped, the larger kept. Lines one above the
 * other never count, however much their boxes overlap.
 */
import { bbox, type Box } from '../model/points.js';
import type { Detection } from './types.js';

function area(b: Box): number {
  return Math.max(0, b.maxX - b.minX) * Math.max(0, b.maxY - b.minY);
}

export function dropContainedLines(lines: readonly Detection[], minInside = 0.9): Detection[] {
  const boxes = lines.map((l) => bbox(l.polygon));
  const drop = new Set<number>();
  boxes.forEach((a, i) => {
    if (!a) return;
    const h = a.maxY - a.minY;
    for (let j = 0; j < boxes.length; j++) {
      const b = boxes[j];
      if (j === i || !b || drop.has(j) || area(b) < area(a) || (area(b) === area(a) && j > i)) continue;
      const inter = { minX: Math.max(a.minX, b.minX), minY: Math.max(a.minY, b.minY), maxX: Math.min(a.maxX, b.maxX), maxY: Math.min(a.maxY, b.maxY) };
      if (inter.minX >= inter.maxX || inter.minY >= inter.maxY) continue;
      const sameRow = Math.abs((a.minY + a.maxY) / 2 - (b.minY + b.maxY) / 2) < 0.35 * Math.min(h, b.maxY - b.minY);
      if (sameRow && area(inter) >= minInside * area(a)) {
        drop.add(i);
        return;
      }
    }
  });
  return lines.filter((_, i) => !drop.has(i));
}
