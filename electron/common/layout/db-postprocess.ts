/**
 * DB (Differentiable Binarization) post-processing, as PaddleOCR's DBPostProcess
 * does it in "quad" box mode: binarise the probability map, take each blob's
 * minimum-area rectangle, drop small or faint ones, grow the rest by the unclip
 * ratio. Defaults are PaddleOCR's (tools/infer/utility.py: det_db_thresh 0.3,
 * det_db_box_thresh 0.6, det_db_unclip_ratio 1.5, min_size 3, max_candidates
 * 1000) except the score mode, 'slow' instead of 'fast' (see scoreMode).
 * Pure: coordinates stay in probability-map pixels.
 */
import type { Point, Points } from '../model/types.js';
import { findBlobs } from './contours.js';
import { minAreaRect, unclipRect } from './unclip.js';

export interface DbPostOptions {
  /** Pixels with probability above this are text. */
  readonly thresh?: number;
  /** Mean probability inside a box needed to keep it. */
  readonly boxThresh?: number;
  readonly unclipRatio?: number;
  /** Shorter side (map pixels) below which a box is noise. */
  readonly minSize?: number;
  readonly maxCandidates?: number;
  /**
   * Which pixels the box score averages: 'fast' = inside the minimum-area
   * rectangle (PaddleOCR's default), 'slow' = inside the blob's own outline.
   * Handwritten lines wave, so their rectangle is half paper and 'fast' drops
   * them although the map is sure of them; 'slow' keeps them (bench/layout-detectors.mjs).
   */
  readonly scoreMode?: 'fast' | 'slow';
}

export const DB_DEFAULTS = { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5, minSize: 3, maxCandidates: 1000, scoreMode: 'slow' } as const;

export interface DbBox {
  /** Four corners in map pixels: top-left, top-right, bottom-right, bottom-left. */
  readonly quad: Point[];
  /** Mean probability inside the box before unclipping. */
  readonly score: number;
}

export function dbBoxes(prob: Float32Array, width: number, height: number, opts: DbPostOptions = {}): DbBox[] {
  const o = { ...DB_DEFAULTS, ...opts };
  if (prob.length !== width * height) throw new Error(`probability map has ${prob.length} values, expected ${width}×${height}`);
  const mask = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) mask[i] = prob[i]! > o.thresh ? 1 : 0;
  const out: DbBox[] = [];
  for (const blob of findBlobs(mask, width, height, o.maxCandidates)) {
    const rect = minAreaRect(blob.hull);
    if (Math.min(rect.width, rect.height) < o.minSize) continue;
    const score = o.scoreMode === 'slow' ? meanOverSpans(prob, width, blob.spans) : meanInside(prob, width, height, rect.corners);
    if (score < o.boxThresh) continue;
    const grown = unclipRect(rect, o.unclipRatio);
    if (Math.min(grown.width, grown.height) < o.minSize + 2) continue;
    out.push({ quad: grown.corners, score });
  }
  return out;
}

/** Mean of the map over row spans (y, x0, x1 triples). */
export function meanOverSpans(prob: Float32Array, width: number, spans: Int32Array): number {
  let sum = 0, n = 0;
  for (let k = 0; k < spans.length; k += 3) {
    const row = spans[k]! * width;
    for (let x = spans[k + 1]!; x <= spans[k + 2]!; x++) sum += prob[row + x]!;
    n += spans[k + 2]! - spans[k + 1]! + 1;
  }
  return n ? sum / n : 0;
}

/** Mean of the map over the pixels whose centres lie in a convex polygon (cv2.fillPoly + mean). */
export function meanInside(prob: Float32Array, width: number, height: number, poly: Points): number {
  let y0 = Infinity, y1 = -Infinity;
  for (const p of poly) {
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  let sum = 0, n = 0;
  for (let y = Math.max(0, Math.ceil(y0 - 1e-6)); y <= Math.min(height - 1, Math.floor(y1 + 1e-6)); y++) {
    // Where the row crosses the polygon's edges: the span between the extreme crossings.
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
      if ((a.y <= y && b.y >= y) || (b.y <= y && a.y >= y)) {
        const xs = a.y === b.y ? [a.x, b.x] : [a.x + ((y - a.y) / (b.y - a.y)) * (b.x - a.x)];
        for (const x of xs) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
    }
    const row = y * width;
    for (let x = Math.max(0, Math.ceil(lo - 1e-6)); x <= Math.min(width - 1, Math.floor(hi + 1e-6)); x++) {
      sum += prob[row + x]!;
      n++;
    }
  }
  return n ? sum / n : 0;
}
