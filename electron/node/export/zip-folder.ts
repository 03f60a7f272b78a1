/**
 * A finished export folder as one zip, written so that no half-written zip ever
 * carries the final name: the archive streams (file by file, from disk, never the
 * whole in memory) into a temporary file beside the target, is flushed, then
 * renamed over. A failure removes the temporary file and leaves the target as it was.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** Already compressed: stored, not deflated again (deflating a PNG costs time and gains nothing). */
const STORED = /\.(png|jpe?g|tiff?|webp|jp2|gif|zip)$/i;

/** Every file under `dir`, as sorted forward-slash paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    for (const e of await fsp.readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  await walk('');
  return out.sort();
}

/** Temporary zips and staging folders of this process not yet renamed or removed. */
const unfinished = new Set<string>();

/** The temporary name of a zip (or its staging folder) being written: `.NAME.<12 hex>.partial` beside NAME; `done` it when renamed or removed. */
export function partialName(target: string): string {
  const name = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  unfinished.add(name);
  return name;
}

export function done(partial: string): void {
  unfinished.delete(partial);
}

/**
 * Removes this process's temporary zips and staging folders at once, synchronously:
 * for Ctrl+C, after which no awaited cleanup would run. Returns what could not be
 * removed. A line image still being written on a worker thread can land in a staging
 * folder while it is being emptied (ENOTEMPTY): the removal is tried again, and never
 * throws, so the interrupted command still exits as cancelled.
 */
export function removeUnfinishedSync(): string[] {
  const left: string[] = [];
  for (const p of unfinished) {
    try {
      fs.rmSync(p, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    } catch {
      left.push(p);
    }
  }
  unfinished.clear();
  return left;
}

/** Zips every file under `dir` (paths relative to it) into `zipFile`, atomically. Returns the entries written. */
export async function zipFolderAtomic(dir: string, zipFile: string): Promise<string[]> {
  const files = await listFiles(dir);
  const tmp = partialName(zipFile);
  const zip = new ZipFile();
  // One time for every entry (when the zip was made), not the staging files' own moments of writing.
  const mtime = new Date();
  for (const f of files) zip.addFile(path.join(dir, ...f.split('/')), f, { compress: !STORED.test(f), mtime });
  zip.end();
  // yazl reports a file it cannot read on the ZipFile itself: end the stream with it, so the write fails.
  zip.on('error', (e: Error) => (zip.outputStream as NodeJS.ReadableStream & { destroy(e: Error): void }).destroy(e));
  try {
    const out = fs.createWriteStream(tmp, { flags: 'wx' });
    await pipeline(zip.outputStream, out);
    const fd = await fsp.open(tmp, 'r+');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fsp.rename(tmp, zipFile);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  } finally {
    done(tmp);
  }
  return files;
}
