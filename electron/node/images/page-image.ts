/**
 * Decoding page images for line cutting: any format sharp reads (JPEG incl. CMYK,
 * PNG, 16-bit and multi-page TIFF, WebP, …) to 8-bit grey pixels, with a pixel
 * limit so a decompression bomb is an error instead of an out-of-memory crash.
 */
import sharp, { type Metadata } from 'sharp';
import fs from 'node:fs/promises';

/** 200 megapixels: larger than any real scan (a 600 dpi A2 sheet is ~140 MP). */
export const MAX_PIXELS = 200_000_000;

export class ImageError extends Error {
  override name = 'ImageError';
}

export interface GreyImage {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, row-major. */
  readonly data: Uint8Array;
}

export interface LoadOptions {
  /** The size the page file says the image has; decides whether EXIF orientation applies. */
  readonly expectWidth?: number;
  readonly expectHeight?: number;
  readonly maxPixels?: number;
}

/** A checked, not yet decoded image: its bytes, stored size, and whether EXIF orientation applies. */
export interface OpenedImage {
  readonly input: Buffer;
  readonly meta: Metadata;
  readonly limit: number;
  readonly applyExif: boolean;
  /** Size of the pixels coordinates refer to (rotated when EXIF applies). */
  readonly width: number;
  readonly height: number;
}

/**
 * Reads an image file's header and checks it before any decoding: readable,
 * sized, within the pixel limit. EXIF orientation is applied only when the page's
 * declared size matches the rotated image and not the stored one: tools disagree
 * on which pixels coordinates refer to, and the declared size tells. Without a
 * declared size the stored pixels are used (what kraken, Transkribus and
 * PIL-based tools measure in, and what `segment` records).
 */
export async function openImage(file: string, opts: LoadOptions = {}): Promise<OpenedImage> {
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
  const applyExif = (meta.orientation ?? 1) > 1 && opts.expectWidth === rotatedW && opts.expectHeight === rotatedH && (rotatedW !== meta.width || rotatedH !== meta.height);
  return { input, meta, limit, applyExif, width: applyExif ? rotatedW : meta.width, height: applyExif ? rotatedH : meta.height };
}

/** Loads an image as 8-bit grey pixels (see openImage for limits and orientation). */
export async function loadGrey(file: string, opts: LoadOptions = {}): Promise<GreyImage> {
  const { input, limit, applyExif } = await openImage(file, opts);
  try {
    let img = sharp(input, { limitInputPixels: limit, failOn: 'error', page: 0 });
    if (applyExif) img = img.rotate();
    const { data, info } = await img.greyscale().toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new ImageError(`unexpected ${info.channels} channels after grey conversion of ${file}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(`cannot decode ${file}: ${(e as Error).message}`);
  }
}
