/**
 * Ultralytics-compatible YOLO layout models on onnxruntime-node: detect, segment
 * and end-to-end exports. Class names come from the ONNX metadata (`names`) or the
 * manifest; image size and thresholds from the manifest, else the metadata.
 */
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import path from 'node:path';
import type { Detection, LayoutResult } from '../../common/layout/types.js';
import type { ModelManifest } from '../../common/model-manifest/manifest.js';
import { letterbox, toPageX, toPageY, type Letterbox } from '../../common/layout/letterbox.js';
import { decodeCandidates, maskPolygon, nms, classifyOutput, type Candidate } from '../../common/layout/yolo-post.js';
import { parseImgsz, parsePythonNames, readOnnxMetadata } from '../onnx/onnx-metadata.js';
import { ImageError, MAX_PIXELS } from '../images/page-image.js';
import { readZoomSettings, zoomFactor, zoomedSide, type ZoomSettings } from '../../common/layout/zoom.js';
import type { DetectOptions, LayoutDetector } from './detector.js';

export class YoloModelError extends Error {
  override name = 'YoloModelError';
}

/** The `layout` block of a YOLO model's manifest. */
export interface YoloSettings {
  readonly imgsz?: number | readonly [number, number];
  readonly conf?: number;
  readonly iou?: number;
  readonly maxDet?: number;
  /** Class names by index, when the ONNX file carries none. */
  readonly names?: readonly string[];
  /** Split pages whose long/short side ratio exceeds this into overlapping tiles. */
  readonly tileAspect?: number;
  /** Run pages of small writing again at a larger input (see zoom.ts); needs an ONNX with free height and width. */
  readonly zoom?: unknown;
}

type Window = { x: number; y: number; w: number; h: number };
type Found = { c: Candidate; poly?: { x: number; y: number }[] };

export class YoloDetector implements LayoutDetector {
  private constructor(
    readonly manifest: ModelManifest,
    private readonly session: ort.InferenceSession,
    readonly names: readonly string[],
    readonly inputH: number,
    readonly inputW: number,
    private readonly settings: Required<Pick<YoloSettings, 'conf' | 'iou' | 'maxDet'>> & YoloSettings,
    private readonly zoom: ZoomSettings | undefined,
  ) {}

