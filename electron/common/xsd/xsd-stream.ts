/**
 * Validates a document against a CompiledSchema as it is read, piece by piece: each
 * element is checked when it closes (its attributes, its text, its children against
 * its type's content model) and then let go, so what is held is the open elements
 * and the ids seen, never the tree. A 200 MB file is checked in the memory of a few of
 * its lines.
 *
 * What it judges is what libxml2 judges for the XSD subset compileSchema reads
 * (tests/unit/xsd-stream.test.ts compares the two on the corpus, on what the app writes
 * and on mutated documents), its messages worded as libxml2's. Where the fast XML reader gives way (a DOCTYPE, names outside
 * ASCII…) or an instance uses xsi:type, it returns undefined and the caller asks libxml2.
 */
import type { XmlAncestor, XmlParseLimits } from '../xml/xml-parse.js';
import type { XmlElement } from '../xml/xml-node.js';
import { detach, XmlPushScanner } from '../xml/xml-scan.js';
import { wildcardAllows, type ContentState } from './xsd-content.js';
import { checkSimple, normalizeSpace, short, type SimpleType } from './xsd-simple.js';
import { NsMap } from './ns-map.js';
import { type CompiledSchema, type ComplexType, type ElementDecl, type XsdType } from './xsd-types.js';
import { IdSet } from '../xml/id-set.js';

export interface StreamValidation {
  readonly valid: boolean;
  /** In document order, each with its line; at most MAX_ERRORS. */
  readonly errors: string[];
}

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const MAX_ERRORS = 20;

/** A frame for an element whose type is known, or one whose content is not checked (lax or skip wildcard, or an element already reported). */
type Frame = { readonly type: XsdType; readonly decl: ElementDecl } | null;

const GIVE_WAY = new Error('the streaming validator gives way');

class Enough extends Error {}

class Validator {
  readonly errors: { line: number; text: string }[] = [];
  private readonly frames = new WeakMap<XmlAncestor, Frame>();
  /** The ids seen (xs:ID), for duplicates: a big file's glyphs are hundreds of thousands. */
  private readonly ids = new IdSet();
  private readonly standIns = new NsMap<XmlElement>();

  constructor(private readonly schema: CompiledSchema) {}

  private error(line: number, text: string): void {
    this.errors.push({ line, text });
    if (this.errors.length >= MAX_ERRORS) throw new Enough();
  }

  private global(uri: string, local: string): ElementDecl | undefined {
    return this.schema.elements.get(uri, local);
  }

  /** The frame of a child `{uri}local` of an element with frame `parent`. */
  private childFrame(parent: Frame, uri: string, local: string): Frame {
    if (!parent) return null;
    const t = parent.type;
    if (t.kind === 'simple' || t.content === 'simple' || t.content === 'empty') return null; // the parent reports the child
    if (t.content === 'any') {
      const g = this.global(uri, local);
      return g ? { type: g.type(), decl: g } : null;
    }
    const decl = t.children.get(uri, local);
    if (decl) return { type: decl.type(), decl };
    for (const w of t.wildcards) {
      if (!wildcardAllows(w, uri)) continue;
      if (w.process === 'skip') return null;
      const g = this.global(uri, local);
      if (g) return { type: g.type(), decl: g };
      return null; // not declared globally: lax leaves it unchecked; strict is reported by check()
    }
    return null;
  }

  private frameOf(ancestors: readonly XmlAncestor[], i: number): Frame {
    const a = ancestors[i]!;
    const known = this.frames.get(a);
    if (known !== undefined) return known;
    const f = i === 0 ? this.rootFrame(a.uri, a.local) : this.childFrame(this.frameOf(ancestors, i - 1), a.uri, a.local);
    this.frames.set(a, f);
    return f;
  }

  private rootFrame(uri: string, local: string): Frame {
    const g = this.global(uri, local);
    return g ? { type: g.type(), decl: g } : null;
  }

  private standIn(el: XmlElement): XmlElement {
    let s = this.standIns.get(el.uri, el.local);
    if (!s) {
      s = { type: 'element', name: el.name, local: el.local, uri: el.uri, attrs: [], nsDecls: {}, children: [] };
      this.standIns.set(el.uri, el.local, s);
    }
    return s;
  }

  readonly onClose = (el: XmlElement, ancestors: readonly XmlAncestor[]): XmlElement => {
    const parent = this.frameOf(ancestors, ancestors.length - 1);
    this.check(el, this.childFrame(parent, el.uri, el.local), parent);
    return this.standIn(el);
  };

