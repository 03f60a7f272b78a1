/**
 * Binary masks to polygons: the outer boundary of the largest 4-connected blob,
 * traced along pixel edges (so a one-pixel blob is a unit square), then simplified.
 */
import type { Point } from '../model/types.js';

/** Labels 4-connected components; returns the label image and the largest label (0 = none). */
function largestComponent(mask: Uint8Array, w: number, h: number): { labels: Int32Array; best: number } {
  const labels = new Int32Array(w * h);
  let next = 0, best = 0, bestSize = 0;
  const stack: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || labels[i]) continue;
    next++;
    let size = 0;
    stack.push(i);
    labels[i] = next;
    while (stack.length) {
      const p = stack.pop()!;
      size++;
      const x = p % w, y = (p - x) / w;
      const nb = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of nb) if (q >= 0 && mask[q] && !labels[q]) {
        labels[q] = next;
        stack.push(q);
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = next;
    }
  }
  return { labels, best };
}

/** Outer boundary of the largest blob, as pixel-corner points (clockwise in image coordinates). */
export function traceLargestContour(mask: Uint8Array, w: number, h: number): Point[] | undefined {
  const { labels, best } = largestComponent(mask, w, h);
  if (!best) return undefined;
  const inside = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && labels[y * w + x] === best;
  // Start at the top-left pixel of the blob: its top edge is on the outer boundary.
  let start = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] === best) { start = i; break; }
  const sx = start % w, sy = (start - sx) / w;
  // Walk corners with the blob on the right-hand side. Directions: 0 right, 1 down, 2 left, 3 up.
  const dx = [1, 0, -1, 0], dy = [0, 1, 0, -1];
  let x = sx, y = sy, dir = 0;
  const pts: Point[] = [];
  const limit = 4 * (w + 1) * (h + 1);
  for (let steps = 0; steps < limit; steps++) {
    pts.push({ x, y });
    // Pixels ahead-left and ahead-right of the corner, relative to the direction of travel.
    const cell = (d: number, side: 'left' | 'right'): boolean => {
      // For corner (x,y) moving in d, the pixel to the right of the edge ahead:
      const px = [x, x - 1, x - 1, x][d]!, py = [y, y, y - 1, y - 1][d]!;
      const lx = [x, x, x - 1, x - 1][d]!, ly = [y - 1, y, y, y - 1][d]!;
      return side === 'right' ? inside(px, py) : inside(lx, ly);
    };
    const r = cell(dir, 'right'), l = cell(dir, 'left');
    if (l) dir = (dir + 3) % 4; // turn left
    else if (!r) dir = (dir + 1) % 4; // turn right
    x += dx[dir]!;
    y += dy[dir]!;
    if (x === sx && y === sy) break;
  }
  return dropCollinear(pts);
}

function dropCollinear(pts: Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < pts.length; i++) {
    const a = pts[(i + pts.length - 1) % pts.length]!, b = pts[i]!, c = pts[(i + 1) % pts.length]!;
    if ((b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x) !== 0) out.push(b);
  }
  return out;
}

/** Douglas–Peucker on a closed polygon: split at the point farthest from the first, simplify both halves. */
export function simplifyPolygon(pts: readonly Point[], tolerance: number): Point[] {
  if (pts.length <= 4) return [...pts];
  let far = 0;
  let farD = -1;
  for (let i = 1; i < pts.length; i++) {
    const d = Math.hypot(pts[i]!.x - pts[0]!.x, pts[i]!.y - pts[0]!.y);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  // The ring closed on itself, so the second half runs from `far` back to the first point.
  const ring = [...pts, pts[0]!];
  const keep = new Uint8Array(ring.length);
  keep[0] = 1;
  keep[far] = 1;
  // An explicit stack of spans, not recursion: a contour of millions of points whose
  // splits peel off one point at a time would otherwise overflow the call stack.
  const spans: number[] = [0, far, far, ring.length - 1];
  while (spans.length) {
    const to = spans.pop()!;
    const from = spans.pop()!;
    const a = ring[from]!, b = ring[to]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    let maxD = 0;
    let idx = -1;
    for (let i = from + 1; i < to; i++) {
      const p = ring[i]!;
      const d = Math.abs((b.x - a.x) * (a.y - p.y) - (a.x - p.x) * (b.y - a.y)) / len;
      if (d > maxD) {
        maxD = d;
        idx = i;
      }
    }
    if (maxD > tolerance && idx > 0) {
      keep[idx] = 1;
      spans.push(from, idx, idx, to);
    }
  }
  return pts.filter((_, i) => keep[i]);
}
