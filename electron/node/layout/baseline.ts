/**
 * Baselines estimated from the ink inside a detected line, not just the box
 * bottom: in slices along the line, the row where ink density falls off below
 * the x-height band. Descenders are thin, so they do not pull it down.
 */
import type { Point, Points } from '../../common/model/types.js';
import { bbox, pointInPolygon } from '../../common/model/points.js';
import type { GreyImage } from '../images/page-image.js';

/** Otsu's threshold over the pixels of a region (ink is darker than it). */
function otsu(hist: Uint32Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0, wB = 0, best = 0, bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB, mF = (sum - sumB) / wF;
    const v = wB * wF * (mB - mF) ** 2;
    if (v > bestVar) {
      bestVar = v;
      best = t;
    }
  }
  return best;
}

export function estimateBaseline(img: GreyImage, polygon: Points): Points {
  const b = bbox(polygon)!;
  const x0 = Math.max(0, Math.floor(b.minX)), x1 = Math.min(img.width - 1, Math.ceil(b.maxX));
  const y0 = Math.max(0, Math.floor(b.minY)), y1 = Math.min(img.height - 1, Math.ceil(b.maxY));
  const h = y1 - y0 + 1, w = x1 - x0 + 1;
  const fallback: Points = [{ x: x0, y: Math.round(y1 - h * 0.2) }, { x: x1, y: Math.round(y1 - h * 0.2) }];
  if (w < 4 || h < 4) return fallback;
  // Ink mask inside the polygon (box polygons: every pixel).
  const isBox = polygon.length === 4;
  const inside = new Uint8Array(w * h);
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (!isBox && !pointInPolygon({ x: x0 + x + 0.5, y: y0 + y + 0.5 }, polygon)) continue;
    inside[y * w + x] = 1;
    const v = img.data[(y0 + y) * img.width + x0 + x]!;
    hist[v] = hist[v]! + 1;
    n++;
  }
  if (!n) return fallback;
  const t = otsu(hist, n);
  const slices = Math.max(1, Math.min(12, Math.round(w / (2 * h))));
  const pts: Point[] = [];
  for (let s = 0; s < slices; s++) {
    const sx0 = Math.floor((s * w) / slices), sx1 = Math.floor(((s + 1) * w) / slices);
    const profile = new Float64Array(h);
    let peak = 0;
    for (let y = 0; y < h; y++) {
      let c = 0;
      for (let x = sx0; x < sx1; x++) if (inside[y * w + x] && img.data[(y0 + y) * img.width + x0 + x]! <= t) c++;
      profile[y] = c;
      if (c > profile[peak]!) peak = y;
    }
    if (profile[peak]! < 2) continue;
    // Smooth over 3 rows, then walk down from the densest row to where density drops below a quarter.
    let y = peak;
    while (y + 1 < h && (profile[y + 1]! + profile[Math.min(h - 1, y + 2)]!) / 2 >= profile[peak]! * 0.25) y++;
    pts.push({ x: x0 + (sx0 + sx1) / 2, y: y0 + y });
  }
  if (!pts.length) return fallback;
  // Median-filter the slice heights, then run the baseline across the whole line.
  const ys = pts.map((p) => p.y);
  const smooth = ys.map((_, i) => [ys[i - 1], ys[i], ys[i + 1]].filter((v): v is number => v !== undefined).sort((a, c) => a - c)[1] ?? ys[i]!);
  const line = pts.map((p, i) => ({ x: Math.round(p.x), y: Math.round(smooth[i]!) }));
  const first = line[0]!, last = line[line.length - 1]!;
  return [{ x: x0, y: first.y }, ...line.slice(1, -1), { x: x1, y: last.y }].filter((p, i, a) => i === 0 || p.x > a[i - 1]!.x);
}
