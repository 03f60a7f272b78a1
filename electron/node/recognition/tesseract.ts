/**
 * Tesseract (tesseract.js, WebAssembly) as the built-in recogniser for printed
 * and typewritten lines. Fully offline: language data comes from the npm packages
 * @tesseract.js-data/* or from a folder of .traineddata files (Debian's
 * tesseract-ocr-* packages, the user's models folder); nothing is fetched or cached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { ModelManifest, RecognitionInput } from '../../common/model-manifest/manifest.js';
import type { Decoded, DecodedChar } from '../../common/recognition/ctc.js';
import { encodePng, type LineImage } from '../images/line-cut.js';
import type { LineRecognizer, RecognizeOptions } from './recognizer.js';
import { packageFile } from '../paths.js';

/** Where a language's data lives: a folder and whether the file is gzipped. */
export interface TessdataSource {
  readonly lang: string;
  readonly dir: string;
  readonly gzip: boolean;
  readonly origin: string;
}

const SYSTEM_TESSDATA = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata', '/usr/share/tessdata', '/usr/local/share/tessdata', '/opt/homebrew/share/tessdata'];

/** Languages tesseract can read here, first from the npm data packages, then from tessdata folders. */
export function findTessdata(extraDirs: readonly string[] = []): TessdataSource[] {
  const found = new Map<string, TessdataSource>();
  for (const lang of ['eng', 'fra']) {
    // In the installed app the data sits unpacked beside app.asar (electron/node/paths.ts).
    const pkg = packageFile(`@tesseract.js-data/${lang}/package.json`);
    if (!pkg) continue; // package not installed
    const dir = path.join(path.dirname(pkg), '4.0.0_best_int');
    if (fs.existsSync(path.join(dir, `${lang}.traineddata.gz`))) found.set(lang, { lang, dir, gzip: true, origin: `@tesseract.js-data/${lang} (4.0.0_best_int)` });
  }
  for (const dir of [...extraDirs, ...(process.env.TESSDATA_PREFIX ? [process.env.TESSDATA_PREFIX] : []), ...SYSTEM_TESSDATA]) {
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files) {
      const m = /^([A-Za-z_]+)\.traineddata$/.exec(f);
      if (m && m[1] !== 'osd' && !found.has(m[1]!)) found.set(m[1]!, { lang: m[1]!, dir, gzip: false, origin: dir });
    }
  }
  return [...found.values()];
}

export function tesseractManifest(src: TessdataSource): ModelManifest {
  return {
    id: `tesseract-${src.lang}`,
    name: `Tesseract (${src.lang}), printed text`,
    family: 'tesseract',
    task: 'recognition',
    description: `Tesseract 5 LSTM through tesseract.js; language data from ${src.origin}`,
    input: { height: 0 as number, channels: 1, invert: false, normalize: { scale: 1, mean: 0, std: 1 }, padValue: 255, padding: 8, straighten: 'dewarp', contrast: false },
    licence: 'Apache-2.0',
    citation: 'Smith, R. (2007). An Overview of the Tesseract OCR Engine. ICDAR.',
  };
}

export class TesseractRecognizer implements LineRecognizer {
  private constructor(
    readonly manifest: ModelManifest,
    private readonly worker: Worker,
  ) {}

  get input(): RecognitionInput {
    return this.manifest.input!;
  }

  static async load(src: TessdataSource): Promise<TesseractRecognizer> {
    const worker = await createWorker(src.lang, OEM.LSTM_ONLY, {
      langPath: src.dir,
      gzip: src.gzip,
      cacheMethod: 'none',
      errorHandler: () => undefined,
    });
    await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300' });
    return new TesseractRecognizer(tesseractManifest(src), worker);
  }

  async recognize(lines: readonly LineImage[], opts: RecognizeOptions = {}): Promise<Decoded[]> {
    const out: Decoded[] = [];
    for (const line of lines) {
      if (opts.signal?.aborted) throw new DOMException('recognition cancelled', 'AbortError');
      const { data } = await this.worker.recognize(await encodePng(line), {}, { text: true, blocks: true });
      const text = data.text.replace(/\s+/g, ' ').trim();
      const conf = Math.max(0, Math.min(1, data.confidence / 100));
      // Tesseract gives symbol confidences; map them like CTC's so the UI treats both alike.
      const chars: DecodedChar[] = [];
      for (const b of data.blocks ?? []) for (const p of b.paragraphs) for (const l of p.lines) for (const w of l.words) {
        if (chars.length) chars.push({ char: ' ', conf: w.confidence / 100, start: w.bbox.x0, end: w.bbox.x0 });
        for (const s of w.symbols) chars.push({ char: s.text, conf: s.confidence / 100, start: s.bbox.x0, end: s.bbox.x1 });
      }
      out.push({ text, chars: chars.map((c) => c.char).join('') === text ? chars : [], conf });
      opts.onProgress?.(out.length, lines.length);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
