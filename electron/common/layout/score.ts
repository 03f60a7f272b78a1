/**
 * Line detection scores against ground truth: a predicted line counts when its
 * axis-aligned bounding box has IoU ≥ threshold with a ground-truth line's box,
 * each line matched at most once. Matching is greedy by IoU, highest first (not
 * the optimal assignment; at IoU ≥ 0.5 a box can rarely match two others well, so
 * the two agree in practice and greedy is simple and fast).
 */
import type { Points } from '../model/types.js';
import { bbox, type Box } from '../model/points.js';
import type { DetectionScore } from './types.js';

export function boxIoU(a: Box, b: Box): number {
  const iw = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const ih = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.maxX - a.minX) * (a.maxY - a.minY) + (b.maxX - b.minX) * (b.maxY - b.minY) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Precision, recall and F1 of predicted line outlines against expected ones.
 * Empty polygons count as lines that match nothing. With nothing predicted and
 * nothing expected every score is 1; with only one side empty, F1 is 0.
 */
export function scoreLines(predicted: readonly Points[], expected: readonly Points[], iouThreshold = 0.5): DetectionScore {
  const P = predicted.map((p) => bbox(p));
  const E = expected.map((p) => bbox(p));
  const pairs: { i: number; j: number; iou: number }[] = [];
  for (let i = 0; i < P.length; i++) {
    const a = P[i];
    if (!a) continue;
    for (let j = 0; j < E.length; j++) {
      const b = E[j];
      if (!b) continue;
      const iou = boxIoU(a, b);
      if (iou >= iouThreshold && iou > 0) pairs.push({ i, j, iou });
    }
  }
  pairs.sort((x, y) => y.iou - x.iou);
  const usedP = new Set<number>();
  const usedE = new Set<number>();
  for (const { i, j } of pairs) {
    if (usedP.has(i) || usedE.has(j)) continue;
    usedP.add(i);
    usedE.add(j);
  }
  return detectionScore(usedP.size, P.length, E.length);
}

/**
 * Precision, recall and F1 from counts (one page's, or several pages' added up).
 * With nothing predicted and nothing expected every score is 1; with only one
 * side empty, F1 is 0.
 */
export function detectionScore(truePositives: number, predicted: number, expected: number): DetectionScore {
  const precision = predicted ? truePositives / predicted : expected ? 0 : 1;
  const recall = expected ? truePositives / expected : predicted ? 0 : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePositives, predicted, expected, precision, recall, f1 };
}
