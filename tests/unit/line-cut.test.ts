import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import zlib from 'node:zlib';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { bbox, pointInPolygon } from '../../electron/common/model/points.js';
import { findPageImage } from '../../electron/node/images/find-image.js';
import { loadGrey, ImageError } from '../../electron/node/images/page-image.js';
import { cutLine } from '../../electron/node/images/line-cut.js';
import { CORPUS } from '../helpers/corpus.js';

const XML = path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.xml');

describe('cutting lines from a real page (eScriptorium tapuscorpus)', () => {
  it('keeps the pixels inside the polygon and whitens those outside', async () => {
    const { doc } = readDocument(fs.readFileSync(XML, 'utf8'));
    const image = findPageImage(XML, doc.page.imageFilename)!;
    const page = await loadGrey(image, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight });
    expect([page.width, page.height]).toEqual([doc.page.imageWidth, doc.page.imageHeight]);
    const line = allLines(doc.page.regions)[2]!;
    const poly = line.coords!.points;
    const cut = await cutLine(page, poly, line.baseline!.points, { straighten: 'none', contrast: false });
    const b = bbox(poly)!;
    const x0 = Math.floor(b.minX), y0 = Math.floor(b.minY);
    expect(cut.width).toBe(Math.ceil(b.maxX) - x0 + 1);
    let inside = 0, outsideDarkInSource = 0;
    for (let y = 0; y < cut.height; y++) {
      for (let x = 0; x < cut.width; x += 2) {
        // Only pixels clearly on one side: the edge itself may round either way.
        const near = [[0, 0], [-1, -1], [1, -1], [-1, 1], [1, 1]].map(([dx, dy]) => pointInPolygon({ x: x0 + x + 0.5 + dx!, y: y0 + y + 0.5 + dy! }, poly));
        const src = page.data[(y0 + y) * page.width + x0 + x]!;
        const got = cut.data[y * cut.width + x]!;
        if (near.every(Boolean)) {
          inside++;
          expect(got).toBe(src);
        } else if (!near.some(Boolean)) {
          expect(got).toBe(255);
          if (src < 250) outsideDarkInSource++;
        }
      }
    }
    expect(inside).toBeGreaterThan(cut.width * 5);
    // The mask really changed something: the source's paper there is not pure white.
    expect(outsideDarkInSource).toBeGreaterThan(0);
  });

  it('scales to the model height keeping the aspect ratio, with padding', async () => {
    const { doc } = readDocument(fs.readFileSync(XML, 'utf8'));
    const page = await loadGrey(findPageImage(XML, doc.page.imageFilename)!);
    const line = allLines(doc.page.regions)[0]!;
    const plain = await cutLine(page, line.coords!.points, line.baseline!.points, { straighten: 'dewarp', contrast: true });
    const scaled = await cutLine(page, line.coords!.points, line.baseline!.points, { straighten: 'dewarp', contrast: true, height: 48, padding: 8 });
    expect(scaled.height).toBe(48);
    expect(scaled.width).toBe(Math.round((plain.width * 48) / plain.height) + 16);
    for (let y = 0; y < 48; y++) expect(scaled.data[y * scaled.width]).toBe(255);
  });
});

describe('scaling keeps the picture', () => {
  it('a left-dark, right-light line stays left-dark, right-light after scaling to the model height', async () => {
    // 400×100: left half black, right half white. Scaled to 48 px high → 192 px wide.
    const w = 400, h = 100;
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = x < 200 ? 0 : 255;
    const page = { width: w, height: h, data };
    const box = [{ x: 0, y: 0 }, { x: w - 1, y: 0 }, { x: w - 1, y: h - 1 }, { x: 0, y: h - 1 }];
    const out = await cutLine(page, box, undefined, { straighten: 'none', contrast: false, height: 48 });
    expect([out.width, out.height, out.data.length]).toEqual([192, 48, 192 * 48]);
    for (const y of [5, 24, 40]) {
      expect(out.data[y * 192 + 10]).toBeLessThan(20);
      expect(out.data[y * 192 + 180]).toBeGreaterThan(235);
    }
  });
});

