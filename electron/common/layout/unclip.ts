/**
 * Minimum-area rectangles and DB's "unclip" (the shrunk text kernel grown back to
 * the text's extent), as PaddleOCR's DBPostProcess does with OpenCV and pyclipper.
 */
import type { Point, Points } from '../model/types.js';

export interface RotatedRect {
  /** Corners clockwise on screen (y down), starting top-left. */
  readonly corners: Point[];
  /** Side lengths along the rectangle's own axes. */
  readonly width: number;
  readonly height: number;
}

/**
 * The smallest rectangle around a convex hull (rotating calipers: one side of the
 * optimum lies on a hull edge). Hulls of one or two points give a flat rectangle.
 */
export function minAreaRect(hull: Points): RotatedRect {
  if (hull.length === 0) return { corners: [], width: 0, height: 0 };
  const edges = hull.length < 3 ? [[hull[0]!, hull[hull.length - 1]!]] : hull.map((p, i) => [p, hull[(i + 1) % hull.length]!]);
  let best: { area: number; ux: number; uy: number; u0: number; u1: number; v0: number; v1: number } | undefined;
  for (const [a, b] of edges) {
    let ux = b!.x - a!.x, uy = b!.y - a!.y;
    const len = Math.hypot(ux, uy);
    if (len === 0) [ux, uy] = [1, 0];
    else [ux, uy] = [ux / len, uy / len];
    let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
    const area = (u1 - u0) * (v1 - v0);
    if (!best || area < best.area) best = { area, ux, uy, u0, u1, v0, v1 };
  }
  const { ux, uy, u0, u1, v0, v1 } = best!;
  const at = (u: number, v: number): Point => ({ x: u * ux - v * uy, y: u * uy + v * ux });
  const corners = orderCorners([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)]);
  // Width runs top-left → top-right, whichever caliper axis that is.
  const [tl, tr, , bl] = corners as [Point, Point, Point, Point];
  return { corners, width: Math.hypot(tr.x - tl.x, tr.y - tl.y), height: Math.hypot(bl.x - tl.x, bl.y - tl.y) };
}

/** Top-left, top-right, bottom-right, bottom-left (PaddleOCR's get_mini_boxes order). */
function orderCorners(pts: Point[]): Point[] {
  const byX = [...pts].sort((a, b) => a.x - b.x || a.y - b.y);
  const [l1, l2, r1, r2] = byX as [Point, Point, Point, Point];
  const [tl, bl] = l1.y <= l2.y ? [l1, l2] : [l2, l1];
  const [tr, br] = r1.y <= r2.y ? [r1, r2] : [r2, r1];
  return [tl, tr, br, bl];
}

/**
 * Grows a rectangle by DB's unclip distance d = area × ratio / perimeter on every
 * side. PaddleOCR offsets the polygon with round joins and takes the minimum-area
 * rectangle again; for a rectangle that is exactly each side pushed out by d.
 */
export function unclipRect(rect: RotatedRect, ratio: number): RotatedRect {
  const { width: w, height: h, corners } = rect;
  if (corners.length !== 4 || w + h === 0) return rect;
  const d = (w * h * ratio) / (2 * (w + h));
  const c = corners.reduce((s, p) => ({ x: s.x + p.x / 4, y: s.y + p.y / 4 }), { x: 0, y: 0 });
  // Unit vectors along the two sides, from the ordered corners.
  const [tl, tr, , bl] = corners as [Point, Point, Point, Point];
  const ux = w ? (tr.x - tl.x) / w : 1, uy = w ? (tr.y - tl.y) / w : 0;
  const vx = h ? (bl.x - tl.x) / h : -uy, vy = h ? (bl.y - tl.y) / h : ux;
  const W = (w + 2 * d) / 2, H = (h + 2 * d) / 2;
  const at = (a: number, b: number): Point => ({ x: c.x + a * W * ux + b * H * vx, y: c.y + a * W * uy + b * H * vy });
  return { corners: [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)], width: w + 2 * d, height: h + 2 * d };
}
