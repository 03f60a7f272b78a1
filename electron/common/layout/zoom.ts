/**
 * Zoom for small writing. A detector reads lines best at the heights it was
 * trained on; a page of small writing (a dense register, a large scan of a
 * manuscript written small) letterboxed into the model's input makes its lines
 * shorter than nearly all training lines, and boxes come out merged, missed or
 * loose. After a first pass, the median height of the lines found says how much
 * larger the page should be shown: the detector is then run again at that
 * scale, on a larger input (models exported with free height and width), and
 * its second answer is kept.
 */
import { median } from './median.js';

/** The `layout.zoom` block of a layout model's manifest. */
export interface ZoomSettings {
  /** The line height, in input pixels, the model reads best: the median of its training lines. */
  readonly lineHeight: number;
  /** Largest factor (compute grows with its square). */
  readonly max: number;
  /** Smallest factor worth a second pass. */
  readonly min: number;
}

/** Fewer lines than this say too little about a page's writing. */
export const ZOOM_MIN_LINES = 8;

/** The settings as a manifest gives them, or a message saying what is wrong; undefined where there are none. */
export function readZoomSettings(raw: unknown): ZoomSettings | string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null) return 'layout.zoom must be an object {lineHeight, max, min}';
  const z = raw as Record<string, unknown>;
  const num = (k: string): number | undefined => (typeof z[k] === 'number' && Number.isFinite(z[k]) ? (z[k] as number) : undefined);
  const lineHeight = num('lineHeight'), max = num('max'), min = num('min') ?? 1.2;
  if (lineHeight === undefined || lineHeight <= 0) return 'layout.zoom.lineHeight must be a positive number (input pixels)';
  if (max === undefined || max < 1 || max > 4) return 'layout.zoom.max must be a number from 1 to 4';
  if (min < 1 || min > max) return 'layout.zoom.min must be from 1 to layout.zoom.max';
  return { lineHeight, max, min };
}

/**
 * The factor to run the page again at, given the heights (input pixels of the
 * first pass) of the lines it found: 1 where the writing is tall enough, or too
 * few lines were found to tell.
 */
export function zoomFactor(lineHeights: readonly number[], z: ZoomSettings): number {
  if (lineHeights.length < ZOOM_MIN_LINES) return 1;
  const height = median(lineHeights)!;
  if (!(height > 0)) return 1;
  const f = z.lineHeight / height;
  return f >= z.min ? Math.min(f, z.max) : 1;
}

/** An input side scaled by the factor, to the multiple of `stride` nearest it (at least one stride). */
export function zoomedSide(side: number, factor: number, stride = 32): number {
  return Math.max(stride, Math.round((side * factor) / stride) * stride);
}
