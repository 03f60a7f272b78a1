import fs from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { overLimit } from '../../common/api/size-limit.js';

/**
 * Page files larger than this are refused before reading (a 2,000-line page is ~5 MB;
 * `info` or a lossless `convert` of a 200 MB page takes about 330 MB, a whole read as the
 * editor's about 1.5 GB, see docs/benchmarks.md).
 */
export const MAX_XML_BYTES = 250_000_000;

export async function readXmlFile(file: string): Promise<string> {
  return (await readXmlBytes(file)).text;
}

/** Why a page file could not be opened or looked at, in the words every page-file read uses. */
function unreadable(file: string, e: NodeJS.ErrnoException): Error {
  return new Error(e.code === 'ENOENT' ? `no such file: ${file}` : e.code === 'EISDIR' ? `not a file: ${file}` : `cannot read ${file}: ${e.message}`);
}

/** A page file is read only when it is a file within MAX_XML_BYTES (the message gives its exact size). */
function assertReadableSize(file: string, st: { isFile(): boolean; size: number }): void {
  if (!st.isFile()) throw new Error(`not a file: ${file}`);
  if (st.size > MAX_XML_BYTES) throw new Error(`${file} is ${overLimit(st.size, MAX_XML_BYTES)}`);
}

/** A page file's text and the bytes it was decoded from (one read: its revision is a hash of these bytes). */
export async function readXmlBytes(file: string): Promise<{ text: string; bytes: Buffer }> {
  const st = await fs.stat(file).catch((e: NodeJS.ErrnoException) => {
    throw unreadable(file, e);
  });
  assertReadableSize(file, st);
  const buf = await fs.readFile(file);
  return { text: decodeXml(buf), bytes: buf };
}

/**
 * XML bytes as text, decoded once, here: a byte-order mark (UTF-16 either way, or
 * UTF-8) decides; else the declaration's encoding (ISO-8859-1, windows-1252, …
 * from older OCR tools), else UTF-8. Everything after (parser, schema step) sees
 * the decoded text only, so nothing decodes the bytes a second time.
 */
export function decodeXml(buf: Uint8Array): string {
  return xmlDecoder(buf).decode(buf);
}

/** The decoder decodeXml uses for a file that begins with these bytes (its first 200 or more). */
function xmlDecoder(head: Uint8Array): InstanceType<typeof TextDecoder> {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be');
  }
  const start = new TextDecoder('latin1').decode(head.subarray(0, 200));
  const declared = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start)?.[1]?.toLowerCase();
  if (declared && !/^utf-?8$/.test(declared) && !/^utf-?16/.test(declared)) {
    try {
      return new TextDecoder(declared);
    } catch {
      // An encoding TextDecoder does not know: read as UTF-8, as before.
    }
  }
  return new TextDecoder('utf-8', { fatal: false });
}

/** Bytes read at a time by readXmlPieces: small enough that each piece dies young (a 1 MB piece is a large object, kept until a full collection). */
const PIECE_BYTES = 1 << 15;

/**
 * A page file's text in pieces of 32 kB, decoded as decodeXml decodes the whole
 * (parseXml takes them as they come: a 200 MB file is never one string). The file is
 * checked (exists, is a file, at most MAX_XML_BYTES, with its exact size) before the
 * first piece; it is read as the pieces are taken and closed after the last. Each
 * iteration reads the file again from its start.
 */
export function readXmlPieces(file: string): Iterable<string> {
  let opened: number | undefined = openChecked(file);
  // Read again from the start each time it is iterated (parseXml's fast reader gives way to
  // saxes by reading the file a second time): the first time with the file checked above.
  return {
    [Symbol.iterator]: () => {
      const fd = opened ?? openChecked(file);
      opened = undefined;
      return pieces(fd);
    },
  };
}

