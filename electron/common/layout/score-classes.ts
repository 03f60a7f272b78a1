/**
 * Detection scores per SegmOnto class (box IoU ≥ 0.5, one-to-one, as score.ts),
 * for the model cards' per-class tables: zones are matched only within their own
 * class; lines both per line type and, in score.ts, regardless of it.
 */
import type { Points, Region, TextLine } from '../model/types.js';
import { segmontoType } from '../model/segmonto.js';
import { detectionScore, scoreLines } from './score.js';
import type { DetectionScore } from './types.js';

/** A zone or line outline with its SegmOnto class. */
export interface ClassedOutline {
  readonly cls: string;
  readonly points: Points;
}

export interface PageObjects {
  /** Regions with a SegmOnto zone type (regions without one are not scored). */
  readonly zones: ClassedOutline[];
  /** Every line; untyped lines count as DefaultLine, as the YOLO export labels them. */
  readonly lines: ClassedOutline[];
}

/** The zones and lines of a page, in document order. `lineOutline` picks a line's polygon (coords, else one from its baseline). */
export function pageObjects(regions: readonly Region[], lineOutline: (l: TextLine) => Points | undefined): PageObjects {
  const zones: ClassedOutline[] = [];
  const lines: ClassedOutline[] = [];
  const walk = (rs: readonly Region[]): void => {
    for (const r of rs) {
      const t = segmontoType(r.custom, 'zone');
      if (t && r.coords?.points.length) zones.push({ cls: t, points: r.coords.points });
      for (const l of r.lines) lines.push({ cls: segmontoType(l.custom, 'line') ?? 'DefaultLine', points: lineOutline(l) ?? [] });
      walk(r.regions);
    }
  };
  walk(regions);
  return { zones, lines };
}

export type ClassCounts = Record<string, { truePositives: number; predicted: number; expected: number }>;

/** True positives, predictions and expected objects per class, each class matched on its own. */
export function countByClass(predicted: readonly ClassedOutline[], expected: readonly ClassedOutline[], iouThreshold = 0.5): ClassCounts {
  const classes = [...new Set([...predicted.map((o) => o.cls), ...expected.map((o) => o.cls)])].sort();
  const out: ClassCounts = {};
  for (const c of classes) {
    const s = scoreLines(predicted.filter((o) => o.cls === c).map((o) => o.points), expected.filter((o) => o.cls === c).map((o) => o.points), iouThreshold);
    out[c] = { truePositives: s.truePositives, predicted: s.predicted, expected: s.expected };
  }
  return out;
}

/** Counts of several pages added up (pooled over their objects). */
export function addCounts(a: ClassCounts, b: ClassCounts): ClassCounts {
  const out: ClassCounts = { ...a };
  for (const [c, v] of Object.entries(b)) {
    const w = out[c] ?? { truePositives: 0, predicted: 0, expected: 0 };
    out[c] = { truePositives: w.truePositives + v.truePositives, predicted: w.predicted + v.predicted, expected: w.expected + v.expected };
  }
  return out;
}

/** Precision, recall and F1 of each class's pooled counts. */
export function classScores(counts: ClassCounts): Record<string, DetectionScore> {
  const out: Record<string, DetectionScore> = {};
  for (const [c, v] of Object.entries(counts)) out[c] = detectionScore(v.truePositives, v.predicted, v.expected);
  return out;
}
