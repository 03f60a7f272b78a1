import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Page files larger than this are refused before reading (a 2,000-line page is ~5 MB). */
export const MAX_XML_BYTES = 200 * 1024 * 1024;

export async function readXmlFile(file: string): Promise<string> {
  const st = await fs.stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(e.code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${e.message}`);
  });
  if (!st.isFile()) throw new Error(`not a file: ${file}`);
  if (st.size > MAX_XML_BYTES) throw new Error(`${file} is ${Math.round(st.size / 1048576)} MB; the limit is ${MAX_XML_BYTES / 1048576} MB`);
  const buf = await fs.readFile(file);
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return new TextDecoder(buf[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(buf);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(buf);
}

/**
 * Writes a file so that an interruption never leaves it half-written: the text
 * goes to a temporary file beside it, is flushed to disk, then renamed over.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
