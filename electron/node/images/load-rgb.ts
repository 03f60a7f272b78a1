/**
 * Colour pages for detectors that want RGB (PP-OCR's DB, YOLO): decoded and
 * resized by sharp in one pass, so a 100 MP scan never exists at full size as
 * JavaScript bytes. Same limits, errors and EXIF rule as loadGrey.
 */
import sharp, { type Metadata } from 'sharp';
import fs from 'node:fs/promises';
import { ImageError, MAX_PIXELS, type LoadOptions } from './page-image.js';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Three bytes per pixel, R G B, row-major. */
  readonly data: Uint8Array;
  /** The page's own size (after EXIF rotation when applied), which detections are scaled back to. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** Picks the decoded size from the source size (e.g. long side 960, multiples of 32). */
export type SizeRule = (width: number, height: number) => { width: number; height: number };

export async function loadRgbResized(file: string, size: SizeRule, opts: LoadOptions = {}): Promise<RgbImage> {
  const limit = opts.maxPixels ?? MAX_PIXELS;
  let input: Buffer;
  try {
    input = await fs.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ImageError(err.code === 'ENOENT' ? `image not found: ${file}` : `cannot read image ${file}: ${err.message}`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageError(`not an image sharp can read: ${file} (${(e as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new ImageError(`image without a size: ${file}`);
  if (meta.width * meta.height > limit) {
    throw new ImageError(`${file} is ${meta.width}×${meta.height} (${Math.round((meta.width * meta.height) / 1e6)} MP); the limit is ${Math.round(limit / 1e6)} MP`);
  }
  const swaps = (meta.orientation ?? 1) >= 5;
  const rotatedW = swaps ? meta.height : meta.width;
  const rotatedH = swaps ? meta.width : meta.height;
  const applyExif =
    (meta.orientation ?? 1) > 1 && (opts.expectWidth === undefined || (opts.expectWidth === rotatedW && opts.expectHeight === rotatedH));
  const sourceWidth = applyExif ? rotatedW : meta.width;
  const sourceHeight = applyExif ? rotatedH : meta.height;
  const target = size(sourceWidth, sourceHeight);
  try {
    let img = sharp(input, { limitInputPixels: limit, failOn: 'error', page: 0 });
    if (applyExif) img = img.rotate();
    const { data, info } = await img
      // Lanczos, not OpenCV's bilinear: shrinking a scan 3–5× without low-pass
      // filtering aliases thin pen strokes, and DB then loses handwriting.
      .resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageError(`unexpected ${info.channels} channels after RGB conversion of ${file}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), sourceWidth, sourceHeight };
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(`cannot decode ${file}: ${(e as Error).message}`);
  }
}