describe('straightening along the baseline', () => {
  it('puts a slanted ink stroke on one row', async () => {
    // A white 400×200 image with a dark 3-px stroke from (20,60) to (380,140).
    const w = 400, h = 200;
    const raw = Buffer.alloc(w * h, 255);
    for (let x = 20; x <= 380; x++) {
      const y = Math.round(60 + ((x - 20) / 360) * 80);
      for (let d = -1; d <= 1; d++) raw[(y + d) * w + x] = 0;
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'htr-cut-')), 'slant.png');
    await sharp(raw, { raw: { width: w, height: h, channels: 1 } }).png().toFile(file);
    const page = await loadGrey(file);
    const poly = [{ x: 10, y: 30 }, { x: 390, y: 110 }, { x: 390, y: 170 }, { x: 10, y: 90 }];
    const cut = await cutLine(page, poly, [{ x: 20, y: 60 }, { x: 380, y: 140 }], { straighten: 'dewarp', contrast: false });
    const darkRows = new Set<number>();
    for (let y = 0; y < cut.height; y++) for (let x = 15; x < cut.width - 15; x++) if (cut.data[y * cut.width + x]! < 128) darkRows.add(y);
    expect(darkRows.size).toBeLessThanOrEqual(4);
    const flat = await cutLine(page, poly, undefined, { straighten: 'dewarp', contrast: false });
    const flatRows = new Set<number>();
    for (let y = 0; y < flat.height; y++) for (let x = 15; x < flat.width - 15; x++) if (flat.data[y * flat.width + x]! < 128) flatRows.add(y);
    expect(flatRows.size).toBeGreaterThan(60);
  });
});

describe('image decoding limits and errors', () => {
  it('refuses a decompression bomb by its declared size, before decoding', async () => {
    // A 157-byte PNG declaring 20000×20000 pixels: the header alone must stop it.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bomb-')), 'bomb.png');
    fs.writeFileSync(file, pngHeaderOnly(20000, 20000));
    await expect(loadGrey(file, { maxPixels: 100_000_000 })).rejects.toThrow(/20000×20000 \(400 MP\); the limit is 100 MP/);
  });

  it('a file that is not an image is a clear error', async () => {
    await expect(loadGrey(XML)).rejects.toBeInstanceOf(ImageError);
    await expect(loadGrey(XML)).rejects.toThrow(/not an image/);
    await expect(loadGrey('/nonexistent/x.png')).rejects.toThrow(/image not found/);
  });

  it('reads 16-bit, CMYK and multi-page TIFF inputs as 8-bit grey', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-fmt-'));
    const base = sharp({ create: { width: 64, height: 32, channels: 3, background: { r: 40, g: 40, b: 40 } } });
    const p16 = path.join(dir, 'a16.png');
    await base.clone().toColourspace('rgb16').png().toFile(p16);
    const cmyk = path.join(dir, 'cmyk.jpg');
    await base.clone().toColourspace('cmyk').jpeg().toFile(cmyk);
    const tif = path.join(dir, 'multi.tif');
    await base.clone().tiff().toFile(tif);
    for (const f of [p16, cmyk, tif]) {
      const g = await loadGrey(f);
      expect([g.width, g.height]).toEqual([64, 32]);
      // Dark stays dark (CMYK without a profile converts a little darker).
      expect(g.data[0]).toBeGreaterThan(5);
      expect(g.data[0]).toBeLessThan(70);
    }
  });
});

/** A PNG with the given declared size and (almost) no pixel data. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const crc32 = (buf: Buffer): number => {
    let crc = 0xffffffff;
    for (const byte of buf) {
      let c = (crc ^ byte) & 0xff;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crc = (crc >>> 8) ^ c;
    }
    return (crc ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // 8-bit grey
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(width + 1))), chunk('IEND', Buffer.alloc(0))]);
}
