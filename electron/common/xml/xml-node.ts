/**
 * A minimal, namespace-aware XML tree. Readers map it onto the typed document
 * model; whatever they do not understand is kept as these nodes so writers can
 * put it back unchanged (the lossless round-trip).
 */
export interface XmlAttr {
  /** Qualified name as written in the source, e.g. `xsi:schemaLocation`. */
  readonly name: string;
  readonly local: string;
  /** Namespace URI, '' for unprefixed attributes. */
  readonly uri: string;
  readonly value: string;
}

export interface XmlElement {
  readonly type: 'element';
  /** Qualified name as written in the source (keeps its prefix). */
  readonly name: string;
  readonly local: string;
  readonly uri: string;
  readonly attrs: readonly XmlAttr[];
  /** Namespace declarations made on this element: prefix ('' = default) → URI. */
  readonly nsDecls: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  /** 1-based source line, for messages. */
  readonly line?: number;
}

export interface XmlText {
  readonly type: 'text';
  readonly text: string;
}

export interface XmlComment {
  readonly type: 'comment';
  readonly text: string;
}

export interface XmlPi {
  readonly type: 'pi';
  readonly target: string;
  readonly body: string;
}

export type XmlNode = XmlElement | XmlText | XmlComment | XmlPi;

export interface XmlDocument {
  readonly root: XmlElement;
  /** Comments and processing instructions before the root element. */
  readonly prolog: readonly (XmlComment | XmlPi)[];
}

export function isElement(n: XmlNode): n is XmlElement {
  return n.type === 'element';
}

export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.type === 'element') out.push(c);
  return out;
}

export function attr(el: XmlElement, local: string): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.uri === '') return a.value;
  return undefined;
}

/** Concatenated text of an element's direct text children. */
export function textOf(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text') s += c.text;
  return s;
}

export function isBlank(s: string): boolean {
  return /^[\s]*$/.test(s);
}
