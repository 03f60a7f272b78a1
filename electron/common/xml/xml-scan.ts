/**
 * The fast reader behind parseXml: scans each piece with indexOf and a few sticky
 * regular expressions instead of saxes' character-at-a-time state machine. It reads
 * only the XML that page files are made of — elements, attributes, text with the five
 * predefined entities and character references, comments, CDATA, processing
 * instructions, an XML 1.0 declaration — and gives way (returns undefined) at anything
 * else or anything wrong: a DOCTYPE, another entity, a name outside ASCII, a malformed
 * tag, a disallowed character, an error thrown by `onClose`. parseXml then reads the
 * whole input again with saxes, so every refusal and its message is saxes' own.
 *
 * What it gives when it does not give way is the tree saxes gives, to the line number
 * (tests/unit/big-page-pieces.test.ts compares them on every corpus file and fixture,
 * and on mutated documents).
 */
import type { XmlAttr, XmlComment, XmlDocument, XmlElement, XmlNode, XmlPi } from './xml-node.js';
import type { OnClose, XmlParseLimits } from './xml-parse.js';

/**
 * What `onClose` answered before the fast reader gave way: saxes, reading again from the
 * start, takes these answers for the first `closes` calls instead of calling `onClose` a
 * second time for the same element (a line written to a spool is written once).
 */
