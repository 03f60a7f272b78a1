/**
 * Colour pages for detectors that want RGB (PP-OCR's DB, YOLO): decoded and
 * resized by sharp in one pass, so a 100 MP scan never exists at full size as
 * JavaScript bytes. Same limits, errors and EXIF rule as loadGrey.
 */
import sharp from 'sharp';
import { ImageError, openImage, type LoadOptions } from './page-image.js';

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
  const { input, limit, applyExif, width: sourceWidth, height: sourceHeight } = await openImage(file, opts);
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
