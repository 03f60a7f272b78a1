/** The canvas view transform: screen = image × scale + (x, y). Pure math, shared by canvas and keys. */
import type { Point } from '../../../electron/common/model/types.js';

export interface View {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export const MAX_SCALE = 8;
const MARGIN = 24;

export function fitView(page: Size, viewport: Size): View {
  const scale = Math.max(0.005, Math.min((viewport.width - 2 * MARGIN) / page.width, (viewport.height - 2 * MARGIN) / page.height));
  return { scale, x: (viewport.width - page.width * scale) / 2, y: (viewport.height - page.height * scale) / 2 };
}

export function minScale(page: Size, viewport: Size): number {
  return fitView(page, viewport).scale / 4;
}

/** Zooms by `factor` keeping the image point under (sx, sy) in place. */
export function zoomAt(view: View, factor: number, sx: number, sy: number, min: number, max = MAX_SCALE): View {
  const scale = Math.max(min, Math.min(max, view.scale * factor));
  const k = scale / view.scale;
  return { scale, x: sx - (sx - view.x) * k, y: sy - (sy - view.y) * k };
}

export function toImage(view: View, sx: number, sy: number): Point {
  return { x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** Pans so that an image rectangle is visible (for keyboard navigation between lines). */
export function ensureVisible(view: View, viewport: Size, box: { minX: number; minY: number; maxX: number; maxY: number }): View {
  const pad = 40;
  let { x, y } = view;
  const left = box.minX * view.scale + x;
  const right = box.maxX * view.scale + x;
  const top = box.minY * view.scale + y;
  const bottom = box.maxY * view.scale + y;
  if (right - left > viewport.width - 2 * pad || left < pad) x += pad - left;
  else if (right > viewport.width - pad) x -= right - (viewport.width - pad);
  if (bottom - top > viewport.height - 2 * pad || top < pad) y += pad - top;
  else if (bottom > viewport.height - pad) y -= bottom - (viewport.height - pad);
  return x === view.x && y === view.y ? view : { ...view, x, y };
}