export interface CloseReplies {
  closes: number;
  readonly standIns: Map<number, XmlElement>;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Thrown inside the reader to give way; never leaves it. */
const GIVE_WAY = Symbol('give way');

/**
 * An unfinished construct waits for a piece with its end in it (a 20 MB outline is one
 * attribute); one still unfinished when that piece came (a '>' inside a value) is read
 * again with each such piece only up to this size, then saxes reads the input.
 */
const MAX_CARRY = 8 << 20;

const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const S = '[ \\t\\n]';
const START_TAG = new RegExp(`<(${NAME})((?:${S}+${NAME}${S}*=${S}*(?:"[^"<]*"|'[^'<]*'))*)${S}*(/?)>`, 'y');
const ATTR = new RegExp(`${S}+(${NAME})${S}*=${S}*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
const END_TAG = new RegExp(`</(${NAME})${S}*>`, 'y');
const PI = /^([A-Za-z_][\w.-]*)(?:[ \t\n]+([^]*))?$/;
const XML_DECL = /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>$/;
/** A character that may not be in an XML 1.0 document, or a surrogate (then checked exactly). */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const DISALLOWED = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NOT_SPACE = /[^ \t\n]/;
const DEC_REF = /^#[0-9]+$/;
const HEX_REF = /^#x[0-9a-fA-F]+$/;

interface Open {
  readonly name: string;
  readonly local: string;
  readonly uri: string;
  readonly attrs: XmlAttr[];
  readonly nsDecls: Record<string, string>;
  readonly children: XmlNode[];
  readonly line: number;
  readonly scope: Record<string, string>;
}

function giveWay(): never {
  throw GIVE_WAY;
}

function isXmlChar(n: number): boolean {
  return n === 9 || n === 10 || n === 13 || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
}

/** Text with its references replaced (the five predefined entities, character references); anything else gives way. */
function unescape(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0) giveWay();
    const ref = s.slice(amp + 1, semi);
    let ch: string;
    switch (ref) {
      case 'amp': ch = '&'; break;
      case 'lt': ch = '<'; break;
      case 'gt': ch = '>'; break;
      case 'quot': ch = '"'; break;
      case 'apos': ch = "'"; break;
      default: {
        const n = DEC_REF.test(ref) ? parseInt(ref.slice(1), 10) : HEX_REF.test(ref) ? parseInt(ref.slice(2), 16) : NaN;
        if (!isXmlChar(n)) giveWay();
        ch = String.fromCodePoint(n);
      }
    }
    out += s.slice(from, amp) + ch;
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

/** Line feeds in s[from, to). */
function newlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A copy of a string that does not hold on to the text it was cut from. A slice of 13
 * characters or more is a view into its parent in V8: one attribute value kept from a
 * piece of a file read in pieces would keep the whole piece.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

class Scanner {
  private buf = '';
  private pos = 0;
  /** The unfinished construct's text so far, and what ends it ('' = anything). */
  private parts: string[] = [];
  private waitFor = '';
  private tail = '';
  /** The line at `pos`. */
  private line = 1;
  /** A CR or high surrogate that ended the last piece, put before the next. */
  private held = '';
  private atStart = true;
  private readonly stack: Open[] = [];
  private readonly prolog: (XmlComment | XmlPi)[] = [];
  root: XmlElement | undefined;
  private readonly names = new Map<string, string>();
  private readonly rootScope: Record<string, string> = Object.create(null) as Record<string, string>;

  constructor(
    private readonly limits: XmlParseLimits,
    private readonly onClose: OnClose | undefined,
    private readonly replies: CloseReplies | undefined,
    private readonly copyValues: boolean,
  ) {
    this.rootScope[''] = '';
  }

  private name(n: string): string {
    const got = this.names.get(n);
    if (got !== undefined) return got;
    const own = detach(n);
    this.names.set(own, own);
    return own;
  }

  private value(v: string): string {
    return this.copyValues ? detach(v) : v;
  }

  feed(piece: string, last: boolean): void {
    let p = this.held + piece;
    this.held = '';
    if (!last && p.length) {
      const c = p.charCodeAt(p.length - 1);
      if (c === 13 || (c >= 0xd800 && c <= 0xdbff)) {
        this.held = p[p.length - 1]!;
        p = p.slice(0, -1);
      }
    }
    if (p.includes('\r')) p = p.replace(/\r\n?/g, '\n');
    if (SUSPECT.test(p) && DISALLOWED.test(p)) giveWay();
    let rescan = false;
    if (this.parts.length) {
      const w = this.waitFor;
      if (!last && w) {
        // The end may begin in what came before (the last characters, however the pieces fell).
        const seen = this.tail + p;
        if (!seen.includes(w)) {
          this.parts.push(p);
          this.tail = w.length > 1 ? seen.slice(-(w.length - 1)) : '';
          return;
        }
      }
      rescan = w !== '';
      p = this.parts.join('') + p;
      this.parts = [];
    }
    this.buf = p;
    this.pos = 0;
    this.scan(last, rescan);
  }

  finish(): XmlDocument {
    if (this.stack.length || !this.root || this.pos < this.buf.length || this.parts.length) giveWay();
    return { root: this.root, prolog: this.prolog };
  }

  private append(node: XmlNode): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.children.push(node);
    else if ((node.type === 'comment' || node.type === 'pi') && !this.root) this.prolog.push(node);
  }

  private scan(last: boolean, rescan: boolean): void {
    const buf = this.buf;
    let pos = this.pos;
    let waitFor = '<';
    for (;;) {
      const lt = buf.indexOf('<', pos);
      const textEnd = lt < 0 ? buf.length : lt;
      if (textEnd > pos && (lt >= 0 || last)) {
        if (this.stack.length) {
          if (lt < 0) giveWay(); // text after the last tag of an unfinished element
          const raw = buf.slice(pos, textEnd);
          if (raw.includes(']]>')) giveWay();
          this.append({ type: 'text', text: this.value(unescape(raw)) });
        } else if (NOT_SPACE.test(buf.slice(pos, textEnd))) {
          giveWay();
        }
        this.line += newlines(buf, pos, textEnd);
        pos = textEnd;
        this.atStart = false;
      }
      if (lt < 0) {
        waitFor = '<';
        break;
      }
      const c = buf.charCodeAt(lt + 1);
      let end: number;
      if (c === 47 /* / */) {
        end = this.endTag(lt);
        waitFor = '>';
      } else if (c === 33 /* ! */) {
        end = this.bang(lt, last);
        waitFor = buf.startsWith('<!--', lt) ? '-->' : buf.startsWith('<![CDATA[', lt) ? ']]>' : '';
      } else if (c === 63 /* ? */) {
        end = this.pi(lt);
        waitFor = '?>';
      } else if (c !== c) {
        end = -1;
        waitFor = '';
      } else {
        end = this.startTag(lt);
        waitFor = '>';
      }
      if (end < 0) {
        if (last || (rescan && pos === 0 && buf.length - lt > MAX_CARRY)) giveWay();
        break;
      }
      this.line += newlines(buf, lt, end);
      pos = end;
      this.atStart = false;
    }
    this.pos = buf.length;
    if (pos < buf.length) {
      this.parts = [buf.slice(pos)];
      this.waitFor = waitFor;
      this.tail = waitFor.length > 1 ? buf.slice(-(waitFor.length - 1)) : '';
    }
  }

  private startTag(lt: number): number {
    const buf = this.buf;
    const c = buf.charCodeAt(lt + 1);
    // Not an ASCII name start (a name outside ASCII, or not a tag at all): saxes reads it.
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) giveWay();
    START_TAG.lastIndex = lt;
    const m = START_TAG.exec(buf);
    // Unfinished, or wrong: no value or name has a '<' in it.
    if (!m) return buf.indexOf('<', lt + 1) < 0 ? -1 : giveWay();
    const end = START_TAG.lastIndex;
    const stack = this.stack;
    if (this.root || stack.length >= this.limits.maxDepth) giveWay();
    const qname = m[1]!;
    const attrText = m[2]!;
    const parent = stack[stack.length - 1];
    let scope = parent ? parent.scope : this.rootScope;
    const nsDecls: Record<string, string> = {};
    const attrs: XmlAttr[] = [];
    if (attrText) {
      const raw: { name: string; value: string }[] = [];
      const eqnames: string[] = [];
      let own: Record<string, string> | undefined;
      ATTR.lastIndex = 0;
      for (let a = ATTR.exec(attrText); a; a = ATTR.exec(attrText)) {
        const name = a[1]!;
        let value = a[2] ?? a[3]!;
        if (value.includes('\t') || value.includes('\n')) value = value.replace(/[\t\n]/g, ' ');
        value = unescape(value);
        if (name.charCodeAt(0) === 95 && name.includes('__proto__')) giveWay();
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          const prefix = name === 'xmlns' ? '' : name.slice(6);
          if (prefix === 'xml' || prefix === 'xmlns' || value === XML_NS || value === XMLNS_NS || value.trim() !== value) giveWay();
          if (prefix && !value) giveWay();
          own ??= Object.create(scope) as Record<string, string>;
          own[prefix] = value;
          nsDecls[this.name(prefix)] = this.name(value);
          eqnames.push(prefix ? `{${XMLNS_NS}}${prefix}` : name);
        } else {
          raw.push({ name, value });
        }
      }
      if (own) scope = own;
      for (const { name, value } of raw) {
        const colon = name.indexOf(':');
        let local = name;
        let uri = '';
        if (colon >= 0) {
          const prefix = name.slice(0, colon);
          local = name.slice(colon + 1);
          const bound = prefix === 'xml' ? XML_NS : scope[prefix];
          if (bound === undefined) giveWay();
          uri = bound;
          eqnames.push(`{${uri}}${local}`);
        } else {
          eqnames.push(name);
        }
        attrs.push({ name: this.name(name), local: this.name(local), uri: this.name(uri), value: this.value(value) });
      }
      for (let i = 1; i < eqnames.length; i++) {
        for (let j = 0; j < i; j++) if (eqnames[i] === eqnames[j]) giveWay();
      }
    }
    const colon = qname.indexOf(':');
    let local = qname;
    let uri: string;
    if (colon >= 0) {
      const prefix = qname.slice(0, colon);
      if (prefix === 'xml' || prefix === 'xmlns') giveWay();
      local = qname.slice(colon + 1);
      const bound = scope[prefix];
      if (!bound) giveWay();
      uri = bound;
    } else {
      uri = scope['']!;
    }
    const open: Open = {
      name: this.name(qname), local: this.name(local), uri: this.name(uri), attrs, nsDecls, children: [],
      line: this.line + newlines(buf, lt, end), scope,
    };
    stack.push(open);
    if (m[3]) this.close();
    return end;
  }

  private endTag(lt: number): number {
    END_TAG.lastIndex = lt;
    const m = END_TAG.exec(this.buf);
    if (!m) return this.buf.indexOf('<', lt + 1) < 0 ? -1 : giveWay();
    const top = this.stack[this.stack.length - 1];
    if (!top || top.name !== m[1]) giveWay();
    this.close();
    return END_TAG.lastIndex;
  }

  private close(): void {
    const stack = this.stack;
    const b = stack.pop()!;
    let el: XmlElement = { type: 'element', name: b.name, local: b.local, uri: b.uri, attrs: b.attrs, nsDecls: b.nsDecls, children: b.children, line: b.line };
    if (this.onClose && stack.length) {
      const got = this.onClose(el, stack);
      if (got) {
        this.replies?.standIns.set(this.replies.closes, got);
        el = got;
      }
      if (this.replies) this.replies.closes++;
    }
    if (stack.length === 0) this.root = el;
    else stack[stack.length - 1]!.children.push(el);
  }

  /** `<!--`, `<![CDATA[`; anything else after `<!` (a DOCTYPE) gives way. */
  private bang(lt: number, last: boolean): number {
    const buf = this.buf;
    if (buf.startsWith('<!--', lt)) {
      const e = buf.indexOf('-->', lt + 4);
      if (e < 0) return -1;
      const text = buf.slice(lt + 4, e);
      if (text.includes('--') || text.endsWith('-')) giveWay();
      this.append({ type: 'comment', text: this.value(text) });
      return e + 3;
    }
    if (buf.startsWith('<![CDATA[', lt)) {
      if (!this.stack.length) giveWay();
      const e = buf.indexOf(']]>', lt + 9);
      if (e < 0) return -1;
      this.append({ type: 'text', text: this.value(buf.slice(lt + 9, e)) });
      return e + 3;
    }
    // Too short yet to tell what it is.
    if (!last && buf.length - lt < 9 && ('<!--'.startsWith(buf.slice(lt, lt + 4)) || '<![CDATA['.startsWith(buf.slice(lt)))) return -1;
    giveWay();
  }

  private pi(lt: number): number {
    const buf = this.buf;
    const e = buf.indexOf('?>', lt + 2);
    if (e < 0) return -1;
    const m = PI.exec(buf.slice(lt + 2, e));
    if (!m) giveWay();
    const target = m[1]!;
    if (target.toLowerCase() === 'xml') {
      if (!(this.atStart && lt === 0 && target === 'xml' && XML_DECL.test(buf.slice(lt, e + 2)))) giveWay();
      return e + 2;
    }
    this.append({ type: 'pi', target: this.name(target), body: this.value(m[2] ?? '') });
    return e + 2;
  }
}

/**
 * The fast reader fed piece by piece, as a writer makes its output: `feed` each piece,
 * then `end`. Once it has given way (see the file's comment) it takes no more pieces and
 * `end` gives undefined.
 */
export class XmlPushScanner {
  private readonly scanner: Scanner;
  private chars = 0;
  private first = true;
  private gaveWay = false;

  constructor(private readonly limits: XmlParseLimits, onClose: OnClose | undefined, replies: CloseReplies | undefined, copyValues: boolean) {
    this.scanner = new Scanner(limits, onClose, replies, copyValues);
  }

  /** Reads `piece`; false once the reader has given way. */
  feed(piece: string): boolean {
    if (this.gaveWay) return false;
    this.chars += piece.length;
    if (this.chars > this.limits.maxChars) return this.giveWay();
    if (this.first && piece.length) {
      this.first = false;
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    try {
      this.scanner.feed(piece, false);
      return true;
    } catch {
      // GIVE_WAY, or an error from onClose.
      return this.giveWay();
    }
  }

  end(): XmlDocument | undefined {
    if (this.gaveWay) return undefined;
    try {
      this.scanner.feed('', true);
      return this.scanner.finish();
    } catch {
      this.gaveWay = true;
      return undefined;
    }
  }

  private giveWay(): false {
    this.gaveWay = true;
    return false;
  }
}

/**
 * Reads `pieces` (a whole text is one piece, its byte-order mark already dropped by the
 * caller) as saxes would; undefined where it gives way (see the file's comment).
 */
export function scanXml(
  pieces: Iterable<string>,
  limits: XmlParseLimits,
  onClose: OnClose | undefined,
  /** Where saxes may have to read the input again (parseXml); undefined where nothing reads it again. */
  replies: CloseReplies | undefined,
  copyValues: boolean,
): XmlDocument | undefined {
  const scanner = new XmlPushScanner(limits, onClose, replies, copyValues);
  for (const piece of pieces) if (!scanner.feed(piece)) return undefined;
  return scanner.end();
}
