/**
 * Tesseract's own page layout analysis (tesseract.js, page segmentation mode
 * auto) as the last-resort layout detector: blocks become regions, text lines
 * lines, with Tesseract's baselines. Layout only: recognition is skipped, so a
 * page takes about a second. Offline like the recogniser (recognition/tesseract.ts):
 * the language data comes from @tesseract.js-data/eng, never from the CDN.
 */
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { Detection, LayoutResult } from '../../common/layout/types.js';
import type { ModelManifest } from '../../common/model-manifest/manifest.js';
import type { Points } from '../../common/model/types.js';
import { boxPolygon } from '../../common/model/points.js';
import { loadGrey } from '../images/page-image.js';
import { encodePng } from '../images/line-cut.js';
import { ModelError } from '../recognition/onnx-ctc.js';
import { findTessdata, type TessdataSource } from '../recognition/tesseract.js';
import type { DetectOptions, LayoutDetector } from './detector.js';

export const tesseractLayoutManifest: ModelManifest = {
  id: 'tesseract-layout',
  name: 'Tesseract page layout',
  family: 'tesseract',
  task: 'layout',
  description: 'Tesseract 5 page segmentation (mode auto) through tesseract.js: text blocks and lines; made for print.',
  layout: { pageSegMode: 'auto' },
  licence: 'Apache-2.0',
  citation: 'Smith, R. (2007). An Overview of the Tesseract OCR Engine. ICDAR.',
};

interface TessBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The part of tesseract.js's JSON dump we read (GetJSONText after AnalyseLayout). */
interface TessBlock {
  bbox: TessBbox;
  blocktype?: string;
  confidence?: number;
  paragraphs?: { lines?: { bbox: TessBbox; baseline?: TessBbox; confidence?: number }[] }[];
}

const poly = (b: TessBbox): Points => boxPolygon({ minX: b.x0, minY: b.y0, maxX: b.x1, maxY: b.y1 });

export class TesseractLayout implements LayoutDetector {
  readonly manifest = tesseractLayoutManifest;

  private constructor(private readonly worker: Worker) {}

  /** Uses English data: layout analysis barely depends on the language, and it ships with the app. */
  static async load(src?: TessdataSource): Promise<TesseractLayout> {
    const data = src ?? findTessdata().find((s) => s.lang === 'eng');
    if (!data) throw new ModelError('Tesseract layout: no English language data (@tesseract.js-data/eng is not installed)');
    const worker = await createWorker(data.lang, OEM.LSTM_ONLY, {
      langPath: data.dir,
      gzip: data.gzip,
      // The default caches in IndexedDB/on disk and fetches from a CDN, which crashes offline.
      cacheMethod: 'none',
      errorHandler: () => undefined,
    });
    await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
    return new TesseractLayout(worker);
  }

  async detect(imageFile: string, opts: DetectOptions = {}): Promise<LayoutResult> {
    // Decoded by sharp (any format, EXIF, pixel limit) and handed over as PNG: Leptonica's decoders are fewer.
    const page = await loadGrey(imageFile);
    if (opts.signal?.aborted) throw new DOMException('layout detection cancelled', 'AbortError');
    const png = await encodePng({ width: page.width, height: page.height, data: page.data });
    // Only layoutBlocks asked for: tesseract.js then runs AnalyseLayout and skips recognition.
    const { data } = await this.worker.recognize(png, {}, { text: false, blocks: false, layoutBlocks: true });
    const blocks = ((data as unknown as { layoutBlocks?: TessBlock[] | null }).layoutBlocks ?? []) as TessBlock[];
    const regions: Detection[] = [];
    const lines: Detection[] = [];
    for (const b of blocks) {
      const textLines = b.paragraphs?.flatMap((p) => p.lines ?? []) ?? [];
      if (!textLines.length) continue; // pictures, separators: Tesseract's layout is only trusted for text
      regions.push({ polygon: poly(b.bbox), label: 'region', conf: 1 });
      for (const l of textLines) {
        const bl = l.baseline;
        lines.push({
          polygon: poly(l.bbox),
          label: 'line',
          conf: 1,
          ...(bl && bl.x1 > bl.x0 && { baseline: [{ x: bl.x0, y: bl.y0 }, { x: bl.x1, y: bl.y1 }] }),
        });
      }
    }
    return { width: page.width, height: page.height, regions, lines, detector: this.manifest.id };
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
