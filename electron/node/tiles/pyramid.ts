/**
 * Deep Zoom tile pyramids of page images, made with sharp (libvips) once per
 * image version and cached on disk, so a 100-megapixel scan opens from a few
 * small tiles instead of one huge decode in the browser.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { ImageInfo } from '../../common/api/service.js';

export const TILE_SIZE = 512;
const FORMAT_VERSION = 1; // bump when the cached layout changes

type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp> | undefined;
/** sharp is native and loaded on first use, so commands that never show images do not need it. */
function loadSharp(): Promise<Sharp> {
  // Bundled to CommonJS the import yields the function itself; as ESM, a namespace with `default`.
  sharpModule ??= import('sharp').then((m) => ((m as { default?: Sharp }).default ?? (m as unknown as Sharp)));
  return sharpModule;
}

export interface Pyramid {
  readonly info: ImageInfo;
  /** Folder with `<level>/<col>_<row>.jpeg`. */
  readonly tilesDir: string;
}

/** The levels a Deep Zoom pyramid has: level maxLevel is full size, level 0 is 1×1 px. */
export function maxLevelFor(width: number, height: number): number {
  return Math.ceil(Math.log2(Math.max(width, height, 1)));
}

export class TileCache {
  private readonly pending = new Map<string, Promise<Pyramid>>();

  constructor(private readonly cacheDir: string) {}

  /**
   * The pyramid of an image, made if missing. `orient` applies the EXIF
   * orientation (used when the page's declared size matches the rotated image).
   */
  async pyramid(imageFile: string, orient = false): Promise<Pyramid> {
    const st = await fs.stat(imageFile);
    const key = createHash('sha256').update(JSON.stringify([FORMAT_VERSION, path.resolve(imageFile), st.size, st.mtimeMs, orient, TILE_SIZE])).digest('hex').slice(0, 32);
    const dir = path.join(this.cacheDir, 'tiles', key);
    let job = this.pending.get(key);
    if (!job) {
      // One build per image at a time, however many tile requests arrive together.
      job = this.load(dir).catch(() => this.build(imageFile, dir, orient));
      this.pending.set(key, job);
      job.catch(() => this.pending.delete(key));
    }
    return job;
  }

  async tile(imageFile: string, orient: boolean, level: number, col: number, row: number): Promise<Buffer | undefined> {
    const p = await this.pyramid(imageFile, orient);
    if (level > p.info.maxLevel) return undefined;
    // Only integers reach this path (validated by the API schema and here).
    if (![level, col, row].every((n) => Number.isInteger(n) && n >= 0)) return undefined;
    return fs.readFile(path.join(p.tilesDir, String(level), `${col}_${row}.jpeg`)).catch(() => undefined);
  }

  private async load(dir: string): Promise<Pyramid> {
    const info = JSON.parse(await fs.readFile(path.join(dir, 'info.json'), 'utf8')) as ImageInfo;
    return { info, tilesDir: path.join(dir, 'files') };
  }

  private async build(imageFile: string, dir: string, orient: boolean): Promise<Pyramid> {
    const sharp = await loadSharp();
    // Built in a temporary folder and renamed into place, so a crash never leaves half a pyramid.
    const tmp = `${dir}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.mkdir(tmp, { recursive: true });
    try {
      let img = sharp(imageFile, { limitInputPixels: 1 << 30 });
      if (orient) img = img.rotate();
      const out = await img.jpeg({ quality: 85, mozjpeg: false }).tile({ size: TILE_SIZE, overlap: 0, layout: 'dz', container: 'fs' }).toFile(path.join(tmp, 'pyr'));
      const info: ImageInfo = { width: out.width, height: out.height, tileSize: TILE_SIZE, maxLevel: maxLevelFor(out.width, out.height) };
      await fs.rename(path.join(tmp, 'pyr_files'), path.join(tmp, 'files'));
      await fs.writeFile(path.join(tmp, 'info.json'), JSON.stringify(info));
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(tmp, dir);
      return { info, tilesDir: path.join(dir, 'files') };
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }
}

/** Size and EXIF orientation of an image, without decoding it. */
export async function imageHeader(imageFile: string): Promise<{ width: number; height: number; orientation: number }> {
  const sharp = await loadSharp();
  const m = await sharp(imageFile, { limitInputPixels: 1 << 30 }).metadata();
  return { width: m.width ?? 0, height: m.height ?? 0, orientation: m.orientation ?? 1 };
}

/**
 * Whether to apply the EXIF rotation: only when the transcription's declared
 * size matches the rotated image and not the stored one (tools differ here, and
 * the coordinates must land on the pixels they were drawn on).
 */
export function shouldOrient(header: { width: number; height: number; orientation: number }, declared?: { width: number; height: number }): boolean {
  if (header.orientation < 5 || !declared) return false;
  const stored = header.width === declared.width && header.height === declared.height;
  const rotated = header.height === declared.width && header.width === declared.height;
  return rotated && !stored;
}
