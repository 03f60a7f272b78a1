import type { PlacedNode, Residue } from '../model/types.js';
import { escapeAttr, escapeText, writeNode } from '../xml/xml-write.js';

export type AttrList = [string, string | undefined][];

/** An indented XML text being written; elements are opened and closed in order. */
export class XmlOut {
  readonly parts: string[] = [];
  private depth = 0;

  constructor(readonly defaultNs: string) {}

  private indent(): string {
    return '  '.repeat(this.depth);
  }

  /** Opens an element; returns a handle for `close`. */
  open(name: string, attrs: AttrList): number {
    let s = `${this.indent()}<${name}`;
    for (const [k, v] of attrs) if (v !== undefined) s += ` ${k}="${escapeAttr(v)}"`;
    this.parts.push(s + '>');
    this.depth++;
    return this.parts.length - 1;
  }

  close(name: string, handle: number): void {
    this.depth--;
    if (this.parts.length === handle + 1) this.parts[handle] = this.parts[handle]!.slice(0, -1) + '/>';
    else this.parts.push(`${this.indent()}</${name}>`);
  }

  empty(name: string, attrs: AttrList): void {
    this.close(name, this.open(name, attrs));
  }

  textElement(name: string, text: string, attrs: AttrList = []): void {
    let s = `${this.indent()}<${name}`;
    for (const [k, v] of attrs) if (v !== undefined) s += ` ${k}="${escapeAttr(v)}"`;
    this.parts.push(`${s}>${escapeText(text)}</${name}>`);
  }

  node(n: PlacedNode['node']): void {
    writeNode(n, this.defaultNs, this.parts, this.indent());
  }

  toString(): string {
    return this.parts.join('\n') + '\n';
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
