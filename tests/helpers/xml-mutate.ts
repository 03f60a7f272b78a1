/**
 * Mutated copies of an XML document, for tests that compare two judges of it (the
 * streaming XSD validator and libxml2): one small change each, drawn from a seeded
 * generator so a failure names a mutation that can be made again.
 */
import type { XmlAttr, XmlDocument, XmlElement, XmlNode } from '../../electron/common/xml/xml-node.js';
import { escapeAttr, escapeText } from '../../electron/common/xml/xml-write.js';

/** A small, seeded pseudo-random generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The document as XML text, every namespace declaration where it was made. */
export function serialize(doc: XmlDocument): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const write = (n: XmlNode): void => {
    if (n.type === 'text') out.push(escapeText(n.text));
    else if (n.type === 'comment') out.push(`<!--${n.text}-->`);
    else if (n.type === 'pi') out.push(`<?${n.target}${n.body ? ` ${n.body}` : ''}?>`);
    else {
      let head = `<${n.name}`;
      for (const [p, uri] of Object.entries(n.nsDecls)) head += ` ${p ? `xmlns:${p}` : 'xmlns'}="${escapeAttr(uri)}"`;
      for (const a of n.attrs) head += ` ${a.name}="${escapeAttr(a.value)}"`;
      if (!n.children.length) out.push(`${head}/>`);
      else {
        out.push(`${head}>`);
        for (const c of n.children) write(c);
        out.push(`</${n.name}>`);
      }
    }
  };
  write(doc.root);
  return out.join('');
}

type Mut = { -readonly [K in keyof XmlElement]: XmlElement[K] } & { children: XmlNode[]; attrs: XmlAttr[] };

function clone(el: XmlElement): Mut {
  return { ...el, attrs: [...el.attrs], children: el.children.map((c) => (c.type === 'element' ? clone(c) : { ...c })) } as Mut;
}

function elements(el: Mut, out: { el: Mut; parent?: Mut }[] = [], parent?: Mut): { el: Mut; parent?: Mut }[] {
  out.push({ el, parent });
  for (const c of el.children) if (c.type === 'element') elements(c as Mut, out, el);
  return out;
}

const VALUES = ['', 'x', '-1', '1.5', 'a b', 'true', '2020-13-40', '2020-01-01T00:00:00', '1,2 3', '1,2 3,4', 'paragraph', 'Latin', 'Latn - Latin', 'de', 'German', '1e5', 'NaN', 'r1', '0'];

export const MUTATIONS = ['dropAttr', 'addAttr', 'badValue', 'dupId', 'dropElement', 'dupElement', 'swapSiblings', 'addText', 'changeText', 'addUnknownElement'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** `doc` with one change of kind `kind` at a place `rand` picks; undefined where the document has no place for it. */
export function mutate(doc: XmlDocument, kind: Mutation, rand: () => number): string | undefined {
  const root = clone(doc.root);
  const all = elements(root);
  const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);
  const nonRoot = all.filter((e) => e.parent);
  switch (kind) {
    case 'dropAttr': {
      const e = pick(all.filter((x) => x.el.attrs.some((a) => !a.name.startsWith('xsi:'))));
      if (!e) return undefined;
      const own = e.el.attrs.filter((a) => !a.name.startsWith('xsi:'));
      e.el.attrs = e.el.attrs.filter((a) => a !== pick(own));
      break;
    }
    case 'addAttr': {
      const e = pick(all)!;
      e.el.attrs.push({ name: 'zz', local: 'zz', uri: '', value: '1' });
      break;
    }
    case 'badValue': {
      const e = pick(all.filter((x) => x.el.attrs.some((a) => !a.name.startsWith('xsi:'))));
      if (!e) return undefined;
      const i = e.el.attrs.indexOf(pick(e.el.attrs.filter((a) => !a.name.startsWith('xsi:')))!);
      e.el.attrs[i] = { ...e.el.attrs[i]!, value: pick(VALUES)! };
      break;
    }
    case 'dupId': {
      const withId = all.filter((x) => x.el.attrs.some((a) => /^(id|ID)$/.test(a.local)));
      if (withId.length < 2) return undefined;
      const a = pick(withId)!;
      const b = pick(withId.filter((x) => x !== a))!;
      const idOf = (m: Mut): XmlAttr => m.attrs.find((x) => /^(id|ID)$/.test(x.local))!;
      const i = b.el.attrs.indexOf(idOf(b.el));
      b.el.attrs[i] = { ...b.el.attrs[i]!, value: idOf(a.el).value };
      break;
    }
    case 'dropElement': case 'dupElement': {
      const e = pick(nonRoot);
      if (!e) return undefined;
      const i = e.parent!.children.indexOf(e.el);
      if (kind === 'dropElement') e.parent!.children.splice(i, 1);
      else e.parent!.children.splice(i, 0, clone(e.el));
      break;
    }
    case 'swapSiblings': {
      const e = pick(nonRoot.filter((x) => x.parent!.children.filter((c) => c.type === 'element').length > 1));
      if (!e) return undefined;
      const sibs = e.parent!.children;
      const i = sibs.indexOf(e.el);
      const j = sibs.findIndex((c, k) => k !== i && c.type === 'element');
      [sibs[i], sibs[j]] = [sibs[j]!, sibs[i]!];
      break;
    }
    case 'addText': {
      pick(all)!.el.children.unshift({ type: 'text', text: 'x' });
      break;
    }
    case 'changeText': {
      const e = pick(all.filter((x) => x.el.children.length > 0 && x.el.children.every((c) => c.type === 'text')));
      if (!e) return undefined;
      e.el.children = [{ type: 'text', text: pick(VALUES)! }];
      break;
    }
    case 'addUnknownElement': {
      const e = pick(all)!;
      const prefix = e.el.name.includes(':') ? e.el.name.slice(0, e.el.name.indexOf(':') + 1) : '';
      e.el.children.push({ type: 'element', name: `${prefix}Zz`, local: 'Zz', uri: e.el.uri, attrs: [], nsDecls: {}, children: [] });
      break;
    }
  }
  return serialize({ root, prolog: [] });
}
