/**
 * Reads `metadata_props` from an ONNX file. onnxruntime-node does not expose them,
 * and Ultralytics stores the class names there, so we read the protobuf ourselves:
 * ModelProto field 14 holds StringStringEntryProto messages (key = 1, value = 2).
 * Only the top level is walked; the graph (field 7) is skipped by its length.
 */
import fs from 'node:fs/promises';

export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

interface Cursor {
  pos: number;
}

function varint(buf: Uint8Array, c: Cursor): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (c.pos >= buf.length) throw new OnnxFormatError('truncated varint');
    const b = buf[c.pos++]!;
    // Lengths fit in 2^53; multiply instead of shifting past 31 bits.
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return result;
    shift += 7;
    if (shift > 63) throw new OnnxFormatError('varint too long');
  }
}

function skip(buf: Uint8Array, c: Cursor, wire: number): void {
  switch (wire) {
    case 0:
      varint(buf, c);
      return;
    case 1:
      c.pos += 8;
      return;
    case 2: {
      // Read the length first: `c.pos += varint(…)` would add it to the position before the varint.
      const len = varint(buf, c);
      c.pos += len;
      return;
    }
    case 5:
      c.pos += 4;
      return;
    default:
      throw new OnnxFormatError(`unsupported protobuf wire type ${wire}`);
  }
}

const utf8 = new TextDecoder();

function entry(buf: Uint8Array): [string, string] {
  const c: Cursor = { pos: 0 };
  let key = '';
  let value = '';
  while (c.pos < buf.length) {
    const tag = varint(buf, c);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if ((field === 1 || field === 2) && wire === 2) {
      const len = varint(buf, c);
      const s = utf8.decode(buf.subarray(c.pos, c.pos + len));
      c.pos += len;
      if (field === 1) key = s;
      else value = s;
    } else skip(buf, c, wire);
  }
  return [key, value];
}

/** metadata_props of an ONNX model as a plain object. */
export function parseOnnxMetadata(buf: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const c: Cursor = { pos: 0 };
  let sawField = false;
  while (c.pos < buf.length) {
    const tag = varint(buf, c);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0 || field > 100) throw new OnnxFormatError('not an ONNX model (bad protobuf field)');
    sawField = true;
    if (field === 14 && wire === 2) {
      const len = varint(buf, c);
      if (c.pos + len > buf.length) throw new OnnxFormatError('truncated metadata entry');
      const [k, v] = entry(buf.subarray(c.pos, c.pos + len));
      out[k] = v;
      c.pos += len;
    } else skip(buf, c, wire);
    if (c.pos > buf.length) throw new OnnxFormatError('truncated ONNX file');
  }
  if (!sawField) throw new OnnxFormatError('empty ONNX file');
  return out;
}

export async function readOnnxMetadata(file: string): Promise<Record<string, string>> {
  return parseOnnxMetadata(await fs.readFile(file));
}

/**
 * Ultralytics writes `names` as a Python dict literal: {0: 'MainZone', 1: "Drop'Cap"}.
 * Returns names by class index, or undefined if the text is not such a dict.
 */
export function parsePythonNames(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const names: string[] = [];
  const re = /(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = re.exec(t))) {
    names[Number(m[1])] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    count++;
  }
  if (!count || names.length !== count || names.some((n) => n === undefined)) return undefined;
  return names;
}

/** Ultralytics `imgsz`: "[640, 640]" or "640" → [height, width]. */
export function parseImgsz(text: string | undefined): [number, number] | undefined {
  if (!text) return undefined;
  const nums = text.match(/\d+/g)?.map(Number) ?? [];
  if (nums.length === 1) return [nums[0]!, nums[0]!];
  if (nums.length >= 2) return [nums[0]!, nums[1]!];
  return undefined;
}
