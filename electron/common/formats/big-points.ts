/**
 * Big outlines through a conversion without their points in memory (#17 item 8). A border
 * or region traced pixel by pixel is a `points` text of millions of points: 10 bytes of
 * text a point, 40 or more as a point object. While a big file is read in pieces
 * (readDocumentPieces, LinesReadAhead), the reader hands such a text to `keep`, which
 * gives the model a stand-in (the outline's bounding box, four points) and keeps the text;
 * the write asks `text` for the stand-in and writes what it would have written from the
 * points. The keeper stands in only where nothing between the read and the write would
 * change those points (every point a whole number on the image, at least three of them;
 * a PAGE target that writes a points attribute): otherwise the points are read as always.
 * tests/unit/big-page-convert.test.ts checks, for every target, the same file to the byte
 * as the conversion of the whole model.
 */
import type { PageVersion, Points } from '../model/types.js';
import { boxPolygon, eachPoint, fmt } from '../model/points.js';
import type { LinePlace, PointsKeeper } from './page-read.js';
import { usesPointElements } from './page-versions.js';
import { onImage, POLYGON_MIN_POINTS } from './page-repair.js';

/** A `points` text at least this long (about 6,000 points) is a big outline. */
export const BIG_POINTS_CHARS = 1 << 16;

/** Text gathered before it is joined (a rope of a million pieces would outweigh the points). */
const PART_CHARS = 1 << 13;

interface Kept {
  /** The text as read. */
  readonly text: string;
  /** In PAGE's own notation: a PAGE write gives it back verbatim (parsePoints keeps its spelling). */
  readonly pageNotation: boolean;
}

export class BigPoints {
  private readonly kept = new WeakMap<Points, Kept>();
  /** How many outlines the keeper stood in for (the tests' evidence that it did). */
  count = 0;

  /**
   * `target`: a conversion's (a PAGE version, or ALTO), conforming to its XSD; undefined
   * for the lossless write, which keeps the file's version.
   */
  constructor(private readonly target: PageVersion | 'alto' | undefined) {}

  readonly keep: PointsKeeper = (text: string, place: LinePlace): Points | undefined => {
    if (text.length < BIG_POINTS_CHARS) return undefined;
    // <Point> elements are written one by one from the points.
    if (this.target !== 'alto' && usesPointElements(this.target ?? place.version)) return undefined;
    let count = 0;
    let whole = true;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const read = eachPoint(text, (x, y) => {
      count++;
      if (!Number.isInteger(x) || !Number.isInteger(y)) whole = false;
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    });
    if (!read || count === 0) return undefined;
    if (this.target !== undefined) {
      // What the schema repair would change (page-repair's clampPoints and repairPolygon): then the points are read.
      const size = place.imageSize;
      if (!size || !whole || count < POLYGON_MIN_POINTS || !onImage(minX, minY, size.width, size.height) || !onImage(maxX, maxY, size.width, size.height)) return undefined;
    }
    const standIn = boxPolygon({ minX, minY, maxX, maxY });
    this.kept.set(standIn, { text, pageNotation: read.pageNotation });
    this.count++;
    return standIn;
  };

  /**
   * The `points` (PAGE) or `POINTS` (ALTO) text a write gives the outline the stand-in
   * stands for (what formatPoints, or ALTO's "x,y x,y", would give of its points);
   * undefined for any other list.
   */
  readonly text = (pts: Points): string | undefined => {
    const kept = this.kept.get(pts);
    if (!kept) return undefined;
    if (kept.pageNotation && this.target !== 'alto') return kept.text;
    const parts: string[] = [];
    let part = '';
    let sep = '';
    eachPoint(kept.text, (x, y) => {
      part += sep + fmt(x) + ',' + fmt(y);
      sep = ' ';
      if (part.length > PART_CHARS) {
        parts.push(part);
        part = '';
      }
    });
    parts.push(part);
    return parts.join('');
  };
}
