/**
 * Unpacks a zip (a Transkribus or eScriptorium export) into a folder, refusing what
 * no export contains: entries with absolute paths or `..` (zip slip), symbolic links,
 * and more bytes than the limits allow (zip bombs) — checked on the sizes the zip
 * declares before anything is written, and again on the bytes actually inflated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';
import { ImportError, IMPORT_LIMITS } from './import-error.js';

export interface ZipLimits {
  readonly maxBytes: number;
  readonly maxRatio: number;
  readonly maxEntries: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxBytes: IMPORT_LIMITS.zipMaxBytes, maxRatio: IMPORT_LIMITS.zipMaxRatio, maxEntries: IMPORT_LIMITS.zipMaxEntries };

/** Whether a file starts like a zip (local file header or an empty archive). */
export async function isZipFile(file: string): Promise<boolean> {
  const h = await fs.promises.open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    await h.read(b, 0, 4, 0);
    return b.readUInt32LE(0) === 0x04034b50 || b.readUInt32LE(0) === 0x06054b50;
  } finally {
    await h.close();
  }
}

/** The entry's name, decoded as the zip says (UTF-8 flag) or as the DOS code page most tools write otherwise. */
function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

/** A relative path inside the target folder, or a clear refusal. */
export function safeEntryPath(name: string): string {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) throw new ImportError(`zip entry "${name}" has an absolute path; refused (it would be written outside the import)`);
  const parts = n.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new ImportError(`zip entry "${name}" climbs out of its folder with ".."; refused (zip slip)`);
  if (parts.some((p) => p.includes('\0'))) throw new ImportError(`zip entry "${name}" has a NUL in its name; refused`);
  return parts.join('/');
}

interface Listed {
  readonly entry: yauzl.Entry;
  readonly rel: string;
  readonly dir: boolean;
}

/** Reads the central directory and checks every entry before anything is written. */
async function listEntries(zip: yauzl.ZipFile, file: string, limits: ZipLimits): Promise<Listed[]> {
  const out: Listed[] = [];
  let total = 0;
  let compressed = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = entryName(entry);
        const rel = safeEntryPath(name);
        const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
        if (mode === 0o120000) throw new ImportError(`zip entry "${name}" is a symbolic link; refused (it could point outside the import)`);
        if (out.length >= limits.maxEntries) throw new ImportError(`${path.basename(file)} holds more than ${limits.maxEntries} entries; refused`);
        total += entry.uncompressedSize;
        compressed += entry.compressedSize;
        if (total > limits.maxBytes) throw new ImportError(`${path.basename(file)} would expand to more than ${fmtBytes(limits.maxBytes)}; refused (a zip bomb, or too big to import at once)`);
        if (rel) out.push({ entry, rel, dir: name.endsWith('/') });
        zip.readEntry();
      } catch (e) {
        reject(e);
      }
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  if (total > limits.maxRatio * Math.max(compressed, 1) && total > 1024 * 1024) {
    throw new ImportError(`${path.basename(file)} would expand ${Math.round(total / Math.max(compressed, 1))} times its size (${fmtBytes(total)}); refused (a zip bomb)`);
  }
  return out;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${Math.round(n / 1024)} kB`;
}

/** Counts inflated bytes and stops an entry that inflates to more than it declared. */
function byteGuard(declared: number, name: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > declared) done(new ImportError(`zip entry "${name}" inflates to more than the ${declared} bytes it declares; refused (a zip bomb)`));
      else done(null, chunk);
    },
  });
}

/** Unpacks `file` into `dest` (created, expected empty); throws ImportError on anything hostile, leaving `dest` to the caller to remove. */
export async function unzipSafely(file: string, dest: string, limits: ZipLimits = DEFAULT_LIMITS, signal?: AbortSignal): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
    );
  } catch (e) {
    throw new ImportError(`${path.basename(file)} is not a readable zip: ${(e as Error).message}`);
  }
  try {
    const entries = await listEntries(zip, file, limits);
    await fs.promises.mkdir(dest, { recursive: true });
    for (const { entry, rel, dir } of entries) {
      signal?.throwIfAborted();
      const target = path.join(dest, ...rel.split('/'));
      if (dir) {
        await fs.promises.mkdir(target, { recursive: true });
        continue;
      }
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
      // 'wx': two entries of the same name do not overwrite each other silently.
      await pipeline(stream, byteGuard(entry.uncompressedSize, rel), fs.createWriteStream(target, { flags: 'wx' })).catch((e: Error & { code?: string }) => {
        if (e instanceof ImportError) throw e;
        if (e.code === 'EEXIST') throw new ImportError(`zip entry "${rel}" appears twice; refused`);
        // yauzl's own check of the inflated size against the declared one.
        if (/too many bytes/.test(e.message)) throw new ImportError(`zip entry "${rel}" inflates to more than the ${entry.uncompressedSize} bytes it declares; refused (a zip bomb)`);
        throw new ImportError(`${path.basename(file)}: entry "${rel}" cannot be read: ${e.message}`);
      });
    }
  } finally {
    zip.close();
  }
}
