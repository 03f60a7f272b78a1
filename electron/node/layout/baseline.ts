/**
 * Baselines estimated from the ink inside a detected line, not just the box
 * bottom. Detected boxes of handwriting take in their neighbours' ascenders and
 * descenders, and estimating slice by slice on its own let a baseline zigzag
 * from one line of writing to the next. So: first the line's slant, the one that
 * makes the row profile of its ink sharpest; then, along that slant, the x-height
 * band nearest the middle of the line's own band (see line-bands.ts) and the row
 * where its ink falls off; last, slices along the line refine that straight line
 * only a little (curving lines), median-filtered. Descenders are thin, so they do
 * not pull it down.
 */
import type { Point, Points } from '../../common/model/types.js';
import { bbox, pointInPolygon } from '../../common/model/points.js';
import type { Band } from '../../common/layout/line-bands.js';
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

/** Slopes tried for the slant (dy/dx): ±0.1, i.e. about ±6°, then halfway between the best and its neighbours. */
const SLOPE_STEP = 0.02;
const SLOPES = Array.from({ length: 11 }, (_, i) => (i - 5) * SLOPE_STEP);

function smooth3(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = (p[Math.max(0, i - 1)]! + p[i]! + p[Math.min(p.length - 1, i + 1)]!) / 3;
  return out;
}

/**
 * A ruled register's horizontal rules cross many line boxes: a row inked over
 * most of the line's length is a rule, not writing (handwriting's densest rows
 * stay well under it), and would otherwise be taken for the x-height band.
 */
function withoutRulings(profile: Float64Array, width: number): Float64Array {
  for (let r = 0; r < profile.length; r++) if (profile[r]! > RULING_SHARE * width) profile[r] = 0;
  return profile;
}
const RULING_SHARE = 0.7;

/** From the peak, down to where density stays below a quarter of it. */
function footOfBand(profile: Float64Array, peak: number, end: number): number {
  let y = peak;
  while (y + 1 < end && (profile[y + 1]! + profile[Math.min(end - 1, y + 2)]!) / 2 >= profile[peak]! * 0.25) y++;
  return y;
}

