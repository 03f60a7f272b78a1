/**
 * Each detected line's own band of rows: its box, cut halfway to the centre of
 * the nearest line above and below it in the same column. Detected boxes of
 * dense handwriting overlap their neighbours' ascenders and descenders, so a
 * baseline searched in the whole box can jump to the neighbour's writing; searched
 * in the band, two baselines cannot cross.
 */
import type { Box } from '../model/points.js';

export interface Band {
  readonly minY: number;
  readonly maxY: number;
}

/** Whether two boxes share a column: their x-ranges overlap by at least `f` of the narrower. */
function sameColumn(a: Box, b: Box, f = 0.3): boolean {
  const ov = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  return ov > f * Math.min(a.maxX - a.minX, b.maxX - b.minX);
}

export function lineBands(boxes: readonly Box[]): Band[] {
  const cy = boxes.map((b) => (b.minY + b.maxY) / 2);
  return boxes.map((b, i) => {
    let minY = b.minY, maxY = b.maxY;
    const h = b.maxY - b.minY;
    boxes.forEach((o, j) => {
      if (j === i || !sameColumn(b, o)) return;
      const d = cy[j]! - cy[i]!;
      // A neighbour whose centre is within a third of this line's height is a
      // fragment of the same row (or a duplicate), not a line above or below.
      if (Math.abs(d) < 0.35 * h) return;
      const mid = (cy[i]! + cy[j]!) / 2;
      if (d > 0) maxY = Math.min(maxY, mid);
      else minY = Math.max(minY, mid);
    });
    return { minY, maxY };
  });
}
