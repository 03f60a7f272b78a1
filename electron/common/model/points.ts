import type { Point, Points } from './types.js';

/**
 * Source spellings of parsed point lists, keyed by the parsed array. Operations
 * build new arrays, so an unchanged list keeps its exact source text on write.
 */
const spelled = new WeakMap<Points, string>();

/** JavaScript's `\s` (what `trim` and the old split on /[\s,]+/ took as space). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A token's number: plain integers read here (most points), anything else as `Number` reads it. */
function tokenNumber(text: string, a: number, b: number): number {
  let i = a;
  const neg = text.charCodeAt(i) === 45;
  if (neg) i++;
  if (b - i > 0 && b - i < 16) {
    let n = 0;
    for (; i < b; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === b) return neg ? -n : n;
  }
  return a === b ? 0 : Number(text.slice(a, b));
}

/**
 * Parses PAGE `points` ("x,y x,y …"); also accepts ALTO's "x y x y …" and "x,y,x,y".
 * One pass over the text, no regular expression and no recursion: a polygon of
 * millions of points (a border traced pixel by pixel) costs its points and nothing more.
 * Tokens are separated by runs of spaces and commas (an empty token at either end reads
 * as 0, as `split(/[\s,]+/)` gave it).
 */
export function parsePoints(text: string): Points | undefined {
  const pts: Point[] = [];
  const read = eachPoint(text, (x, y) => void pts.push({ x, y }));
  if (!read) return undefined;
  // Only PAGE's own notation is worth keeping verbatim; ALTO's "x y x y" is rewritten.
  if (read.pageNotation && pts.length) spelled.set(pts, text);
  return pts;
}

/**
 * Reads `text` as parsePoints does, handing each point to `on` instead of keeping it (a
 * polygon of millions of points looked at without an object for each); undefined where
 * parsePoints gives undefined (then `on` may have seen some points already).
 * `pageNotation`: the text is in PAGE's own notation (parsePoints keeps it verbatim).
 */
export function eachPoint(text: string, on: (x: number, y: number) => void): { readonly pageNotation: boolean } | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return { pageNotation: false };
  // PAGE's own notation (worth keeping verbatim): exactly one comma inside a pair, spaces only between pairs.
  let pageNotation = true;
  let x = 0;
  let odd = false;
  let i = start;
  for (;;) {
    const a = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 44 || isSpace(c)) break;
      i++;
    }
    const n = tokenNumber(text, a, i);
    if (!Number.isFinite(n)) return undefined;
    if (a === i) pageNotation = false;
    if (odd) on(x, n);
    else x = n;
    odd = !odd;
    if (i >= end) break;
    // The separator run: its commas and spaces.
    let commas = 0;
    let spaces = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 44) commas++;
      else if (isSpace(c)) spaces++;
      else break;
    }
    if (odd ? commas !== 1 || spaces !== 0 : commas !== 0) pageNotation = false;
    if (i >= end) {
      // A trailing comma: one more (empty) token.
      if (odd) on(x, 0);
      else return undefined;
      odd = !odd;
      pageNotation = false;
      break;
    }
  }
  if (odd) return undefined;
  return { pageNotation };
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

/** A box's area (0 for an empty or inverted one). */
export function boxArea(b: Box): number {
  return Math.max(0, b.maxX - b.minX) * Math.max(0, b.maxY - b.minY);
}

/** Where two boxes overlap, or undefined where they do not. */
export function boxIntersection(a: Box, b: Box): Box | undefined {
  const r = { minX: Math.max(a.minX, b.minX), minY: Math.max(a.minY, b.minY), maxX: Math.min(a.maxX, b.maxX), maxY: Math.min(a.maxY, b.maxY) };
  return r.minX < r.maxX && r.minY < r.maxY ? r : undefined;
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
