import type { XmlElement, XmlNode } from './xml-node.js';

const ATTR_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };
const TEXT_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

export function escapeAttr(v: string): string {
  return /[&<>"\n\r\t]/.test(v) ? v.replace(/[&<>"\n\r\t]/g, (c) => ATTR_ESC[c]!) : v;
}

export function escapeText(v: string): string {
  return /[&<>\r]/.test(v) ? v.replace(/[&<>\r]/g, (c) => TEXT_ESC[c]!) : v;
}

/**
 * Serialises a kept (unknown) node as it was read. `defaultNs` is the default
 * namespace in force where it is written: an element in that namespace loses its
 * prefix, one in another namespace keeps its source prefix and re-declares it.
 */
/** Where written lines go: an array, or XmlOut. */
export interface LineSink {
  push(line: string): void;
}

export function writeNode(node: XmlNode, defaultNs: string, out: LineSink, indent: string): void {
  switch (node.type) {
    case 'text':
      if (!/^\s*$/.test(node.text)) out.push(escapeText(node.text));
      return;
    case 'comment':
      out.push(`${indent}<!--${node.text}-->`);
      return;
    case 'pi':
      out.push(`${indent}<?${node.target}${node.body ? ' ' + node.body : ''}?>`);
      return;
    case 'element':
      writeElement(node, defaultNs, out, indent);
  }
}

function writeElement(el: XmlElement, defaultNs: string, out: LineSink, indent: string): void {
  let name = el.local;
  let decls = '';
  let innerDefault = defaultNs;
  const prefix = el.name.includes(':') ? el.name.slice(0, el.name.indexOf(':')) : '';
  if (el.uri === defaultNs) {
    name = el.local;
  } else if (prefix) {
    name = el.name;
    decls += ` xmlns:${prefix}="${escapeAttr(el.uri)}"`;
  } else {
    decls += ` xmlns="${escapeAttr(el.uri)}"`;
    innerDefault = el.uri;
  }
  for (const [p, uri] of Object.entries(el.nsDecls)) {
    if (p === '' || p === prefix) continue;
    decls += ` xmlns:${p}="${escapeAttr(uri)}"`;
  }
  let attrs = '';
  for (const a of el.attrs) attrs += ` ${a.name}="${escapeAttr(a.value)}"`;
  const elementChildren = el.children.some((c) => c.type !== 'text');
  if (el.children.length === 0 || (!elementChildren && el.children.every((c) => c.type === 'text' && c.text === ''))) {
    out.push(`${indent}<${name}${decls}${attrs}/>`);
    return;
  }
  if (!elementChildren) {
    const text = el.children.map((c) => (c.type === 'text' ? c.text : '')).join('');
    out.push(`${indent}<${name}${decls}${attrs}>${escapeText(text)}</${name}>`);
    return;
  }
  out.push(`${indent}<${name}${decls}${attrs}>`);
  for (const c of el.children) writeNode(c, innerDefault, out, indent + '  ');
  out.push(`${indent}</${name}>`);
}
