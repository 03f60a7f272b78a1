/**
 * Cutting one text line out of a page: along its polygon (outside = paper white),
 * straightened along its baseline, optionally contrast-stretched, scaled to the
 * model's height. The manifest decides each step (see common/model-manifest/manifest.ts).
 */
import sharp from 'sharp';
import type { Point, Points } from '../../common/model/types.js';
import { bbox } from '../../common/model/points.js';
import { polylineYAt } from '../../common/model/geometry.js';
import type { GreyImage } from './page-image.js';
import type { ContrastStretch } from '../../common/model-manifest/manifest.js';

const DEFAULT_STRETCH: ContrastStretch = { low: 2, high: 98, minRange: 8 };

export interface CutOptions {
  /** 'dewarp' shifts each column so the baseline becomes straight (also removes skew). */
  readonly straighten: 'none' | 'dewarp';
  /** Stretch the line's grey levels to the full range (true: 2nd–98th percentile). */
  readonly contrast: boolean | ContrastStretch;
  /** Scale to this height keeping the aspect ratio; undefined keeps the source resolution. */
  readonly height?: number;
  /** Paper-coloured columns added left and right, at the output height. */
  readonly padding?: number;
}

export interface LineImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export class LineCutError extends Error {
  override name = 'LineCutError';
}

const WHITE = 255;

/** For each row of the box, the x ranges inside the polygon (even-odd rule, pixel centres). */
function polygonMask(poly: Points, x0: number, y0: number, w: number, h: number): Uint8Array {
  const mask = new Uint8Array(w * h);
  const xs: number[] = [];
  for (let row = 0; row < h; row++) {
    const y = y0 + row + 0.5;
    xs.length = 0;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const a = poly[i]!, b = poly[j]!;
      if (a.y > y !== b.y > y) xs.push(a.x + ((y - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - x0 - 0.5));
      const to = Math.min(w - 1, Math.floor(xs[k + 1]! - x0 - 0.5));
      for (let col = from; col <= to; col++) mask[row * w + col] = 1;
    }
  }
  return mask;
}

function stretch(img: LineImage, mask: Uint8Array | undefined, spec: ContrastStretch): void {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < img.data.length; i++) {
    if (mask && !mask[i]) continue;
    hist[img.data[i]!] = hist[img.data[i]!]! + 1;
    n++;
  }
  if (!n) return;
  const pick = (q: number): number => {
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v]!;
      if (acc >= q * n) return v;
    }
    return 255;
  };
  const lo = pick(spec.low / 100);
  const hi = pick(spec.high / 100);
  if (hi - lo < (spec.minRange ?? 8)) return;
  const scale = 255 / (hi - lo);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.max(0, Math.min(255, Math.round((img.data[i]! - lo) * scale)));
}

/** Cuts a line; `polygon` in page pixels, `baseline` optional. */
export async function cutLine(page: GreyImage, polygon: Points, baseline: Points | undefined, opts: CutOptions): Promise<LineImage> {
  const box = bbox(polygon);
  if (!box || polygon.length < 3) throw new LineCutError('line polygon has fewer than 3 points');
  const x0 = Math.max(0, Math.floor(box.minX));
  const y0 = Math.max(0, Math.floor(box.minY));
  const x1 = Math.min(page.width - 1, Math.ceil(box.maxX));
  const y1 = Math.min(page.height - 1, Math.ceil(box.maxY));
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  if (w < 2 || h < 2) throw new LineCutError(`line polygon lies outside the ${page.width}×${page.height} image`);
  const mask = polygonMask(polygon, x0, y0, w, h);

  // Column shifts that make the baseline straight (0 everywhere without one).
  const shifts = new Int32Array(w);
  if (opts.straighten === 'dewarp' && baseline && baseline.length >= 2) {
    const mid = polylineYAt(baseline, (box.minX + box.maxX) / 2);
    for (let c = 0; c < w; c++) shifts[c] = Math.round(polylineYAt(baseline, x0 + c) - mid);
  }
  let minS = 0, maxS = 0;
  for (const s of shifts) {
    if (s < minS) minS = s;
    if (s > maxS) maxS = s;
  }
  const outH = h + maxS - minS;
  const out = new Uint8Array(w * outH).fill(WHITE);
  const outMask = new Uint8Array(w * outH);
  // Row by row: neighbouring columns have (nearly) the same shift, so reads and
  // writes both run along image rows (column order missed the cache on every pixel).
  for (let r = 0; r < outH; r++) {
    const o = r * w;
    for (let c = 0; c < w; c++) {
      const srcRow = r + minS + shifts[c]!; // output row r shows box row (r + minS + shift)
      if (srcRow < 0 || srcRow >= h) continue;
      if (!mask[srcRow * w + c]) continue;
      out[o + c] = page.data[(y0 + srcRow) * page.width + x0 + c]!;
      outMask[o + c] = 1;
    }
  }
  let line: LineImage = { width: w, height: outH, data: out };
  if (opts.contrast) stretch(line, outMask, opts.contrast === true ? DEFAULT_STRETCH : opts.contrast);
  if (opts.height && opts.height !== line.height) line = await resizeGrey(line, Math.max(1, Math.round((line.width * opts.height) / line.height)), opts.height);
  if (opts.padding) line = padColumns(line, opts.padding, WHITE);
  return line;
}

export async function resizeGrey(img: LineImage, width: number, height: number): Promise<LineImage> {
  const data = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: height < img.height ? 'lanczos3' : 'cubic' })
    // sharp turns one-channel raw input into sRGB on output unless told otherwise.
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  if (data.length !== width * height) throw new Error(`resize produced ${data.length} bytes for a ${width}×${height} grey image`);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function padColumns(img: LineImage, pad: number, value: number): LineImage {
  const w = img.width + 2 * pad;
  const data = new Uint8Array(w * img.height).fill(value);
  for (let r = 0; r < img.height; r++) data.set(img.data.subarray(r * img.width, (r + 1) * img.width), r * w + pad);
  return { width: w, height: img.height, data };
}

export async function encodePng(img: LineImage): Promise<Buffer> {
  // Grey in, grey out: without b-w sharp would write an RGB PNG.
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}

/** A box polygon for lines known only by their baseline (kraken-style exports). */
export function polygonAroundBaseline(baseline: Points, above: number, below: number): Point[] {
  return [...baseline.map((p) => ({ x: p.x, y: p.y - above })), ...[...baseline].reverse().map((p) => ({ x: p.x, y: p.y + below }))];
}