  static async load(manifest: ModelManifest, dir: string): Promise<YoloDetector> {
    const file = path.join(dir, manifest.file ?? 'model.onnx');
    const s = (manifest.layout ?? {}) as YoloSettings;
    let meta: Record<string, string> = {};
    try {
      meta = await readOnnxMetadata(file);
    } catch (e) {
      throw new YoloModelError(`model ${manifest.id}: ${file} is not a readable ONNX file (${(e as Error).message})`);
    }
    const names = s.names ?? (meta.names ? parsePythonNames(meta.names) : undefined);
    if (!names?.length) {
      throw new YoloModelError(`model ${manifest.id}: no class names — neither a "names" entry in the ONNX metadata nor layout.names in model.json`);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    } catch (e) {
      throw new YoloModelError(`model ${manifest.id}: cannot load ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    const sz = typeof s.imgsz === 'number' ? [s.imgsz, s.imgsz] : s.imgsz ?? parseImgsz(meta.imgsz) ?? [640, 640];
    const zoom = readZoomSettings(s.zoom);
    if (typeof zoom === 'string') throw new YoloModelError(`model ${manifest.id}: ${zoom}`);
    if (zoom && !freeInputSize(session)) {
      throw new YoloModelError(`model ${manifest.id}: layout.zoom needs an ONNX whose input height and width are free, and ${file} has a fixed input size: re-export it with free height and width (native-models/recipes/layout/export_onnx.py does so unless given --fixed), or remove layout.zoom from model.json`);
    }
    const det = new YoloDetector(manifest, session, names, sz[0]!, sz[1]!, { conf: s.conf ?? 0.25, iou: s.iou ?? 0.7, maxDet: s.maxDet ?? 300, ...s }, zoom);
    det.checkOutputs();
    return det;
  }

  /** Fails early, naming the problem, if the outputs cannot be a YOLO head for these classes. */
  private checkOutputs(): void {
    const outs = this.session.outputNames;
    if (outs.length < 1 || outs.length > 2) throw new YoloModelError(`model ${this.manifest.id}: ${outs.length} outputs; a YOLO export has output0 (and output1 for masks)`);
    const shape = declaredShape(this.session.outputMetadata?.[0]);
    if (shape && shape.every((d) => typeof d === 'number')) {
      try {
        classifyOutput(shape as number[], this.names.length, outs.length === 2);
      } catch (e) {
        throw new YoloModelError(`model ${this.manifest.id}: ${(e as Error).message}`);
      }
    }
  }

  async detect(imageFile: string, opts: DetectOptions = {}): Promise<LayoutResult> {
    const meta = await sharp(imageFile, { limitInputPixels: false }).metadata().catch((e: Error) => {
      throw new ImageError(`not an image sharp can read: ${imageFile} (${e.message})`);
    });
    if (!meta.width || !meta.height) throw new ImageError(`image without a size: ${imageFile}`);
    if (meta.width * meta.height > MAX_PIXELS) throw new ImageError(`${imageFile} is too large (${meta.width}×${meta.height})`);
    const W = meta.width, H = meta.height;
    let found = await this.pass(imageFile, W, H, this.inputW, this.inputH, opts);
    let zoom = 1;
    if (this.zoom) {
      const heights = found.kept.filter((f) => isLineLabel(this.names[f.c.cls] ?? '')).map((f) => (f.c.y2 - f.c.y1) * found.scale);
      zoom = zoomFactor(heights, this.zoom);
      if (zoom > 1) found = await this.pass(imageFile, W, H, zoomedSide(this.inputW, zoom), zoomedSide(this.inputH, zoom), opts);
    }
    const regions: Detection[] = [];
    const lines: Detection[] = [];
    for (const { c, poly } of found.kept) {
      const label = this.names[c.cls] ?? `class${c.cls}`;
      const polygon = poly ?? [
        { x: c.x1, y: c.y1 },
        { x: c.x2, y: c.y1 },
        { x: c.x2, y: c.y2 },
        { x: c.x1, y: c.y2 },
      ];
      const d: Detection = { polygon: polygon.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })), label, conf: Math.round(c.score * 1000) / 1000 };
      (isLineLabel(label) ? lines : regions).push(d);
    }
    return { width: W, height: H, regions, lines, detector: this.manifest.id, ...(zoom > 1 && { zoom: Math.round(zoom * 1000) / 1000 }) };
  }

  /** One pass over the page at an input size: what it keeps, in page pixels, and the page's scale into the input. */
  private async pass(imageFile: string, W: number, H: number, inputW: number, inputH: number, opts: DetectOptions): Promise<{ kept: Found[]; scale: number }> {
    const tiles = this.tiles(W, H);
    const all: Found[] = [];
    for (const t of tiles) {
      if (opts.signal?.aborted) throw new DOMException('layout detection cancelled', 'AbortError');
      all.push(...(await this.runTile(imageFile, t, W, H, inputW, inputH)));
    }
    // Tiles overlap: suppress duplicates across them in page coordinates.
    const merged = tiles.length > 1 ? nms(all.map((a) => a.c), this.settings.iou, this.settings.maxDet * tiles.length) : all.map((a) => a.c);
    const keep = new Set(merged);
    return { kept: all.filter((a) => keep.has(a.c)), scale: letterbox(tiles[0]!.w, tiles[0]!.h, inputW, inputH).scale };
  }

  /** Page windows to run: the whole page, or overlapping squares along the long side. */
  private tiles(W: number, H: number): Window[] {
    const limit = this.settings.tileAspect;
    const long = Math.max(W, H), short = Math.min(W, H);
    if (!limit || long / short <= limit) return [{ x: 0, y: 0, w: W, h: H }];
    const n = Math.ceil(long / short) + 1;
    const step = (long - short) / (n - 1);
    return Array.from({ length: n }, (_, i) => (W >= H ? { x: Math.round(i * step), y: 0, w: short, h: H } : { x: 0, y: Math.round(i * step), w: W, h: short }));
  }

  private async runTile(file: string, t: Window, W: number, H: number, inputW: number, inputH: number): Promise<Found[]> {
    const lb = letterbox(t.w, t.h, inputW, inputH);
    const input = await this.preprocess(file, t, lb, W, H);
    const tensor = new ort.Tensor('float32', input, [1, 3, inputH, inputW]);
    const res = await this.session.run({ [this.session.inputNames[0]!]: tensor });
    const out0 = res[this.session.outputNames[0]!]!;
    const protos = this.session.outputNames[1] ? res[this.session.outputNames[1]]! : undefined;
    let cands: Candidate[];
    try {
      cands = decodeCandidates(out0.data as Float32Array, out0.dims, this.names.length, Boolean(protos), this.settings.conf);
    } catch (e) {
      throw new YoloModelError(`model ${this.manifest.id}: ${(e as Error).message}`);
    }
    const kept = classifyOutput(out0.dims, this.names.length, Boolean(protos)).kind === 'end2end' ? cands.slice(0, this.settings.maxDet) : nms(cands, this.settings.iou, this.settings.maxDet);
    return kept.map((c) => {
      const page = mapCandidate(c, lb, t, W, H);
      if (!protos) return { c: page };
      const [, nm, mh, mw] = protos.dims as [number, number, number, number];
      const poly = maskPolygon(c, protos.data as Float32Array, nm, mh, mw, inputW, inputH);
      return { c: page, ...(poly && { poly: poly.map((p) => ({ x: t.x + toPageX(lb, p.x, t.w), y: t.y + toPageY(lb, p.y, t.h) })) }) };
    });
  }

  /** RGB, letterboxed with grey 114, scaled to 0–1, channels first. */
  private async preprocess(file: string, t: Window, lb: Letterbox, W: number, H: number): Promise<Float32Array> {
    // Stored pixels, EXIF orientation not applied: PAGE coordinates of HTR tools refer to them.
    let img = sharp(file, { limitInputPixels: MAX_PIXELS });
    if (t.w !== W || t.h !== H) img = img.extract({ left: t.x, top: t.y, width: t.w, height: t.h });
    const { data } = await img
      .removeAlpha()
      .toColourspace('srgb')
      .resize(lb.innerW, lb.innerH, { fit: 'fill', kernel: 'linear' })
      .extend({ top: lb.padY, left: lb.padX, bottom: lb.inputH - lb.innerH - lb.padY, right: lb.inputW - lb.innerW - lb.padX, background: { r: 114, g: 114, b: 114 } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const plane = lb.inputW * lb.inputH;
    const out = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      out[i] = data[i * 3]! / 255;
      out[plane + i] = data[i * 3 + 1]! / 255;
      out[2 * plane + i] = data[i * 3 + 2]! / 255;
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function mapCandidate(c: Candidate, lb: Letterbox, t: Window, _W: number, _H: number): Candidate {
  return {
    ...c,
    x1: t.x + toPageX(lb, c.x1, t.w),
    y1: t.y + toPageY(lb, c.y1, t.h),
    x2: t.x + toPageX(lb, c.x2, t.w),
    y2: t.y + toPageY(lb, c.y2, t.h),
  };
}

/** A tensor's shape as the ONNX file declares it (numbers, or names for free dimensions), where it says. */
function declaredShape(meta: ort.InferenceSession.ValueMetadata | undefined): readonly (number | string)[] | undefined {
  return meta && 'shape' in meta ? (meta.shape as readonly (number | string)[]) : undefined;
}

/** Whether the model's input height and width are free (named or unknown dimensions), so it runs at any size. */
function freeInputSize(session: ort.InferenceSession): boolean {
  const shape = declaredShape(session.inputMetadata?.[0]);
  return !shape || shape.length !== 4 || (typeof shape[2] !== 'number' && typeof shape[3] !== 'number');
}

/** SegmOnto line types end in "Line"; generic exports say "line" or "textline". */
export function isLineLabel(label: string): boolean {
  return /line$/i.test(label);
}
