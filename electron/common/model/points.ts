import type { Point, Points } from './types.js';

/**
 * Source spellings of parsed point lists, keyed by the parsed array. Operations
 * build new arrays, so an unchanged list keeps its exact source text on write.
 */
const spelled = new WeakMap<Points, string>();

const PAGE_POINTS = /^\s*[^\s,]+,[^\s,]+(\s+[^\s,]+,[^\s,]+)*\s*$/;

/** Parses PAGE `points` ("x,y x,y …"); also accepts ALTO's "x y x y …" and "x,y,x,y". */
export function parsePoints(text: string): Points | undefined {
  const nums = text.trim().split(/[\s,]+/);
  if (nums.length === 1 && nums[0] === '') return [];
  if (nums.length % 2 !== 0) return undefined;
  const pts: Point[] = new Array(nums.length / 2);
  for (let i = 0; i < nums.length; i += 2) {
    const x = Number(nums[i]);
    const y = Number(nums[i + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    pts[i / 2] = { x, y };
  }
  // Only PAGE's own notation is worth keeping verbatim; ALTO's "x y x y" is rewritten.
  if (PAGE_POINTS.test(text)) spelled.set(pts, text);
  return pts;
}

/** The source text a list was parsed from, if it is that very list. */
export function sourceSpelling(pts: Points): string | undefined {
  return spelled.get(pts);
}

export function formatPoints(pts: Points, sep = ','): string {
  const kept = spelled.get(pts);
  if (kept !== undefined && sep === ',') return kept;
  let s = '';
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    s += (i ? ' ' : '') + fmt(p.x) + sep + fmt(p.y);
  }
  return s;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export function bbox(pts: Points): Box | undefined {
  if (pts.length === 0) return undefined;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of pts) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, minY, maxX, maxY };
}

export function unionBox(boxes: readonly (Box | undefined)[]): Box | undefined {
  let out: Box | undefined;
  for (const b of boxes) {
    if (!b) continue;
    out = out
      ? { minX: Math.min(out.minX, b.minX), minY: Math.min(out.minY, b.minY), maxX: Math.max(out.maxX, b.maxX), maxY: Math.max(out.maxY, b.maxY) }
      : b;
  }
  return out;
}

export function boxPolygon(b: Box): Points {
  return [
    { x: b.minX, y: b.minY },
    { x: b.maxX, y: b.minY },
    { x: b.maxX, y: b.maxY },
    { x: b.minX, y: b.maxY },
  ];
}

export function polygonArea(pts: Points): number {
  let a = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) a += (pts[j]!.x + pts[i]!.x) * (pts[j]!.y - pts[i]!.y);
  return Math.abs(a / 2);
}

export function pointInPolygon(p: Point, poly: Points): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!, b = poly[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}
