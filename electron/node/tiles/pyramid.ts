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

/**
 * Loads sharp (libvips) now rather than on the first page opened: the server calls
 * this once it listens, so the first page does not wait ~0.2 s for the native module.
 */
export function preloadImageCodec(): Promise<void> {
  return loadSharp().then(
    () => undefined,
    () => undefined, // reported when a page is actually opened
  );
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

/**
 * Levels up to the one whose long side is at most this many pixels are served
 * from a quick preview pyramid while the full one is still being built: a 60 MP
 * scan takes seconds to tile at full resolution, but its first view (the whole
 * page on a screen) needs only a level of about screen size, and a JPEG decodes
 * at 1/2, 1/4 or 1/8 scale in a fraction of the time (libvips shrink-on-load).
 * 2,560 covers a fitted page on a 1440p screen, or a 1080p one at 2× pixel ratio.
 */
export const QUICK_LONG_SIDE = 2560;

/** The highest level whose long side is at most QUICK_LONG_SIDE (its size: ⌈size / 2^(maxLevel − level)⌉, as Deep Zoom has it). */
export function quickLevelFor(info: { readonly width: number; readonly height: number; readonly maxLevel: number }): number {
  let level = info.maxLevel;
  while (level > 0 && Math.ceil(Math.max(info.width, info.height) / 2 ** (info.maxLevel - level)) > QUICK_LONG_SIDE) level--;
  return level;
}

interface Entry {
  /** What openPage returns: known from the image header before any pyramid exists. */
  readonly info: ImageInfo;
  readonly full: Promise<Pyramid>;
  /** Set when `full` has resolved: tiles are then read from it directly. */
  fullReady: Pyramid | null;
  /** Levels ≤ quickLevel while the full pyramid is being built; null when not needed (small image, or full already on disk). */
  readonly quick: Promise<Pyramid> | null;
  readonly quickLevel: number;
}

/** Pyramid builds still running in this process (they go on after openPage has answered). */
const running = new Set<Promise<unknown>>();

/** Resolves when every pyramid build this process started has finished or failed (tests wait for it before removing a cache). */
export async function pyramidBuildsSettled(): Promise<void> {
  while (running.size) await Promise.allSettled([...running]);
}

function track<T>(p: Promise<T>): Promise<T> {
  running.add(p);
  void p.then(
    () => running.delete(p),
    () => running.delete(p),
  );
  return p;
}

export class TileCache {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(private readonly cacheDir: string) {}

  /**
   * Size and levels of an image's pyramid, at once: building starts (quick
   * preview first, then full size) and tiles wait for what they need. `orient`
   * applies the EXIF orientation (when the page's declared size matches the
   * rotated image).
   */
  async info(imageFile: string, orient = false, header?: ImageHeader): Promise<ImageInfo> {
    return (await this.entry(imageFile, orient, header)).info;
  }

  /** The full pyramid of an image, made if missing. */
  async pyramid(imageFile: string, orient = false, header?: ImageHeader): Promise<Pyramid> {
    return (await this.entry(imageFile, orient, header)).full;
  }

  async tile(imageFile: string, orient: boolean, level: number, col: number, row: number): Promise<Buffer | undefined> {
    const e = await this.entry(imageFile, orient);
    if (level > e.info.maxLevel) return undefined;
    // Only integers reach this path (validated by the API schema and here).
    if (![level, col, row].every((n) => Number.isInteger(n) && n >= 0)) return undefined;
    let p = e.fullReady;
    if (!p && e.quick && level <= e.quickLevel) p = await e.quick.catch(() => null);
    p ??= await e.full;
    return fs.readFile(path.join(p.tilesDir, String(level), `${col}_${row}.jpeg`)).catch(() => undefined);
  }

  /** `header`: the image's header when the caller has already read it (not read again). */
  private entry(imageFile: string, orient: boolean, header?: ImageHeader): Promise<Entry> {
    return (async () => {
      const st = await fs.stat(imageFile);
      const key = createHash('sha256').update(JSON.stringify([FORMAT_VERSION, path.resolve(imageFile), st.size, st.mtimeMs, orient, TILE_SIZE])).digest('hex').slice(0, 32);
      let job = this.entries.get(key);
      if (!job) {
        // One build per image version at a time, however many requests arrive together.
        job = this.open(imageFile, path.join(this.cacheDir, 'tiles', key), orient, key, header);
        this.entries.set(key, job);
        job.catch(() => this.entries.delete(key));
      }
      return job;
    })();
  }

  private async open(imageFile: string, dir: string, orient: boolean, key: string, header?: ImageHeader): Promise<Entry> {
    const onDisk = await this.load(dir).catch(() => null);
    if (!onDisk) await removeStaleBuilds(dir);
    if (onDisk) return { info: onDisk.info, full: Promise.resolve(onDisk), fullReady: onDisk, quick: null, quickLevel: -1 };
    const h = header ?? (await imageHeader(imageFile));
    const swap = orient && h.orientation >= 5;
    const width = swap ? h.height : h.width;
    const height = swap ? h.width : h.height;
    if (!(width > 0 && height > 0)) throw new Error(`${path.basename(imageFile)}: not an image with a size`);
    const info: ImageInfo = { width, height, tileSize: TILE_SIZE, maxLevel: maxLevelFor(width, height) };
    const quickLevel = quickLevelFor(info);
    // The preview first, then the full build (they would only slow each other down on few cores).
    const quick = quickLevel < info.maxLevel ? track(this.buildQuick(imageFile, `${dir}.quick`, orient, info, quickLevel)) : null;
    const entry: Entry = {
      info,
      full: track((quick ?? Promise.resolve()).catch(() => undefined).then(() => this.build(imageFile, dir, orient))),
      fullReady: null,
      quick,
      quickLevel,
    };
    entry.full.then(
      (p) => {
        entry.fullReady = p;
        if (quick) void fs.rm(`${dir}.quick`, { recursive: true, force: true });
      },
      // A failed build is tried again on the next request (the file may have been repaired).
      () => this.entries.delete(key),
    );
    return entry;
  }

  private async load(dir: string): Promise<Pyramid> {
    const info = JSON.parse(await fs.readFile(path.join(dir, 'info.json'), 'utf8')) as ImageInfo;
    return { info, tilesDir: path.join(dir, 'files') };
  }

  /** Levels 0…level of the pyramid, from the image shrunk on load to exactly that level's size. */
  private async buildQuick(imageFile: string, dir: string, orient: boolean, info: ImageInfo, level: number): Promise<Pyramid> {
    const sharp = await loadSharp();
    const f = 2 ** (info.maxLevel - level);
    let img = sharp(imageFile, { limitInputPixels: 1 << 30 });
    if (orient) img = img.rotate();
    // Exactly ⌈w/f⌉ × ⌈h/f⌉, so the preview's own Deep Zoom levels are the full pyramid's levels 0…level.
    img = img.resize(Math.ceil(info.width / f), Math.ceil(info.height / f), { fit: 'fill', fastShrinkOnLoad: true });
    return this.writePyramid(img, dir, { ...info, maxLevel: level, width: Math.ceil(info.width / f), height: Math.ceil(info.height / f) }, info);
  }

  private async build(imageFile: string, dir: string, orient: boolean): Promise<Pyramid> {
    const sharp = await loadSharp();
    let img = sharp(imageFile, { limitInputPixels: 1 << 30 });
    if (orient) img = img.rotate();
    return this.writePyramid(img, dir, null, null);
  }

  /**
   * Tiles `img` into `dir`, built in a temporary folder and renamed into place,
   * so a crash never leaves half a pyramid. `expect`: the size the tiles must
   * have (the preview); `infoOut`: the info to record instead of the tiled size.
   */
  private async writePyramid(img: import('sharp').Sharp, dir: string, expect: ImageInfo | null, infoOut: ImageInfo | null): Promise<Pyramid> {
    const tmp = `${dir}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.mkdir(tmp, { recursive: true });
    try {
      const out = await img.jpeg({ quality: 85, mozjpeg: false }).tile({ size: TILE_SIZE, overlap: 0, layout: 'dz', container: 'fs' }).toFile(path.join(tmp, 'pyr'));
      if (expect && (out.width !== expect.width || out.height !== expect.height)) throw new Error(`preview is ${out.width}×${out.height}, not ${expect.width}×${expect.height}`);
      const info: ImageInfo = infoOut ?? { width: out.width, height: out.height, tileSize: TILE_SIZE, maxLevel: maxLevelFor(out.width, out.height) };
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

/** A build interrupted by a crash or a kill leaves `<dir>.<random>.tmp`; one this old is no longer being written. */
const STALE_BUILD_MS = 30 * 60_000;

async function removeStaleBuilds(dir: string): Promise<void> {
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.`;
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && n.endsWith('.tmp'))
      .map(async (n) => {
        const st = await fs.stat(path.join(parent, n)).catch(() => null);
        if (st && Date.now() - st.mtimeMs > STALE_BUILD_MS) await fs.rm(path.join(parent, n), { recursive: true, force: true });
      }),
  );
}

export interface ImageHeader {
  readonly width: number;
  readonly height: number;
  readonly orientation: number;
}

/** Size and EXIF orientation of an image, without decoding it. */
export async function imageHeader(imageFile: string): Promise<ImageHeader> {
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
