/**
 * Connected components of a binary map, for DB post-processing. PaddleOCR runs
 * OpenCV's findContours and then only uses each contour's minimum-area rectangle,
 * which depends only on the convex hull; so we label 8-connected blobs (what an
 * outer contour encloses) and keep each blob's leftmost and rightmost pixel per
 * row, which has the same hull as the full contour at a fraction of the points.
 */
import type { Point } from '../model/types.js';
import { convexHull } from '../model/geometry.js';

export interface Blob {
  readonly pixels: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Convex hull of the pixel centres, in map coordinates. */
  readonly hull: Point[];
  /**
   * Per row, the blob's leftmost and rightmost pixel: (y, x0, x1) triples, top
   * to bottom. Filling them is what filling the outer contour gives, row by row
   * (holes included), for any blob without a gap inside one row.
   */
  readonly spans: Int32Array;
}

/**
 * 8-connected components of `mask` (non-zero = foreground), in raster order of
 * their first pixel. Stops after `maxBlobs` (PaddleOCR's max_candidates) so a
 * noisy map cannot run away.
 */
export function findBlobs(mask: Uint8Array, width: number, height: number, maxBlobs = Infinity): Blob[] {
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const blobs: Blob[] = [];
  // Per-row extremes of the current blob, reset through the touched-rows list.
  const rowMin = new Int32Array(height).fill(-1);
  const rowMax = new Int32Array(height);
  const rows: number[] = [];
  for (let start = 0; start < mask.length && blobs.length < maxBlobs; start++) {
    if (!mask[start] || seen[start]) continue;
    let sp = 0;
    stack[sp++] = start;
    seen[start] = 1;
    let pixels = 0, minX = width, minY = height, maxX = -1, maxY = -1;
    rows.length = 0;
    while (sp > 0) {
      const i = stack[--sp]!;
      const x = i % width;
      const y = (i - x) / width;
      pixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (rowMin[y] === -1) {
        rows.push(y);
        rowMin[y] = x;
        rowMax[y] = x;
      } else {
        if (x < rowMin[y]!) rowMin[y] = x;
        if (x > rowMax[y]!) rowMax[y] = x;
      }
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const j = ny * width + nx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack[sp++] = j;
          }
        }
      }
    }
    rows.sort((a, b) => a - b);
    const pts: Point[] = [];
    const spans = new Int32Array(rows.length * 3);
    rows.forEach((y, k) => {
      pts.push({ x: rowMin[y]!, y }, { x: rowMax[y]!, y });
      spans.set([y, rowMin[y]!, rowMax[y]!], k * 3);
      rowMin[y] = -1;
    });
    blobs.push({ pixels, minX, minY, maxX, maxY, hull: convexHull(pts), spans });
  }
  return blobs;
}
