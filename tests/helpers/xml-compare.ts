/**
 * "Same XML tree" as the round-trip acceptance defines it, checked with an
 * independent parser (xmldom), so a bug in our own parser cannot hide itself:
 * whitespace-only text, attribute order, namespace prefixes and declarations are
 * ignored, as are the elements named in `ignore` (e.g. LastChange).
 */
import { DOMParser } from '@xmldom/xmldom';

interface Norm {
  name: string;
  attrs: string[];
  text: string;
  children: Norm[];
}

type DomNode = {
  nodeType: number;
  namespaceURI: string | null;
  localName: string | null;
  nodeValue: string | null;
  attributes?: { length: number; item(i: number): { namespaceURI: string | null; localName: string; name: string; value: string } | null };
  childNodes: { length: number; item(i: number): DomNode | null };
};

function normalise(node: DomNode, ignore: ReadonlySet<string>): Norm {
  const attrs: string[] = [];
  const a = node.attributes;
  if (a) {
    for (let i = 0; i < a.length; i++) {
      const at = a.item(i)!;
      if (at.name === 'xmlns' || at.name.startsWith('xmlns:')) continue;
      attrs.push(`{${at.namespaceURI ?? ''}}${at.localName}=${at.value}`);
    }
  }
  attrs.sort();
  let text = '';
  const children: Norm[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const c = node.childNodes.item(i)!;
    if (c.nodeType === 1) {
      if (ignore.has(c.localName!)) continue;
      children.push(normalise(c, ignore));
    } else if (c.nodeType === 3 || c.nodeType === 4) text += c.nodeValue;
  }
  return { name: `{${node.namespaceURI ?? ''}}${node.localName}`, attrs, text: text.trim(), children };
}

export function xmlTree(xml: string, ignore: readonly string[] = ['LastChange']): Norm {
  // xmldom refuses a byte-order mark; it is not part of the tree.
  const doc = new DOMParser().parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml') as unknown as { documentElement: DomNode };
  return normalise(doc.documentElement, new Set(ignore));
}

/** First difference between two trees as a readable path, or undefined when equal. */
export function treeDiff(a: Norm, b: Norm, path = ''): string | undefined {
  const here = `${path}/${a.name.replace(/^\{[^}]*\}/, '')}`;
  if (a.name !== b.name) return `${here}: element ${a.name} vs ${b.name}`;
  if (a.attrs.join('\n') !== b.attrs.join('\n')) {
    const onlyA = a.attrs.filter((x) => !b.attrs.includes(x));
    const onlyB = b.attrs.filter((x) => !a.attrs.includes(x));
    return `${here}: attributes differ: ${JSON.stringify(onlyA).slice(0, 300)} vs ${JSON.stringify(onlyB).slice(0, 300)}`;
  }
  if (a.text !== b.text) return `${here}: text ${JSON.stringify(a.text.slice(0, 80))} vs ${JSON.stringify(b.text.slice(0, 80))}`;
  if (a.children.length !== b.children.length) {
    return `${here}: ${a.children.length} vs ${b.children.length} children (${a.children.map((c) => c.name.replace(/^\{[^}]*\}/, '')).join(',').slice(0, 200)} | ${b.children.map((c) => c.name.replace(/^\{[^}]*\}/, '')).join(',').slice(0, 200)})`;
  }
  for (let i = 0; i < a.children.length; i++) {
    const d = treeDiff(a.children[i]!, b.children[i]!, `${here}[${i}]`);
    if (d) return d;
  }
  return undefined;
}
