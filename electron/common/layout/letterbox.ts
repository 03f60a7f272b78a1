/**
 * Ultralytics' letterbox: scale the page to fit the model's input keeping its
 * aspect ratio, centre it, pad with grey 114. Detections come back in input
 * pixels and are mapped to page pixels by undoing it.
 */
export interface Letterbox {
  readonly scale: number;
  /** Padding added on the left and top, in input pixels. */
  readonly padX: number;
  readonly padY: number;
  /** Size of the scaled page inside the input. */
  readonly innerW: number;
  readonly innerH: number;
  readonly inputW: number;
  readonly inputH: number;
}

export function letterbox(pageW: number, pageH: number, inputW: number, inputH: number): Letterbox {
  const scale = Math.min(inputW / pageW, inputH / pageH);
  const innerW = Math.round(pageW * scale);
  const innerH = Math.round(pageH * scale);
  // Same rounding as Ultralytics: left/top = round(d - 0.1).
  const padX = Math.max(0, Math.round((inputW - innerW) / 2 - 0.1));
  const padY = Math.max(0, Math.round((inputH - innerH) / 2 - 0.1));
  return { scale, padX, padY, innerW, innerH, inputW, inputH };
}

export function toPageX(lb: Letterbox, x: number, pageW: number): number {
  return Math.min(pageW, Math.max(0, (x - lb.padX) / lb.scale));
}

export function toPageY(lb: Letterbox, y: number, pageH: number): number {
  return Math.min(pageH, Math.max(0, (y - lb.padY) / lb.scale));
}
