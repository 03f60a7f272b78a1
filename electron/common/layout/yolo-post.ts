/**
 * Post-processing of Ultralytics YOLO outputs (pure): candidate boxes from the raw
 * tensor, class-aware non-maximum suppression, and instance masks to polygons.
 *
 * Layouts (field notes; ultralytics nn/modules/head.py):
 * - detect: output0 [1, 4+nc, N] — cx, cy, w, h in input pixels, then class scores;
 * - segment: output0 [1, 4+nc+32, N] + output1 prototypes [1, 32, H/4, W/4];
 * - end-to-end (nms=True / YOLOv10): [1, N, 6(+32)] — x1, y1, x2, y2, score, class.
 */
import type { Point } from '../model/types.js';
import { traceLargestContour, simplifyPolygon } from './mask-contour.js';

export interface Candidate {
  /** Box in input pixels. */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number;
  readonly cls: number;
  /** Mask coefficients (segment models). */
  readonly coeffs?: Float32Array;
}

export type OutputKind = 'detect' | 'segment' | 'end2end';

/** Explains an output shape, or throws with what was expected. */
export function classifyOutput(dims: readonly number[], nc: number, hasProtos: boolean): { kind: OutputKind; anchors: number; nm: number } {
  if (dims.length !== 3 || dims[0] !== 1) throw new Error(`output0 has shape [${dims.join(', ')}]; expected [1, 4+classes, anchors] or [1, detections, 6]`);
  const [, a, b] = dims as [number, number, number];
  const nm = hasProtos ? 32 : 0;
  if (a === 4 + nc + nm) return { kind: hasProtos ? 'segment' : 'detect', anchors: b, nm };
  if (b === 6 + nm) return { kind: 'end2end', anchors: a, nm };
  throw new Error(
    `output0 has shape [${dims.join(', ')}], which fits neither a detect/segment head for ${nc} classes ([1, ${4 + nc + nm}, anchors]) nor an end-to-end export ([1, N, ${6 + nm}]): do the class names match the model?`,
  );
}

export function decodeCandidates(data: Float32Array, dims: readonly number[], nc: number, hasProtos: boolean, conf: number): Candidate[] {
  const { kind, anchors, nm } = classifyOutput(dims, nc, hasProtos);
  const out: Candidate[] = [];
  if (kind === 'end2end') {
    const stride = 6 + nm;
    for (let i = 0; i < anchors; i++) {
      const o = i * stride;
      const score = data[o + 4]!;
      if (score < conf) continue;
      out.push({ x1: data[o]!, y1: data[o + 1]!, x2: data[o + 2]!, y2: data[o + 3]!, score, cls: Math.round(data[o + 5]!), ...(nm && { coeffs: data.slice(o + 6, o + 6 + nm) }) });
    }
    return out;
  }
  // Channel-major: value c of anchor i is at c * anchors + i.
  for (let i = 0; i < anchors; i++) {
    let best = -1;
    let score = conf;
    for (let c = 0; c < nc; c++) {
      const s = data[(4 + c) * anchors + i]!;
      if (s >= score) {
        score = s;
        best = c;
      }
    }
    if (best < 0) continue;
    const cx = data[i]!, cy = data[anchors + i]!, w = data[2 * anchors + i]!, h = data[3 * anchors + i]!;
    let coeffs: Float32Array | undefined;
    if (nm) {
      coeffs = new Float32Array(nm);
      for (let k = 0; k < nm; k++) coeffs[k] = data[(4 + nc + k) * anchors + i]!;
    }
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: best, ...(coeffs && { coeffs }) });
  }
  return out;
}

export function iou(a: Candidate, b: Candidate): number {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Class-aware NMS: boxes of different classes never suppress each other. */
export function nms(cands: readonly Candidate[], iouThreshold: number, maxDet: number): Candidate[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= maxDet) break;
    if (kept.some((k) => k.cls === c.cls && iou(k, c) > iouThreshold)) continue;
    kept.push(c);
  }
  return kept;
}

/**
 * An instance mask as a polygon in input pixels: sigmoid(coeffs · prototypes),
 * cropped to the box, thresholded at 0.5, its largest contour traced.
 */
export function maskPolygon(c: Candidate, protos: Float32Array, nm: number, mh: number, mw: number, inputW: number, inputH: number): Point[] | undefined {
  if (!c.coeffs) return undefined;
  const sx = mw / inputW;
  const sy = mh / inputH;
  const x0 = Math.max(0, Math.floor(c.x1 * sx)), x1 = Math.min(mw - 1, Math.ceil(c.x2 * sx));
  const y0 = Math.max(0, Math.floor(c.y1 * sy)), y1 = Math.min(mh - 1, Math.ceil(c.y2 * sy));
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  if (w < 2 || h < 2) return undefined;
  const mask = new Uint8Array(w * h);
  const plane = mh * mw;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      const p = (y0 + y) * mw + x0 + x;
      for (let k = 0; k < nm; k++) v += c.coeffs[k]! * protos[k * plane + p]!;
      // sigmoid(v) > 0.5  ⇔  v > 0
      mask[y * w + x] = v > 0 ? 1 : 0;
    }
  }
  const contour = traceLargestContour(mask, w, h);
  if (!contour || contour.length < 3) return undefined;
  return simplifyPolygon(contour.map((p) => ({ x: (p.x + x0) / sx, y: (p.y + y0) / sy })), 1.5 / Math.min(sx, sy));
}
