// Renders the app icon (assets/icon.svg) into what each platform's installer needs,
// under dist/icons/ (build output, not committed):
//   png/16x16.png … png/1024x1024.png   Linux (AppImage, deb: hicolor sizes), and the sources of the two below
//   icon.ico                            Windows: 16–256 px, PNG-compressed entries (Windows Vista and later)
//   icon.icns                           macOS: 16–1024 px incl. Retina (@2x) types, PNG entries
//   icon.png                            1024 px, for the window icon on Linux and anything wanting one file
// ICO and ICNS are small containers of PNGs, written here; sharp (a dependency) renders the SVG.
// Run by `npm run icons` and by build/pack.mjs before electron-builder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SVG = path.join(root, 'assets', 'icon.svg');
export const PNG_SIZES = [16, 24, 32, 48, 64, 96, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types with PNG payloads: type → pixel size. */
export const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];

/** The SVG rendered at `size` px square, as PNG bytes. */
export async function renderPng(svg, size) {
  // Density scales the SVG's 1024-unit canvas so small sizes are rendered, not downsampled from a bitmap.
  const density = Math.max(1, (72 * size) / 1024);
  return sharp(svg, { density }).resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } }).png({ compressionLevel: 9 }).toBuffer();
}

/** An ICO file holding the given PNGs (ICONDIR, one 16-byte ICONDIRENTRY each, then the images). */
export function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** An ICNS file: 'icns', total length (big-endian), then per entry its type, length (incl. its 8-byte header) and PNG. */
export function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 4, 'latin1');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 4, 'latin1');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

/** Renders every size into `outDir` (default dist/icons); returns the paths written. */
export async function buildIcons(outDir = path.join(root, 'dist', 'icons')) {
  const pngDir = path.join(outDir, 'png');
  mkdirSync(pngDir, { recursive: true });
  const pngs = new Map();
  for (const size of PNG_SIZES) pngs.set(size, await renderPng(ICON_SVG, size));
  const written = [];
  for (const [size, png] of pngs) {
    const file = path.join(pngDir, `${size}x${size}.png`);
    writeFileSync(file, png);
    written.push(file);
  }
  const files = {
    png: path.join(outDir, 'icon.png'),
    ico: path.join(outDir, 'icon.ico'),
    icns: path.join(outDir, 'icon.icns'),
  };
  writeFileSync(files.png, pngs.get(1024));
  writeFileSync(files.ico, encodeIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  writeFileSync(files.icns, encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size) }))));
  return { pngDir, ...files, written: [...written, files.png, files.ico, files.icns] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.indexOf('--out');
  const out = await buildIcons(outArg > 0 ? path.resolve(process.argv[outArg + 1]) : undefined);
  console.log(`icons: ${out.written.length} files in ${path.dirname(out.ico)}`);
}
