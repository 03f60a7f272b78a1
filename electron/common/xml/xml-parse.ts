import { SaxesParser, type SaxesTagNS } from 'saxes';
import { detach, scanXml, type CloseReplies } from './xml-scan.js';
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
  readonly attrs: readonly XmlAttr[];
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
 *
 * `source`: the whole text, or the text in pieces (a big file read piece by piece is
 * never one string; what the tree keeps of a piece is copied out of it, so the pieces
 * are let go as the parse goes on). Both give the same tree and the same errors.
 */
export function parseXml(source: string | Iterable<string>, limits: XmlParseLimits = DEFAULT_LIMITS, onClose?: OnClose): XmlDocument {
  const whole = typeof source === 'string';
  // The fast reader first, where the input can be read again should it give way: a string,
  // or an iterable that is not its own iterator (an array; readXmlPieces). A text above
  // maxChars makes it give way at once; saxes then refuses it with its size.
  if (whole || typeof (source as Partial<Iterator<string>>).next !== 'function') {
    const replies: CloseReplies = { closes: 0, standIns: new Map() };
    const doc = scanXml(whole ? [source] : source, limits, onClose, replies, !whole);
    if (doc) return doc;
    return parseWithSaxes(source, limits, onClose, replies);
  }
  return parseWithSaxes(source, limits, onClose);
}

/**
 * parseXml with saxes alone (what the fast reader gives way to, and what tests compare
 * it with). `replies`: onClose's answers to the fast reader, taken instead of calling it again.
 */
export function parseWithSaxes(source: string | Iterable<string>, limits: XmlParseLimits = DEFAULT_LIMITS, onClose?: OnClose, replies?: CloseReplies): XmlDocument {
  const whole = typeof source === 'string';
  if (whole && source.length > limits.maxChars) throw tooLarge(source.length, limits);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Building[] = [];
  const prolog: (XmlComment | XmlPi)[] = [];
  let root: XmlElement | undefined;
  // In pieces: values copied out of their piece, and names (a few dozen, repeated millions of times) shared.
  const names = new Map<string, string>();
  const name = whole ? (n: string): string => n : (n: string): string => {
    const got = names.get(n);
    if (got !== undefined) return got;
    const own = detach(n);
    names.set(own, own);
    return own;
  };
  const value = whole ? (v: string): string => v : detach;

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
      if (a.prefix === 'xmlns') nsDecls[name(a.local)] = name(a.value);
      else if (a.name === 'xmlns') nsDecls[''] = name(a.value);
      else attrs.push({ name: name(a.name), local: name(a.local), uri: name(a.uri), value: value(a.value) });
    }
    stack.push({ name: name(tag.name), local: name(tag.local), uri: name(tag.uri), attrs, nsDecls, children: [], line: parser.line });
  });
  let closes = 0;
  parser.on('closetag', () => {
    const b = stack.pop()!;
    let el: XmlElement = { type: 'element', name: b.name, local: b.local, uri: b.uri, attrs: b.attrs, nsDecls: b.nsDecls, children: b.children, line: b.line };
    if (onClose && stack.length) {
      const i = closes++;
      el = (replies && i < replies.closes ? replies.standIns.get(i) : onClose(el, stack)) ?? el;
    }
    if (stack.length === 0) root = el;
    else stack[stack.length - 1]!.children.push(el);
  });
  parser.on('text', (t: string) => {
    if (stack.length) append({ type: 'text', text: value(t) });
  });
  parser.on('cdata', (t: string) => {
    if (stack.length) append({ type: 'text', text: value(t) });
  });
  parser.on('comment', (t: string) => append({ type: 'comment', text: value(t) }));
  parser.on('processinginstruction', (pi: { target: string; body: string }) => append({ type: 'pi', target: name(pi.target), body: value(pi.body) }));
  parser.on('error', (err: Error) => {
    throw err instanceof XmlError ? err : new XmlError(`not well-formed XML: ${cleanSaxesMessage(err.message)}`, parser.line);
  });
  try {
    if (whole) {
      // A byte-order mark is legal before the declaration but saxes treats it as text.
      parser.write(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
    } else {
      let chars = 0;
      let first = true;
      const pieces = source[Symbol.iterator]();
      try {
        for (let next = pieces.next(); !next.done; next = pieces.next()) {
          let piece = next.value;
          chars += piece.length;
          if (chars > limits.maxChars) {
            // The exact size in the message: the rest is only counted.
            for (next = pieces.next(); !next.done; next = pieces.next()) chars += next.value.length;
            throw tooLarge(chars, limits);
          }
          if (first && piece.length) {
            first = false;
            if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
          }
          parser.write(piece);
        }
      } finally {
        // A refusal half-way lets the pieces go (readXmlPieces closes its file).
        pieces.return?.();
      }
    }
    parser.close();
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(`not well-formed XML: ${cleanSaxesMessage((err as Error).message)}`, parser.line);
  }
  if (!root) throw new XmlError('no root element');
  return { root, prolog };
}

function tooLarge(chars: number, limits: XmlParseLimits): XmlError {
  return new XmlError(`file too large: ${chars.toLocaleString('en')} characters, above the limit of ${limits.maxChars.toLocaleString('en')}`);
}

function cleanSaxesMessage(msg: string): string {
  // saxes prefixes "undefined:LINE:COL: "; our own message carries the line.
  return msg.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
}