  checkRoot(root: XmlElement): void {
    const f = this.rootFrame(root.uri, root.local);
    if (!f) this.error(root.line ?? 1, `Element '${label(root)}': No matching global declaration available for the validation root.`);
    else this.check(root, f, null);
  }

  private check(el: XmlElement, frame: Frame, parent: Frame): void {
    const line = el.line ?? 0;
    for (const a of el.attrs) if (a.uri === XSI_NS && a.local !== 'schemaLocation' && a.local !== 'noNamespaceSchemaLocation') throw GIVE_WAY;
    if (!frame) {
      // Not declared where it stands: a strict wildcard wants a global declaration.
      if (parent && parent.type.kind === 'complex' && !parent.type.children.has(el.uri, el.local)) {
        const w = parent.type.wildcards.find((x) => wildcardAllows(x, el.uri));
        if (w?.process === 'strict') this.error(line, `Element '${label(el)}': No matching global element declaration available, but demanded by the strict wildcard.`);
      }
      return;
    }
    const { type, decl } = frame;
    const name = label(el);
    if (type.kind === 'simple') {
      this.noAttributes(el, name, line);
      this.simpleContent(el, name, line, type, decl);
      return;
    }
    if (type.abstract) {
      this.error(line, `Element '${name}': The type definition is abstract.`);
      return;
    }
    this.attributes(el, name, line, type);
    switch (type.content) {
      case 'any': return;
      case 'simple': this.simpleContent(el, name, line, type.simple!, decl); return;
      case 'empty': {
        for (const c of el.children) {
          if (c.type === 'element') return this.error(line, `Element '${name}': Element content is not allowed, because the content type is empty.`);
          if (c.type === 'text' && c.text !== '') return this.error(line, `Element '${name}': Character content is not allowed, because the content type is empty.`);
        }
        return;
      }
      default: this.elementContent(el, name, line, type);
    }
  }

  private elementContent(el: XmlElement, name: string, line: number, type: ComplexType): void {
    const a = type.automaton;
    let state: ContentState | null = a.start;
    for (const c of el.children) {
      if (c.type === 'text') {
        if (type.content === 'elements' && !isSpace(c.text)) {
          this.error(line, `Element '${name}': Character content other than whitespace is not allowed because the content type is 'element-only'.`);
          return;
        }
        continue;
      }
      if (c.type !== 'element') continue;
      const next: ContentState | null = a.step(state, c.uri, c.local);
      if (!next) {
        const exp = a.expected(state);
        this.error(line, `Element '${label(c)}': This element is not expected.${exp.length ? ` Expected is ( ${exp.join(', ')} ).` : ''}`);
        return;
      }
      state = next;
    }
    if (!state.accepting) this.error(line, `Element '${name}': Missing child element(s). Expected is ( ${a.expected(state).join(', ')} ).`);
  }

  private simpleContent(el: XmlElement, name: string, line: number, type: SimpleType, decl: ElementDecl): void {
    let text = '';
    for (const c of el.children) {
      if (c.type === 'element') return this.error(line, `Element '${name}': This element is not expected; the content type is simple.`);
      if (c.type === 'text') text += c.text;
    }
    if (decl.fixed !== undefined && text !== decl.fixed) return this.error(line, `Element '${name}': The value '${short(text)}' does not match the fixed value constraint '${decl.fixed}'.`);
    const e = checkSimple(type, text);
    if (e) return this.error(line, `Element '${name}': ${e}.`);
    this.noteIds(type, text, line, `element '${name}'`);
  }

  private noAttributes(el: XmlElement, name: string, line: number): void {
    for (const a of el.attrs) {
      if (a.uri === XSI_NS) continue;
      this.error(line, `Element '${name}', attribute '${a.name}': The attribute '${a.name}' is not allowed.`);
    }
  }

