// Tile pyramids: a quick preview serves the first view of a big scan while the
// full pyramid is built, and its levels are exactly the full pyramid's levels.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICK_LONG_SIDE, quickLevelFor, TileCache, maxLevelFor, pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';

const W = 5300;
const H = 3100;
let tmp: string;
let image: string;

/** Diagonal stripes of varying pitch: any shift or scale error between two tiles shows as a large difference. */
async function stripedJpeg(file: string, width: number, height: number, withExif?: number): Promise<void> {
  const raw = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * width + x] = ((x + 2 * y) % (40 + (x >> 7))) < 12 ? 30 : 220;
  let img = sharp(raw, { raw: { width, height, channels: 1 } }).jpeg({ quality: 90 });
  if (withExif) img = img.withMetadata({ orientation: withExif });
  await img.toFile(file);
}

async function tileLevels(dir: string, upTo: number): Promise<string[]> {
  const out: string[] = [];
  for (const lv of fs.readdirSync(dir).filter((x) => /^\d+$/.test(x) && Number(x) <= upTo).sort((a, b) => Number(a) - Number(b))) {
    for (const f of fs.readdirSync(path.join(dir, lv)).sort()) {
      const m = await sharp(path.join(dir, lv, f)).metadata();
      out.push(`${lv}/${f} ${m.width}x${m.height}`);
    }
  }
  return out;
}