function openChecked(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw unreadable(file, e as NodeJS.ErrnoException);
  }
  try {
    assertReadableSize(file, fstatSync(fd));
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** The pieces of an open file, closed after the last (or when the reader stops early). */
function* pieces(fd: number): Generator<string> {
  try {
    const buf = Buffer.allocUnsafe(PIECE_BYTES);
    let decode: ((bytes: Buffer) => string) | undefined;
    let end: (() => string) | undefined;
    for (;;) {
      const n = readSync(fd, buf, 0, PIECE_BYTES, null);
      if (n === 0) break;
      if (!decode) {
        const decoder = xmlDecoder(buf.subarray(0, n));
        if (decoder.encoding === 'utf-8') {
          // UTF-8, nearly every file: Node's own decoder (the same text; TextDecoder's pieces stay outside the heap until collected).
          const utf8 = new StringDecoder('utf8');
          decode = (bytes) => utf8.write(bytes);
          end = () => utf8.end();
        } else {
          decode = (bytes) => decoder.decode(bytes, { stream: true });
          end = () => decoder.decode();
        }
      }
      const text = decode(buf.subarray(0, n));
      if (text) yield text;
    }
    const rest = end?.() ?? '';
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** The temporary file of a write in progress: `.NAME.<12 hex>.tmp` beside NAME. */
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** A new temporary file's name beside `file` (`.NAME[.TAG].<12 hex>.tmp`): one removeInterruptedWrites clears if a kill leaves it. */
export function tempFileBeside(file: string, tag?: string): string {
  return path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}${tag ? `.${tag}` : ''}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes a file so that an interruption never leaves it half-written: the text
 * goes to a temporary file beside it, is flushed to disk, then renamed over, and
 * the folder is flushed too, so that the rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await renameIntoPlace(await writeTemp(file, text), file);
}

/** The complete temporary file renamed over `file` and the folder flushed; a failed rename leaves no temporary file behind. */
async function renameIntoPlace(tmp: string, file: string): Promise<void> {
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncFolder(path.dirname(path.resolve(file)));
}

/**
 * As writeFileAtomic, but only where no file is there yet: the complete temporary
 * file is hard-linked to its name, which fails when the name exists. Two workers
 * that finish the same queued page leave the first one's file, untouched by the
 * second (returns false for it). Where the file system has no hard links (some
 * network shares), it falls back to a checked rename: still never half a file.
 */
export async function writeFileOnce(file: string, text: string): Promise<boolean> {
  const tmp = await writeTemp(file, text);
  try {
    await fs.link(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    if (await fs.stat(file).then(() => true, () => false)) return false;
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await syncFolder(path.dirname(path.resolve(file)));
  return true;
}

/**
 * As writeFileAtomic, with the text given in pieces by `produce` as it makes them (a
 * big file is never one string in memory). `check`, where given, looks at the complete
 * temporary file (its path) before it takes the name: a throw there, as one from
 * `produce`, leaves no file and no temporary file. Returns what `produce` returns.
 */
export async function writeFileAtomicFrom<T>(file: string, produce: (write: (chunk: string) => void) => T, check?: (tmp: string, result: T) => Promise<void>): Promise<T> {
  let result: T | undefined;
  const tmp = await writeTemp(file, (fd) => {
    result = produce((chunk) => void writeSync(fd, chunk, null, 'utf8'));
  });
  if (check) {
    try {
      await check(tmp, result as T);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }
  await renameIntoPlace(tmp, file);
  return result as T;
}

/** The text in a synced temporary file beside `file` (its folder made if needed); returns the temporary file's path. */
async function writeTemp(file: string, text: string | ((fd: number) => void)): Promise<string> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempFileBeside(file);
  const handle = await fs.open(tmp, 'w');
  try {
    if (typeof text === 'string') await handle.writeFile(text, 'utf8');
    else text(handle.fd);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  return tmp;
}

/** fsync of a folder: where the platform allows it (not on Windows, where a folder cannot be opened so). */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL: this platform or file system does not sync folders; the data itself was synced.
  } finally {
    await handle?.close();
  }
}

/**
 * Removes the temporary files of writes that were interrupted (a kill, a crash)
 * from these folders: what they hold was never acknowledged as saved. Files
 * younger than `minAgeMs` are left: another window may be writing them now.
 * Returns the names removed.
 */
export async function removeInterruptedWrites(dirs: readonly string[], minAgeMs = 60_000, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of dirs) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => TEMP_NAME.test(n))) {
      const file = path.join(dir, name);
      const st = await fs.lstat(file).catch(() => undefined);
      if (!st?.isFile() || now - st.mtimeMs < minAgeMs) continue;
      await fs.rm(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}
