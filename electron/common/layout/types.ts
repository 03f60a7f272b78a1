/**
 * What a layout detector finds on a page, before it becomes PAGE regions and
 * lines (see to-page.ts): polygons in page pixels with a class and a confidence.
 */
import type { Points } from '../model/types.js';

export interface Detection {
  /** Outline in page pixels (a box has 4 points). */
  readonly polygon: Points;
  /** Class name from the model (SegmOnto, e.g. MainZone, DefaultLine) or 'line'/'region'. */
  readonly label: string;
  readonly conf: number;
  /** Lines only: a baseline if the detector gives one (else estimated from ink later). */
  readonly baseline?: Points;
}

export interface LayoutResult {
  readonly width: number;
  readonly height: number;
  /** Zones: text blocks, margins, graphics… */
  readonly regions: readonly Detection[];
  readonly lines: readonly Detection[];
  /** Which detector produced it, for provenance in the PAGE metadata. */
  readonly detector: string;
  /** Where the detector ran the page again larger, for its small writing (zoom.ts): by how much. */
  readonly zoom?: number;
}

/** Line detection scores against ground truth (IoU of boxes ≥ threshold, one-to-one). */
export interface DetectionScore {
  readonly truePositives: number;
  readonly predicted: number;
  readonly expected: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}