  private attributes(el: XmlElement, name: string, line: number, type: ComplexType): void {
    let seen = 0;
    for (const a of el.attrs) {
      if (a.uri === XSI_NS) continue;
      const use = type.attributes.get(a.uri, a.local);
      if (!use) {
        this.error(line, `Element '${name}', attribute '${a.uri ? `{${a.uri}}${a.local}` : a.local}': The attribute '${a.uri ? `{${a.uri}}${a.local}` : a.local}' is not allowed.`);
        continue;
      }
      if (use.required) seen++;
      const e = checkSimple(use.type, a.value);
      if (e) {
        this.error(line, `Element '${name}', attribute '${a.local}': ${e}.`);
        continue;
      }
      if (use.fixed !== undefined && a.value !== use.fixed) {
        this.error(line, `Element '${name}', attribute '${a.local}': The value '${short(a.value)}' does not match the fixed value constraint '${use.fixed}'.`);
        continue;
      }
      this.noteIds(use.type, a.value, line, `element '${name}', attribute '${a.local}'`);
    }
    if (seen === requiredCount(type)) return;
    for (const use of type.attributes.values()) {
      if (!use.required) continue;
      if (!el.attrs.some((a) => a.local === use.local && a.uri === use.uri)) {
        this.error(line, `Element '${name}': The attribute '${use.uri ? `{${use.uri}}${use.local}` : use.local}' is required but missing.`);
      }
    }
  }

  private noteIds(type: SimpleType, raw: string, line: number, where: string): void {
    const kind = type.idKind;
    if (!kind) return;
    // Copied: a value of 13 characters or more is otherwise a view that keeps its whole piece of the file.
    const v = detach(normalizeSpace(raw, 'collapse'));
    // IDREFs are checked for their form only, as libxml2 checks them: a reference to an id the
    // document lacks (ALTO's TAGREFS often name tags an export left out) is not a schema error there.
    if (kind !== 'ID') return;
    if (this.ids.has(v)) this.error(line, `${capital(where)}: '${v}' is not a valid value of the atomic type 'xs:ID'.`);
    else this.ids.add(v);
  }
}

const requiredCounts = new WeakMap<ComplexType, number>();
function requiredCount(t: ComplexType): number {
  let n = requiredCounts.get(t);
  if (n === undefined) {
    n = 0;
    for (const u of t.attributes.values()) if (u.required) n++;
    requiredCounts.set(t, n);
  }
  return n;
}

function isSpace(s: string): boolean {
  return !/[^ \t\n\r]/.test(s);
}

function label(el: { name: string; local: string; uri: string }): string {
  return el.uri ? `{${el.uri}}${el.local}` : el.local;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The check fed piece by piece (a writer's output as it is made): `feed` each piece, then
 * `end` for the verdict, undefined where it cannot judge (see the file's comment).
 */
export class XsdStreamCheck {
  private readonly validator: Validator;
  private readonly scanner: XmlPushScanner;
  private gaveWay = false;
  private complete = true;

  constructor(schema: CompiledSchema, limits: XmlParseLimits) {
    const v = (this.validator = new Validator(schema));
    const onClose = (el: XmlElement, ancestors: readonly XmlAncestor[]): XmlElement => {
      try {
        return v.onClose(el, ancestors);
      } catch (e) {
        if (e === GIVE_WAY) this.gaveWay = true;
        else if (e instanceof Enough) this.complete = false;
        throw e;
      }
    };
    // Values not copied out of the pieces: an element's attributes and text are let go as it closes.
    this.scanner = new XmlPushScanner(limits, onClose, undefined, false);
  }

  /** Reads `piece`; false once the verdict is known or cannot be had (nothing more to feed). */
  feed(piece: string): boolean {
    return this.scanner.feed(piece);
  }

  end(): StreamValidation | undefined {
    const doc = this.scanner.end();
    if (this.gaveWay) return undefined;
    // The reader stopped: at the errors' limit (a verdict), or at XML it does not read (no verdict).
    if (!doc) return this.complete ? undefined : verdict(this.validator);
    try {
      this.validator.checkRoot(doc.root);
    } catch (e) {
      if (e === GIVE_WAY) return undefined;
      if (!(e instanceof Enough)) throw e;
    }
    return verdict(this.validator);
  }
}

/**
 * Validates the document read from `pieces` against `schema`; undefined where the
 * streaming validator cannot judge it (see the file's comment). `pieces` is read once.
 */
export function validateXmlStream(pieces: Iterable<string>, schema: CompiledSchema, limits: XmlParseLimits): StreamValidation | undefined {
  const check = new XsdStreamCheck(schema, limits);
  for (const piece of pieces) if (!check.feed(piece)) break;
  return check.end();
}

function verdict(v: Validator): StreamValidation {
  const errors = [...v.errors].sort((a, b) => a.line - b.line).map((e) => `line ${e.line}: ${e.text}`);
  return { valid: errors.length === 0, errors };
}
