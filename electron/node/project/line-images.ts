/**
 * Line images for the transcription panel: the line cut from the page along its
 * outline and straightened along its baseline (as a recogniser sees it), as a
 * PNG data: URL. The decoded page is kept for the page being edited (moving from
 * line to line must not decode a 60-megapixel scan again), and the PNGs of
 * recently shown lines are kept too.
 */
import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { Point } from '../../common/model/types.js';
import { ApiError } from '../../common/api/errors.js';
import { loadGrey, type GreyImage } from '../images/page-image.js';
import sharp from 'sharp';
import { cutLine, type LineImage } from '../images/line-cut.js';

/** Shown about this tall; cut at this height so a long line stays a small PNG. */
const LINE_IMAGE_HEIGHT = 72;
const MAX_CACHED_LINES = 300;

const pairs = (xs: readonly number[]): Point[] => {
  const out: Point[] = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push({ x: xs[i]!, y: xs[i + 1]! });
  return out;
};

/** Scaled to the display height and encoded in one sharp pipeline, kept grey (one channel). */
function displayPng(line: LineImage): Promise<Buffer> {
  const raw = Buffer.from(line.data.buffer, line.data.byteOffset, line.data.byteLength);
  return sharp(raw, { raw: { width: line.width, height: line.height, channels: 1 } })
    .resize({ height: LINE_IMAGE_HEIGHT, kernel: line.height > LINE_IMAGE_HEIGHT ? 'lanczos3' : 'cubic' })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export class LineImageCache {
  private page: { readonly key: string; readonly image: Promise<GreyImage> } | null = null;
  private readonly pngs = new Map<string, string>();

  async get(imageFile: string, declared: { width: number; height: number } | undefined, polygon: readonly number[], baseline: readonly number[]): Promise<string> {
    const st = await fs.stat(imageFile);
    const pageKey = JSON.stringify([imageFile, st.mtimeMs, st.size, declared?.width, declared?.height]);
    const key = createHash('sha1').update(pageKey).update(JSON.stringify([polygon, baseline])).digest('hex');
    const hit = this.pngs.get(key);
    if (hit) {
      this.pngs.delete(key); // re-insert: Map order is the LRU order
      this.pngs.set(key, hit);
      return hit;
    }
    if (this.page?.key !== pageKey) {
      const image = loadGrey(imageFile, { ...(declared && { expectWidth: declared.width, expectHeight: declared.height }) });
      this.page = { key: pageKey, image };
      image.catch(() => this.page?.image === image && (this.page = null));
    }
    const page = await this.page.image;
    const base = pairs(baseline);
    let png: Buffer;
    try {
      const line = await cutLine(page, pairs(polygon), base.length >= 2 ? base : undefined, { straighten: 'dewarp', contrast: false });
      png = await displayPng(line);
    } catch (e) {
      throw new ApiError('bad-request', `cannot cut this line: ${(e as Error).message}`);
    }
    const url = `data:image/png;base64,${png.toString('base64')}`;
    this.pngs.set(key, url);
    for (const k of this.pngs.keys()) {
      if (this.pngs.size <= MAX_CACHED_LINES) break;
      this.pngs.delete(k);
    }
    return url;
  }
}
