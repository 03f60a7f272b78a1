/**
 * Which pyramid tiles cover the view, and a small cache of decoded tiles. Page
 * coordinates are the transcription's (imageWidth × imageHeight); the pyramid
 * may be of a smaller or larger copy of the image, so tiles are scaled to fit.
 */
import type { ImageInfo } from '../../../electron/common/api/service.js';
import type { Size, View } from './view.js';

export interface TilePlacement {
  readonly key: string;
  readonly level: number;
  readonly col: number;
  readonly row: number;
  /** Where the tile goes, in page coordinates. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function levelSize(info: ImageInfo, level: number): Size {
  const f = 2 ** (info.maxLevel - level);
  return { width: Math.max(1, Math.ceil(info.width / f)), height: Math.max(1, Math.ceil(info.height / f)) };
}

/** The coarsest level with at least as many pixels as the screen shows (× devicePixelRatio). */
export function levelFor(info: ImageInfo, page: Size, scale: number, dpr: number): number {
  const needed = scale * dpr * (page.width / info.width); // screen px per pyramid px at full size
  const down = Math.floor(Math.log2(1 / Math.max(needed, 1e-6)));
  return Math.max(0, Math.min(info.maxLevel, info.maxLevel - Math.max(0, down)));
}

/** The level that fits in one tile: drawn under everything, so the page never shows holes while tiles load. */
export function overviewLevel(info: ImageInfo): number {
  let level = info.maxLevel;
  while (level > 0) {
    const s = levelSize(info, level);
    if (s.width <= info.tileSize && s.height <= info.tileSize) break;
    level--;
  }
  return level;
}

export function tilesInView(info: ImageInfo, page: Size, level: number, view: View, viewport: Size): TilePlacement[] {
  const ls = levelSize(info, level);
  const sx = page.width / ls.width;
  const sy = page.height / ls.height;
  const T = info.tileSize;
  // Visible page rectangle, clamped to the page.
  const x0 = Math.max(0, -view.x / view.scale);
  const y0 = Math.max(0, -view.y / view.scale);
  const x1 = Math.min(page.width, (viewport.width - view.x) / view.scale);
  const y1 = Math.min(page.height, (viewport.height - view.y) / view.scale);
  if (x1 <= x0 || y1 <= y0) return [];
  const c0 = Math.floor(x0 / sx / T);
  const c1 = Math.min(Math.ceil(ls.width / T) - 1, Math.floor(x1 / sx / T));
  const r0 = Math.floor(y0 / sy / T);
  const r1 = Math.min(Math.ceil(ls.height / T) - 1, Math.floor(y1 / sy / T));
  const out: TilePlacement[] = [];
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const w = Math.min(T, ls.width - col * T);
      const h = Math.min(T, ls.height - row * T);
      out.push({ key: `${level}/${col}_${row}`, level, col, row, x: col * T * sx, y: row * T * sy, width: w * sx, height: h * sy });
    }
  }
  return out;
}

/** Decoded tiles by key, loaded on demand, least recently used dropped first. */
export class TileStore {
  private readonly tiles = new Map<string, ImageBitmap | 'loading' | 'failed'>();

  constructor(
    private readonly fetchTile: (level: number, col: number, row: number) => Promise<Uint8Array>,
    private readonly onLoaded: () => void,
    private readonly limit = 400,
  ) {}

  get(t: TilePlacement): ImageBitmap | undefined {
    const have = this.tiles.get(t.key);
    if (have === undefined) this.load(t);
    else if (have !== 'loading' && have !== 'failed') {
      this.tiles.delete(t.key); // re-insert: Map order is the LRU order
      this.tiles.set(t.key, have);
      return have;
    }
    return undefined;
  }

  private load(t: TilePlacement): void {
    this.tiles.set(t.key, 'loading');
    this.fetchTile(t.level, t.col, t.row)
      .then((bytes) => createImageBitmap(new Blob([bytes as BlobPart], { type: 'image/jpeg' })))
      .then(
        (bmp) => {
          this.tiles.set(t.key, bmp);
          this.evict();
          this.onLoaded();
        },
        () => this.tiles.set(t.key, 'failed'),
      );
  }

  private evict(): void {
    for (const [key, v] of this.tiles) {
      if (this.tiles.size <= this.limit) break;
      if (v === 'loading') continue;
      if (v !== 'failed') v.close();
      this.tiles.delete(key);
    }
  }

  dispose(): void {
    for (const v of this.tiles.values()) if (v !== 'loading' && v !== 'failed') v.close();
    this.tiles.clear();
  }
}
