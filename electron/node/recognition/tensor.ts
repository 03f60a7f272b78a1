/**
 * Turns cut line images into the model's input tensor: grouped by width so little
 * padding is needed (padding changes a BiLSTM's backward pass), padded with paper,
 * inverted and normalised as the manifest says.
 */
import type { RecognitionInput } from '../../common/model-manifest/manifest.js';
import type { LineImage } from '../images/line-cut.js';

export interface Batch {
  /** Indices of the lines in the caller's list. */
  readonly indices: readonly number[];
  readonly width: number;
}

/** Groups line indices into batches of similar width (≤ maxBatch lines, widest/narrowest ≤ ratio). */
export function planBatches(widths: readonly number[], maxBatch = 16, ratio = 1.25): Batch[] {
  const order = widths.map((w, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const out: Batch[] = [];
  let cur: number[] = [];
  for (const i of order) {
    if (cur.length && (cur.length >= maxBatch || widths[i]! > widths[cur[0]!]! * ratio)) {
      out.push({ indices: cur, width: Math.max(...cur.map((j) => widths[j]!)) });
      cur = [];
    }
    cur.push(i);
  }
  if (cur.length) out.push({ indices: cur, width: Math.max(...cur.map((j) => widths[j]!)) });
  return out;
}

export function inputWidth(spec: RecognitionInput, width: number): number {
  let w = Math.max(width, spec.minWidth ?? 1);
  if (spec.fixedWidth) w = spec.fixedWidth;
  if (spec.widthMultiple) w = Math.ceil(w / spec.widthMultiple) * spec.widthMultiple;
  return w;
}

function channelValue(v: number | readonly number[], c: number): number {
  return typeof v === 'number' ? v : (v[c] ?? v[0] ?? 0);
}

/** [B, C, H, W] float data for lines that are already at the model's height. */
export function toTensor(lines: readonly LineImage[], spec: RecognitionInput, width: number): Float32Array {
  const H = spec.height;
  const C = spec.channels;
  const W = width;
  const out = new Float32Array(lines.length * C * H * W);
  const { scale, mean, std } = spec.normalize;
  // A lookup per grey level and channel: inversion and normalisation in one step.
  const lut: Float32Array[] = [];
  for (let c = 0; c < C; c++) {
    const t = new Float32Array(256);
    const m = channelValue(mean, c);
    const s = channelValue(std, c);
    for (let v = 0; v < 256; v++) t[v] = ((spec.invert ? 255 - v : v) * scale - m) / s;
    lut.push(t);
  }
  lines.forEach((line, b) => {
    if (line.height !== H) throw new Error(`line height ${line.height} is not the model's ${H}`);
    for (let c = 0; c < C; c++) {
      const t = lut[c]!;
      const base = ((b * C + c) * H) * W;
      const padV = t[spec.padValue]!;
      for (let y = 0; y < H; y++) {
        const row = base + y * W;
        const src = y * line.width;
        const n = Math.min(line.width, W);
        for (let x = 0; x < n; x++) out[row + x] = t[line.data[src + x]!]!;
        for (let x = n; x < W; x++) out[row + x] = padV;
      }
    }
  });
  return out;
}
