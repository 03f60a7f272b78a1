import type { PlacedNode, Residue } from '../model/types.js';
import { escapeAttr, escapeText, writeNode } from '../xml/xml-write.js';

export type AttrList = [string, string | undefined][];

/**
 * Size of the pieces written text is gathered in (not one string per line: a 200 MB file
 * has millions). At most 16k characters: a piece with one character above U+00FF is two
 * bytes a character, and a string over 128 kB is a large object V8 keeps until a full
 * collection (64k pieces made as much such garbage as the file had text).
 */
export const CHUNK_CHARS = 1 << 14;

/** An indented XML text being written; elements are opened and closed in order. */
export class XmlOut {
  private readonly chunks: string[] = [];
  private buf = '';
  /** The start tag last opened, while nothing has been written inside it: `close` makes it `<X/>`. */
  private pending: string | undefined;
  private depth: number;

  /**
   * `sink`: where full pieces go as they are made (a big file is then never one string).
   * `depth`: the indentation of the first element (a piece written on its own, as one line of a page).
   */
  constructor(readonly defaultNs: string, private readonly sink?: (chunk: string) => void, depth = 0) {
    this.depth = depth;
  }

  /** The depth the next element opens at. */
  get level(): number {
    return this.depth;
  }

  private indent(): string {
    return '  '.repeat(this.depth);
  }

  /** Appends one line (an XML declaration, a kept node's line). */
  push(line: string): void {
    this.flushPending();
    this.append(line);
  }

  /** Appends text already written at this depth (whole lines, each ending in a newline). */
  raw(text: string): void {
    this.flushPending();
    this.buf += text;
    this.spill();
  }

  private append(line: string): void {
    this.buf += line + '\n';
    this.spill();
  }

  private spill(): void {
    if (this.buf.length > CHUNK_CHARS) {
      if (this.sink) this.sink(this.buf);
      else this.chunks.push(this.buf);
      this.buf = '';
    }
  }

  private flushPending(): void {
    if (this.pending === undefined) return;
    const open = this.pending;
    this.pending = undefined;
    this.append(open + '>');
  }

  /** Opens an element; returns a handle for `close` (its depth). */
  open(name: string, attrs: AttrList): number {
    let s = `${this.indent()}<${name}`;
    for (const [k, v] of attrs) if (v !== undefined) s += ` ${k}="${escapeAttr(v)}"`;
    this.flushPending();
    this.pending = s;
    return this.depth++;
  }

  close(name: string, handle: number): void {
    this.depth--;
    if (handle !== this.depth) throw new Error(`XmlOut: </${name}> closes an element opened at depth ${handle}, not ${this.depth}`);
    if (this.pending !== undefined) {
      const open = this.pending;
      this.pending = undefined;
      this.append(open + '/>');
    } else this.append(`${this.indent()}</${name}>`);
  }

  empty(name: string, attrs: AttrList): void {
    this.close(name, this.open(name, attrs));
  }

  textElement(name: string, text: string, attrs: AttrList = []): void {
    let s = `${this.indent()}<${name}`;
    for (const [k, v] of attrs) if (v !== undefined) s += ` ${k}="${escapeAttr(v)}"`;
    this.push(`${s}>${escapeText(text)}</${name}>`);
  }

  node(n: PlacedNode['node']): void {
    writeNode(n, this.defaultNs, this, this.indent());
  }

  /** The text written; with a sink, the rest goes to it and this is ''. */
  toString(): string {
    if (this.sink) {
      if (this.buf) this.sink(this.buf);
      this.buf = '';
      return '';
    }
    return this.chunks.join('') + this.buf;
  }
}

/**
 * Interleaves kept (unknown) child nodes with the known children a writer emits,
 * each kept node going back after as many known children as it followed in the source.
 */
export class Placer {
  private i = 0;
  private k = 0;
  constructor(private readonly out: XmlOut, private readonly nodes: readonly PlacedNode[]) {}

  /** Call before writing each known child. */
  next(): void {
    this.flush(this.k);
    this.k++;
  }

  private flush(upTo: number): void {
    while (this.i < this.nodes.length && this.nodes[this.i]!.at <= upTo) this.out.node(this.nodes[this.i++]!.node);
  }

  end(): void {
    this.flush(Infinity);
  }
}

/** A number as the source spelled it when the value is unchanged ("1.0" stays "1.0"). */
export function spelled(x: Residue | undefined, name: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = x?.spelling?.[name];
  if (s !== undefined && Number(s) === value) return s;
  return String(value);
}
