import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlAttr, XmlComment, XmlDocument, XmlElement, XmlNode, XmlPi } from './xml-node.js';

/** Raised for input that is not acceptable XML; `line` is 1-based when known. */
export class XmlError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line ? `${message} (line ${line})` : message);
    this.name = 'XmlError';
  }
}

export interface XmlParseLimits {
  /** Largest accepted input in characters. PAGE files of 2,000 lines are ~5 MB. */
  readonly maxChars: number;
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: XmlParseLimits = { maxChars: 256 * 1024 * 1024, maxDepth: 200 };

/** An open element around the one being closed (outermost first), as `onClose` sees it. */
export interface XmlAncestor {
  readonly local: string;
  readonly uri: string;
  /** The children closed so far. */
  readonly children: readonly XmlNode[];
}

/**
 * Called as each element closes, with its open ancestors: a reader that maps a
 * subtree onto its model at once returns a stand-in (the subtree is then garbage),
 * so a big file never holds its whole tree and its model together.
 */
export type OnClose = (el: XmlElement, ancestors: readonly XmlAncestor[]) => XmlElement | undefined;

interface Building {
  name: string;
  local: string;
  uri: string;
  attrs: XmlAttr[];
  nsDecls: Record<string, string>;
  children: XmlNode[];
  line: number;
}

/**
 * Parses XML into an `XmlDocument`. Refuses what page files never need and attackers
 * love: DTDs with entity declarations (expansion bombs, external entities reading
 * local files). Undeclared entities are errors, so nothing is ever fetched or read.
 */
export function parseXml(source: string, limits: XmlParseLimits = DEFAULT_LIMITS, onClose?: OnClose): XmlDocument {
  if (source.length > limits.maxChars) {
    throw new XmlError(`file too large: ${source.length.toLocaleString('en')} characters, above the limit of ${limits.maxChars.toLocaleString('en')}`);
  }
  // A byte-order mark is legal before the declaration but saxes treats it as text.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Building[] = [];
  const prolog: (XmlComment | XmlPi)[] = [];
  let root: XmlElement | undefined;

  const append = (node: XmlNode): void => {
    const top = stack[stack.length - 1];
    if (top) top.children.push(node);
    else if (node.type === 'comment' || node.type === 'pi') {
      if (!root) prolog.push(node);
    }
  };

  parser.on('doctype', (doctype: string) => {
    if (/<!ENTITY/i.test(doctype)) {
      throw new XmlError('DOCTYPE with entity declarations refused: entities can expand without bound or read local files', parser.line);
    }
    if (/\bSYSTEM\b|\bPUBLIC\b/.test(doctype)) {
      throw new XmlError('DOCTYPE with an external DTD refused: page files must not reference external resources', parser.line);
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= limits.maxDepth) throw new XmlError(`elements nested deeper than ${limits.maxDepth}`, parser.line);
    const attrs: XmlAttr[] = [];
    const nsDecls: Record<string, string> = {};
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      if (a.prefix === 'xmlns') nsDecls[a.local] = a.value;
      else if (a.name === 'xmlns') nsDecls[''] = a.value;
      else attrs.push({ name: a.name, local: a.local, uri: a.uri, value: a.value });
    }
    stack.push({ name: tag.name, local: tag.local, uri: tag.uri, attrs, nsDecls, children: [], line: parser.line });
  });
  parser.on('closetag', () => {
    const b = stack.pop()!;
    let el: XmlElement = { type: 'element', name: b.name, local: b.local, uri: b.uri, attrs: b.attrs, nsDecls: b.nsDecls, children: b.children, line: b.line };
    if (onClose && stack.length) el = onClose(el, stack) ?? el;
    if (stack.length === 0) root = el;
    else stack[stack.length - 1]!.children.push(el);
  });
  parser.on('text', (t: string) => {
    if (stack.length) append({ type: 'text', text: t });
  });
  parser.on('cdata', (t: string) => {
    if (stack.length) append({ type: 'text', text: t });
  });
  parser.on('comment', (t: string) => append({ type: 'comment', text: t }));
  parser.on('processinginstruction', (pi: { target: string; body: string }) => append({ type: 'pi', target: pi.target, body: pi.body }));
  parser.on('error', (err: Error) => {
    throw err instanceof XmlError ? err : new XmlError(`not well-formed XML: ${cleanSaxesMessage(err.message)}`, parser.line);
  });
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(`not well-formed XML: ${cleanSaxesMessage((err as Error).message)}`, parser.line);
  }
  if (!root) throw new XmlError('no root element');
  return { root, prolog };
}

function cleanSaxesMessage(msg: string): string {
  // saxes prefixes "undefined:LINE:COL: "; our own message carries the line.
  return msg.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
}