export function estimateBaseline(img: GreyImage, polygon: Points, band?: Band): Points {
  const b = bbox(polygon)!;
  const x0 = Math.max(0, Math.floor(b.minX)), x1 = Math.min(img.width - 1, Math.ceil(b.maxX));
  const y0 = Math.max(0, Math.floor(b.minY)), y1 = Math.min(img.height - 1, Math.ceil(b.maxY));
  const h = y1 - y0 + 1, w = x1 - x0 + 1;
  // The band, in box rows; a degenerate one (neighbours closer than they should be) falls back to the box.
  let bTop = band ? Math.max(0, Math.floor(band.minY) - y0) : 0;
  let bBot = band ? Math.min(h - 1, Math.ceil(band.maxY) - y0) : h - 1;
  if (bBot - bTop < Math.max(4, h * 0.3)) [bTop, bBot] = [0, h - 1];
  const fy = Math.round(y0 + bTop + (bBot - bTop) * 0.8);
  const fallback: Points = [{ x: x0, y: fy }, { x: x1, y: fy }];
  if (w < 4 || h < 4) return fallback;
  // Pixels inside the polygon (box polygons: every pixel); Otsu over them; then the ink among them.
  const isBox = polygon.length === 4;
  const inside = isBox ? undefined : new Uint8Array(w * h);
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (inside) {
      if (!pointInPolygon({ x: x0 + x + 0.5, y: y0 + y + 0.5 }, polygon)) continue;
      inside[y * w + x] = 1;
    }
    const v = img.data[(y0 + y) * img.width + x0 + x]!;
    hist[v] = hist[v]! + 1;
    n++;
  }
  if (!n) return fallback;
  const t = otsu(hist, n);
  let inkN = 0;
  for (let v = 0; v <= t; v++) inkN += hist[v]!;
  const inkX = new Int32Array(inkN), inkY = new Int32Array(inkN);
  // Ordered by column (a counting sort of the rows' ink), so each slice along the line is one run of indices.
  const perCol = new Int32Array(w + 1);
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * img.width + x0;
    for (let x = 0; x < w; x++) if (img.data[row + x]! <= t && (!inside || inside[y * w + x])) perCol[x + 1]!++;
  }
  for (let x = 0; x < w; x++) perCol[x + 1]! += perCol[x]!;
  inkN = perCol[w]!;
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * img.width + x0;
    for (let x = 0; x < w; x++) {
      if (img.data[row + x]! > t || (inside && !inside[y * w + x])) continue;
      const k = perCol[x]!++;
      inkX[k] = x;
      inkY[k] = y;
    }
  }
  if (inkN < 8) return fallback;
  const xc = w / 2;
  // Sheared rows: row r holds ink at y = r + slope·(x − xc); `pad` keeps every shift in range.
  const pad = Math.ceil(0.1 * xc) + 1;
  const rows = h + 2 * pad;
  const profileAt = (slope: number, sample?: Int32Array): Float64Array => {
    const p = new Float64Array(rows);
    const n = sample ? sample.length : inkN;
    for (let k = 0; k < n; k++) {
      const i = sample ? sample[k]! : k;
      const r = Math.round(inkY[i]! - slope * (inkX[i]! - xc)) + pad;
      if (r >= 0 && r < rows) p[r]!++;
    }
    return p;
  };
  // The slant: coarse over SLOPES on a sample of the ink, then one step finer around the best.
  // The sample takes evenly spaced fractional positions, so it does not lock onto every other row of a column.
  const m = Math.min(inkN, 3000);
  const sample = Int32Array.from({ length: m }, (_, k) => Math.floor((k * inkN) / m));
  const sharpness = (slope: number): number => {
    // Rules left in would pull every slant towards the horizontal.
    const p = withoutRulings(profileAt(slope, sample), (w * m) / inkN);
    let sharp = 0;
    for (let r = 0; r < rows; r++) sharp += p[r]! * p[r]!;
    return sharp;
  };
  let slope = 0, bestSharp = -1;
  const trySlope = (c: number): void => {
    const sharp = sharpness(c);
    if (sharp > bestSharp + 1e-9) {
      bestSharp = sharp;
      slope = c;
    }
  };
  for (const c of SLOPES) trySlope(c);
  const coarse = slope;
  trySlope(coarse - SLOPE_STEP / 2);
  trySlope(coarse + SLOPE_STEP / 2);
  const profile = smooth3(withoutRulings(profileAt(slope), w));
  // The x-height band: the densest row, weighted towards the middle of the line's own band.
  const mid = (bTop + bBot) / 2 + pad, half = Math.max(2, (bBot - bTop) / 2);
  let peak = -1, peakScore = 0;
  for (let r = Math.max(0, bTop + pad); r <= Math.min(rows - 1, bBot + pad); r++) {
    const score = profile[r]! * Math.max(0, 1 - (0.6 * Math.abs(r - mid)) / half);
    if (score > peakScore) {
      peakScore = score;
      peak = r;
    }
  }
  if (peak < 0 || profile[peak]! < 2) return fallback;
  const foot = Math.min(footOfBand(profile, peak, Math.min(rows, bBot + pad + 1)), bBot + pad) - pad;
  const xHeight = Math.max(3, foot - (peak - pad));
  // Refinement: in slices along the line, the foot of the band within a few rows of the straight line.
  const slices = Math.max(1, Math.min(16, Math.round(w / (2 * h))));
  const win = Math.max(2, Math.round(xHeight * 0.5));
  const perSlice: { x: number; d: number }[] = [];
  let i0 = 0;
  for (let s = 0; s < slices; s++) {
    let i1 = i0;
    while (i1 < inkN && Math.min(slices - 1, Math.floor((inkX[i1]! * slices) / w)) === s) i1++;
    const sx = ((s + 0.5) * w) / slices;
    const base = foot + slope * (sx - xc);
    const lo = Math.round(base - xHeight), hi = Math.round(base + win);
    const p = new Float64Array(hi - lo + 1);
    for (let i = i0; i < i1; i++) {
      // Each pixel measured against the slanted line through the slice, so a slanted slice still has a sharp foot.
      const r = Math.round(inkY[i]! - slope * (inkX[i]! - sx)) - lo;
      if (r >= 0 && r < p.length) p[r]!++;
    }
    i0 = i1;
    const sp = smooth3(withoutRulings(p, w / slices));
    let pk = 0;
    for (let r = 1; r < sp.length; r++) if (sp[r]! > sp[pk]!) pk = r;
    if (sp[pk]! < 2) continue;
    const y = footOfBand(sp, pk, sp.length) + lo;
    perSlice.push({ x: sx, d: Math.max(-win, Math.min(win, y - base)) });
  }
  // Median of three on the offsets, so one slice's odd descender or flourish does not bend the line.
  const ds = perSlice.map((p) => p.d);
  const med = ds.map((_, i) => [ds[i - 1], ds[i], ds[i + 1]].filter((v): v is number => v !== undefined).sort((a, c) => a - c)[Math.min(1, ds.length - 1)] ?? ds[i]!);
  const atX = (x: number, d: number): Point => ({ x: Math.round(x0 + x), y: Math.round(Math.max(y0 + bTop, Math.min(y0 + bBot, y0 + foot + slope * (x - xc) + d))) });
  const pts: Point[] = perSlice.length
    ? [atX(0, med[0]!), ...perSlice.map((p, i) => atX(p.x, med[i]!)), atX(w - 1, med[med.length - 1]!)]
    : [atX(0, 0), atX(w - 1, 0)];
  return pts.filter((p, i, a) => i === 0 || p.x > a[i - 1]!.x);
}
