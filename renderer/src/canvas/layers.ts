/** What the canvas draws over the scan, each switchable, and the confidence colour scale. */
export interface Layers {
  readonly regions: boolean;
  readonly lines: boolean;
  readonly baselines: boolean;
  readonly order: boolean;
  /** Fill lines by their TextEquiv confidence (red = low, green = high). */
  readonly confidence: boolean;
}

export const DEFAULT_LAYERS: Layers = { regions: true, lines: true, baselines: true, order: true, confidence: true };

/**
 * Red (0) through amber to green (1), translucent so the ink stays readable.
 * Lines with no confidence (typed by a person) get a neutral grey wash.
 */
export function confidenceFill(conf: number | undefined): string {
  if (conf === undefined || !Number.isFinite(conf)) return 'rgba(148,163,184,0.22)';
  const c = Math.max(0, Math.min(1, conf));
  // Hue 0 (red) → 120 (green); most real confidences sit above 0.5, so stretch the top half.
  const hue = Math.round(120 * Math.pow(c, 2));
  return `hsla(${hue}, 85%, 48%, 0.38)`;
}
