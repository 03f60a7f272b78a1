import type { Point, Points } from './types.js';

/** The part of a polygon on one side of the vertical line x = c (Sutherland–Hodgman). */
export function clipPolygonX(poly: Points, c: number, keep: 'left' | 'right'): Point[] {
  const inside = (p: Point): boolean => (keep === 'left' ? p.x <= c : p.x >= c);
  const out: Point[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const ina = inside(a);
    const inb = inside(b);
    if (ina) out.push(a);
    if (ina !== inb && b.x !== a.x) {
      const t = (c - a.x) / (b.x - a.x);
      out.push({ x: c, y: Math.round(a.y + t * (b.y - a.y)) });
    }
  }
  return out;
}

/** The y of a polyline at x (clamped to its ends); for splitting baselines. */
export function polylineYAt(line: Points, x: number): number {
  if (!line.length) return 0;
  const pts = [...line].sort((a, b) => a.x - b.x);
  if (x <= pts[0]!.x) return pts[0]!.y;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!, b = pts[i]!;
    if (x <= b.x) return b.x === a.x ? a.y : Math.round(a.y + ((x - a.x) / (b.x - a.x)) * (b.y - a.y));
  }
  return pts[pts.length - 1]!.y;
}

/** Convex hull (monotone chain), for the outline of merged lines. */
export function convexHull(points: Points): Point[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (pts.length < 3) return pts;
  const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}