async function meanAbsDiff(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((t) => sharp(t).greyscale().raw().toBuffer({ resolveWithObject: true })));
  expect([x!.info.width, x!.info.height]).toEqual([y!.info.width, y!.info.height]);
  let sum = 0;
  for (let i = 0; i < x!.data.length; i++) sum += Math.abs(x!.data[i]! - y!.data[i]!);
  return sum / x!.data.length;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-pyramid-'));
  image = path.join(tmp, 'scan.jpg');
  await stripedJpeg(image, W, H);
});
afterAll(async () => {
  await pyramidBuildsSettled();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('quick preview levels', () => {
  it('picks the highest level no longer than QUICK_LONG_SIDE', () => {
    const info = { width: W, height: H, maxLevel: maxLevelFor(W, H) };
    expect(info.maxLevel).toBe(13);
    // Level 12 is 2650 px long, level 11 1325.
    expect(quickLevelFor(info)).toBe(11);
    expect(QUICK_LONG_SIDE).toBeLessThan(2650);
    expect(quickLevelFor({ width: 2000, height: 1000, maxLevel: maxLevelFor(2000, 1000) })).toBe(maxLevelFor(2000, 1000));
  });

  it('answers the size at once, serves preview tiles before the full pyramid exists, and they match it', async () => {
    const cache = new TileCache(path.join(tmp, 'cache'));
    const info = await cache.info(image);
    expect(info).toEqual({ width: W, height: H, tileSize: 512, maxLevel: 13 });
    const tiles = path.join(tmp, 'cache', 'tiles');
    const fullDirs = () => fs.readdirSync(tiles).filter((d) => !d.includes('.'));
    const quickTile = await cache.tile(image, false, 11, 1, 1);
    expect(quickTile).toBeDefined();
    // The preview came first: the full-resolution pyramid is not finished yet.
    expect(fullDirs()).toEqual([]);
    const quickDir = path.join(tiles, fs.readdirSync(tiles).find((d) => d.endsWith('.quick'))!, 'files');
    const quickListing = await tileLevels(quickDir, 11);

    const full = await cache.pyramid(image);
    expect(full.info).toEqual(info);
    expect(await tileLevels(full.tilesDir, 11)).toEqual(quickListing);
    const fullTile = fs.readFileSync(path.join(full.tilesDir, '11', '1_1.jpeg'));
    // Same picture (JPEG and resampling differ a little; a shift by a pixel of the stripes would cost ~40).
    expect(await meanAbsDiff(quickTile!, fullTile)).toBeLessThan(12);
    // Once the full pyramid is there, the preview folder is removed and every level is served.
    await expect.poll(() => fs.readdirSync(tiles).filter((d) => d.endsWith('.quick')).length).toBe(0);
    expect(await cache.tile(image, false, 13, 10, 6)).toBeDefined();
    expect(await cache.tile(image, false, 14, 0, 0)).toBeUndefined();
  });

  it('reopens a finished pyramid from disk without building a preview', async () => {
    const cache = new TileCache(path.join(tmp, 'cache'));
    expect((await cache.info(image)).maxLevel).toBe(13);
    expect(await cache.tile(image, false, 12, 0, 0)).toBeDefined();
    expect(fs.readdirSync(path.join(tmp, 'cache', 'tiles')).filter((d) => d.includes('.'))).toEqual([]);
  });

  it('swaps width and height for an EXIF-rotated scan when asked to orient it, in the preview as in the full pyramid', async () => {
    const rotated = path.join(tmp, 'rotated.jpg');
    await stripedJpeg(rotated, 3000, 1400, 6);
    const cache = new TileCache(path.join(tmp, 'cache-rot'));
    const info = await cache.info(rotated, true);
    expect([info.width, info.height]).toEqual([1400, 3000]);
    const q = quickLevelFor(info);
    expect(q).toBe(info.maxLevel - 1);
    const quick = await cache.tile(rotated, true, q, 0, 0);
    const full = await cache.pyramid(rotated, true);
    expect(await meanAbsDiff(quick!, fs.readFileSync(path.join(full.tilesDir, String(q), '0_0.jpeg')))).toBeLessThan(12);
  });

  it('refuses a file that is not an image with a clear error, and tries again once it is repaired', async () => {
    const broken = path.join(tmp, 'broken.jpg');
    fs.writeFileSync(broken, 'not a jpeg at all');
    const cache = new TileCache(path.join(tmp, 'cache-broken'));
    await expect(cache.info(broken)).rejects.toThrow();
    await stripedJpeg(broken, 600, 400);
    expect(await cache.info(broken)).toEqual({ width: 600, height: 400, tileSize: 512, maxLevel: 10 });
  });

  it('opens a scan whose header reads but whose pixels do not: size at once, tiles fail with the decoder\'s reason', async () => {
    const good = path.join(tmp, 'to-damage.jpg');
    await stripedJpeg(good, 3000, 2000);
    const bytes = fs.readFileSync(good);
    const damaged = path.join(tmp, 'damaged.jpg');
    // Header and tables kept, the entropy-coded data cut short.
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const cache = new TileCache(path.join(tmp, 'cache-damaged'));
    expect(await cache.info(damaged)).toMatchObject({ width: 3000, height: 2000 });
    await expect(cache.tile(damaged, false, 11, 0, 0)).rejects.toThrow(/./);
  });

  it('clears builds a crash left behind, but not one that may still be running', async () => {
    const img = path.join(tmp, 'stale.jpg');
    await stripedJpeg(img, 800, 600);
    const root = path.join(tmp, 'cache-stale');
    await new TileCache(root).pyramid(img);
    const tiles = path.join(root, 'tiles');
    const [dir] = fs.readdirSync(tiles);
    fs.rmSync(path.join(tiles, dir!), { recursive: true });
    fs.mkdirSync(path.join(tiles, `${dir}.dead01.tmp`));
    fs.mkdirSync(path.join(tiles, `${dir}.busy02.tmp`));
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(tiles, `${dir}.dead01.tmp`), hourAgo, hourAgo);
    await new TileCache(root).pyramid(img);
    expect(fs.readdirSync(tiles).sort()).toEqual([dir, `${dir}.busy02.tmp`].sort());
  });
});

describe('the next page', () => {
  it('has its pyramid built once the open page\'s is done, before anyone asks for it', async () => {
    const project = path.join(tmp, 'volume');
    fs.mkdirSync(project);
    // Longer than QUICK_LONG_SIDE: a page opened cold would get a preview first.
    for (const n of ['f001', 'f002', 'f003']) await stripedJpeg(path.join(project, `${n}.jpg`), 2800, 1000);
    const cacheDir = path.join(tmp, 'cache-volume');
    const service = new LocalProjectService(project, { cacheDir, prefetchNext: true });
    const pages = await service.listPages();
    expect(pages.map((p) => p.name)).toEqual(['f001', 'f002', 'f003']);
    await service.openPage(pages[0]!.id);
    const built = () => (fs.existsSync(path.join(cacheDir, 'tiles')) ? fs.readdirSync(path.join(cacheDir, 'tiles')).filter((d) => !d.includes('.')) : []);
    // f001 (opened) and f002 (next), not f003.
    await expect.poll(built, { timeout: 20_000 }).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(built()).toHaveLength(2);
    // Opening f002 now finds its pyramid on disk: no preview is built for it.
    const quickBefore = fs.readdirSync(path.join(cacheDir, 'tiles')).filter((d) => d.endsWith('.quick')).length;
    expect(quickBefore).toBe(0);
    await service.openPage(pages[1]!.id);
    expect(fs.readdirSync(path.join(cacheDir, 'tiles')).filter((d) => d.endsWith('.quick'))).toEqual([]);
    // Whereas a page opened cold gets one (f003 is built as f002's next page only after f002's pyramid, which exists).
    const cold = new LocalProjectService(project, { cacheDir: path.join(tmp, 'cache-volume-cold') });
    await cold.openPage(pages[2]!.id);
    await cold.getTile(pages[2]!.id, 10, 0, 0);
    expect(fs.readdirSync(path.join(tmp, 'cache-volume-cold', 'tiles')).some((d) => d.endsWith('.quick'))).toBe(true);
    // Let the background builds (f003 ahead, the cold full pyramid) finish before the folder goes.
    const busy = () => ['cache-volume', 'cache-volume-cold'].flatMap((c) => fs.readdirSync(path.join(tmp, c, 'tiles')).filter((d) => d.includes('.')));
    await expect.poll(built, { timeout: 20_000 }).toHaveLength(3); // f003, as f002's next page
    await expect.poll(busy, { timeout: 20_000 }).toEqual([]);
  });
});
