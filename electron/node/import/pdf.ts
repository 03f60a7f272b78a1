/**
 * PDF pages as page images: each page rendered by pdf.js (pdfjs-dist 5.6, the newest
 * that runs on Node 20; it draws on @napi-rs/canvas, whose prebuilt binary comes from
 * npm) at the import's resolution, encoded as PNG by sharp. Text layers are ignored:
 * the page is what a person sees. The module is loaded only when a PDF is imported.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { packageFile } from '../paths.js';
import { ImportError, IMPORT_LIMITS } from './import-error.js';
import type { PlanContext, PlannedPage } from './plan-types.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

/** Whether a file starts with the PDF signature (within its first kilobyte, as readers allow). */
export async function isPdfFile(file: string): Promise<boolean> {
  const h = await fs.open(file, 'r');
  try {
    const b = Buffer.alloc(1024);
    const { bytesRead } = await h.read(b, 0, b.length, 0);
    return b.subarray(0, bytesRead).toString('latin1').includes('%PDF-');
  } finally {
    await h.close();
  }
}

let pdfjs: Promise<PdfJs> | undefined;
// The legacy build: the modern one expects browser APIs Node 20 lacks.
const loadPdfJs = (): Promise<PdfJs> => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

/**
 * pdf.js's data folders, read from disk in Node: the 14 standard fonts (for PDFs that
 * do not embed them), CMaps (CJK text), colour profiles, and the WebAssembly decoders
 * of JPEG 2000 and JBIG2 images (what scanners put in PDFs besides JPEG).
 */
function dataFolders(): Record<string, string | boolean> {
  const pkg = packageFile('pdfjs-dist/package.json');
  if (!pkg) return {};
  const dir = (name: string): string => path.join(path.dirname(pkg), name) + path.sep;
  return { standardFontDataUrl: dir('standard_fonts'), cMapUrl: dir('cmaps'), cMapPacked: true, iccUrl: dir('iccs'), wasmUrl: dir('wasm') };
}

/** Open documents of the running import, so each PDF is parsed once; closed by closePdfs. */
const open = new Map<string, Promise<PdfDocument>>();

async function openPdf(file: string): Promise<PdfDocument> {
  let doc = open.get(file);
  if (!doc) {
    doc = (async () => {
      const lib = await loadPdfJs();
      const data = new Uint8Array(await fs.readFile(file));
      try {
        return await lib.getDocument({ data, isEvalSupported: false, disableFontFace: true, verbosity: 0, ...dataFolders() }).promise;
      } catch (e) {
        const m = (e as Error).message;
        throw new ImportError(/password/i.test(m) ? `${path.basename(file)} is protected by a password; open it elsewhere and save a copy without one` : `${path.basename(file)} is not a readable PDF: ${m}`);
      }
    })();
    open.set(file, doc);
    doc.catch(() => open.delete(file));
  }
  return doc;
}

export async function closePdfs(): Promise<void> {
  const docs = [...open.values()];
  open.clear();
  for (const d of docs) await d.then((x) => x.destroy(), () => undefined);
}

export async function planPdf(file: string, _ctx: PlanContext): Promise<PlannedPage[]> {
  const doc = await openPdf(file);
  const n = doc.numPages;
  const width = Math.max(4, String(n).length);
  const stem = path.basename(file, path.extname(file));
  return Array.from({ length: n }, (_, i) => ({ name: `${stem}_${String(i + 1).padStart(width, '0')}`, image: { kind: 'pdf-page', file, page: i + 1 }, origin: `${file} page ${i + 1}` }));
}

/** One page (1-based) as PNG at `dpi`; a page too large for the pixel limit at that resolution is rendered smaller. */
export async function renderPdfPage(file: string, pageNumber: number, dpi: number, warn?: (m: string) => void): Promise<Buffer> {
  const doc = await openPdf(file);
  const page = await doc.getPage(pageNumber);
  try {
    let scale = dpi / 72;
    const base = page.getViewport({ scale: 1 });
    const pixels = base.width * base.height * scale * scale;
    if (pixels > IMPORT_LIMITS.maxPixels) {
      scale *= Math.sqrt(IMPORT_LIMITS.maxPixels / pixels) * 0.99;
      warn?.(`${path.basename(file)} page ${pageNumber} is too large for ${dpi} dpi; rendered at ${Math.floor(scale * 72)} dpi`);
    }
    const viewport = page.getViewport({ scale });
    const w = Math.ceil(viewport.width);
    const h = Math.ceil(viewport.height);
    const { canvas, context } = (doc.canvasFactory as { create(w: number, h: number): unknown }).create(w, h) as { canvas: unknown; context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    await page.render({ canvasContext: context as never, canvas: canvas as never, viewport }).promise;
    const rgba = context.getImageData(0, 0, w, h).data;
    // Paper stays white where the PDF draws nothing; no alpha channel in the page image.
    return await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width: w, height: h, channels: 4 } }).flatten({ background: '#ffffff' }).png().toBuffer();
  } finally {
    page.cleanup();
  }
}
