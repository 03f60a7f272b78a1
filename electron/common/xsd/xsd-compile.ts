/**
 * Reads XSD documents (as parsed trees) into a CompiledSchema. It reads the part of XML
 * Schema 1.0 that the PAGE (2010–2024), ALTO (2.0–4.4) and XLink schemas are written in:
 * global and local elements and attributes, named and anonymous types, complex content
 * by extension, simple content, sequence / choice / wildcards with occurrences, model
 * and attribute groups, imports; simple types by restriction (enumeration, pattern,
 * ranges, lengths, white space), list and union. Anything else throws UnsupportedSchema,
 * and the caller leaves the schema to libxml2.
 */
import type { XmlDocument, XmlElement } from '../xml/xml-node.js';
import { ContentAutomaton, type Particle, type Term, type Wildcard } from './xsd-content.js';
import { NsMap } from './ns-map.js';
import { UnsupportedSchema } from './xsd-errors.js';
import { BUILT_IN, listOf, restrict, unionOf, type Facets, type SimpleType } from './xsd-simple.js';
import { qkey, type AttributeUse, type CompiledSchema, type ComplexType, type ElementDecl, type XsdType } from './xsd-types.js';

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/** Another schema document an `import` names: by its namespace and location. */
export type SchemaResolver = (namespace: string, location: string | undefined) => XmlDocument | undefined;

type Scope = Readonly<Record<string, string>>;

interface Source {
  readonly el: XmlElement;
  readonly scope: Scope;
  readonly doc: DocInfo;
}

interface DocInfo {
  readonly targetNamespace: string;
  readonly qualifiedElements: boolean;
  readonly qualifiedAttributes: boolean;
}

const ANY_TYPE: ComplexType = {
  kind: 'complex', name: 'anyType', abstract: false, attributes: new NsMap(), content: 'any',
  automaton: new ContentAutomaton(undefined), children: new NsMap(), wildcards: [],
};

function xsdChildren(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.type === 'element' && c.uri === XSD_NS && c.local !== 'annotation') out.push(c);
  return out;
}

function at(el: XmlElement, name: string): string | undefined {
  for (const a of el.attrs) if (a.local === name && a.uri === '') return a.value;
  return undefined;
}

function withDecls(scope: Scope, el: XmlElement): Scope {
  const keys = Object.keys(el.nsDecls);
  if (!keys.length) return scope;
  const s: Record<string, string> = { ...scope };
  for (const k of keys) s[k] = el.nsDecls[k]!;
  return s;
}

function occurs(el: XmlElement): { min: number; max: number } {
  const min = Number(at(el, 'minOccurs') ?? '1');
  const maxText = at(el, 'maxOccurs') ?? '1';
  const max = maxText === 'unbounded' ? Infinity : Number(maxText);
  if (!Number.isInteger(min) || !(max === Infinity || Number.isInteger(max)) || min > 64 || (max !== Infinity && max > 64)) {
    throw new UnsupportedSchema(`occurrences ${min}..${maxText}`);
  }
  return { min, max };
}

class Compiler {
  private readonly types = new Map<string, Source>();
  private readonly elements = new Map<string, Source>();
  private readonly attributes = new Map<string, Source>();
  private readonly attributeGroups = new Map<string, Source>();
  private readonly groups = new Map<string, Source>();
  private readonly compiledTypes = new Map<string, XsdType>();
  private readonly compiledElements = new Map<string, ElementDecl>();
  private readonly loaded = new Set<string>();
  private anonymous = 0;

  constructor(private readonly resolve: SchemaResolver) {}

  load(doc: XmlDocument): DocInfo {
    const root = doc.root;
    if (root.uri !== XSD_NS || root.local !== 'schema') throw new UnsupportedSchema('not an XML Schema document');
    const info: DocInfo = {
      targetNamespace: at(root, 'targetNamespace') ?? '',
      qualifiedElements: at(root, 'elementFormDefault') === 'qualified',
      qualifiedAttributes: at(root, 'attributeFormDefault') === 'qualified',
    };
    if (this.loaded.has(info.targetNamespace)) return info;
    this.loaded.add(info.targetNamespace);
    const scope = withDecls({ xml: 'http://www.w3.org/XML/1998/namespace' }, root);
    for (const c of xsdChildren(root)) {
      const s: Source = { el: c, scope: withDecls(scope, c), doc: info };
      const name = at(c, 'name');
      const key = qkey(info.targetNamespace, name ?? '');
      switch (c.local) {
        case 'complexType': case 'simpleType': this.types.set(key, s); break;
        case 'element': this.elements.set(key, s); break;
        case 'attribute': this.attributes.set(key, s); break;
        case 'attributeGroup': this.attributeGroups.set(key, s); break;
        case 'group': this.groups.set(key, s); break;
        case 'import': {
          const ns = at(c, 'namespace') ?? '';
          if (this.loaded.has(ns)) break;
          const other = this.resolve(ns, at(c, 'schemaLocation'));
          if (!other) throw new UnsupportedSchema(`the import of ${ns} cannot be resolved`);
          this.load(other);
          break;
        }
        default: throw new UnsupportedSchema(`xs:${c.local} at the top of a schema`);
      }
    }
    return info;
  }

  private qname(value: string, scope: Scope): string {
    const colon = value.indexOf(':');
    const prefix = colon < 0 ? '' : value.slice(0, colon);
    const uri = scope[prefix];
    if (uri === undefined) throw new UnsupportedSchema(`the prefix of ${value} is not declared`);
    return qkey(uri, colon < 0 ? value : value.slice(colon + 1));
  }

  type(key: string): XsdType {
    const done = this.compiledTypes.get(key);
    if (done) return done;
    if (key.startsWith(`{${XSD_NS}}`)) {
      const local = key.slice(XSD_NS.length + 2);
      if (local === 'anyType') return ANY_TYPE;
      const b = BUILT_IN.get(local);
      if (!b) throw new UnsupportedSchema(`the built-in type xs:${local}`);
      const t: XsdType = { kind: 'simple', ...b };
      this.compiledTypes.set(key, t);
      return t;
    }
    const src = this.types.get(key);
    if (!src) throw new UnsupportedSchema(`the type ${key} is not defined`);
    if (src.el.local === 'simpleType') {
      const t: XsdType = { kind: 'simple', ...this.simpleType(src, key) };
      this.compiledTypes.set(key, t);
      return t;
    }
    return this.complexType(src, key);
  }

  private simpleOf(key: string): SimpleType {
    const t = this.type(key);
    if (t.kind === 'simple') return t;
    if (t.content === 'simple' && t.simple) return t.simple;
    throw new UnsupportedSchema(`${key} is used as a simple type`);
  }

  private simpleType(src: Source, name: string): SimpleType {
    const [def] = xsdChildren(src.el);
    if (!def) throw new UnsupportedSchema(`the simple type ${name} is empty`);
    const scope = withDecls(src.scope, def);
    const inline = (parent: XmlElement, attrName: string): SimpleType => {
      const ref = at(parent, attrName);
      if (ref) return this.simpleOf(this.qname(ref, scope));
      const st = xsdChildren(parent).find((c) => c.local === 'simpleType');
      if (!st) throw new UnsupportedSchema(`${name}: no ${attrName}`);
      return this.simpleType({ ...src, el: st, scope: withDecls(scope, st) }, `${name} (anonymous)`);
    };
    switch (def.local) {
      case 'restriction': {
        const base = inline(def, 'base');
        const facets: Facets = {};
        for (const f of xsdChildren(def)) {
          const v = at(f, 'value') ?? '';
          switch (f.local) {
            case 'simpleType': break;
            case 'enumeration': (facets.enumeration ??= []).push(v); break;
            case 'pattern': (facets.patterns ??= []).push(v); break;
            case 'minInclusive': case 'maxInclusive': case 'minExclusive': case 'maxExclusive': facets[f.local] = v; break;
            case 'length': case 'minLength': case 'maxLength': facets[f.local] = Number(v); break;
            case 'whiteSpace': facets.whiteSpace = v as Facets['whiteSpace']; break;
            default: throw new UnsupportedSchema(`the facet xs:${f.local}`);
          }
        }
        return restrict(name, base, facets);
      }
      case 'list': return listOf(name, inline(def, 'itemType'));
      case 'union': {
        const members = (at(def, 'memberTypes') ?? '').split(/\s+/).filter(Boolean).map((m) => this.simpleOf(this.qname(m, scope)));
        for (const st of xsdChildren(def)) members.push(this.simpleType({ ...src, el: st, scope: withDecls(scope, st) }, `${name} (member)`));
        return unionOf(name, members);
      }
      default: throw new UnsupportedSchema(`xs:${def.local} in a simple type`);
    }
  }

  private complexType(src: Source, key: string): ComplexType {
    const el = src.el;
    if (at(el, 'block') || at(el, 'final')) {
      // Only derivation control: nothing to check in an instance without xsi:type.
    }
    const attributes = new NsMap<AttributeUse>();
    const children = new NsMap<ElementDecl>();
    const wildcards: Wildcard[] = [];
    const t = {
      kind: 'complex' as const, name: key, abstract: at(el, 'abstract') === 'true', attributes,
      content: 'empty' as ComplexType['content'], simple: undefined as SimpleType | undefined,
      automaton: undefined as unknown as ContentAutomaton, children, wildcards,
    };
    // Registered before its parts: a type's content may name elements of the same type.
    this.compiledTypes.set(key, t);
    const mixed = at(el, 'mixed') === 'true';
    let particle: Particle | undefined;
    const scope = src.scope;
    const parts = xsdChildren(el);
    const model = parts.find((p) => p.local === 'complexContent' || p.local === 'simpleContent');
    if (model) {
      const mScope = withDecls(scope, model);
      const [deriv] = xsdChildren(model);
      if (!deriv || deriv.local !== 'extension') throw new UnsupportedSchema(`${key}: ${model.local} by ${deriv?.local ?? 'nothing'}`);
      const dScope = withDecls(mScope, deriv);
      const baseKey = this.qname(at(deriv, 'base') ?? '', dScope);
      const base = this.type(baseKey);
      if (model.local === 'simpleContent') {
        t.content = 'simple';
        t.simple = base.kind === 'simple' ? base : base.simple;
        if (!t.simple) throw new UnsupportedSchema(`${key}: simple content on ${baseKey}`);
        if (base.kind === 'complex') for (const [u, l, a] of base.attributes.entries()) attributes.set(u, l, a);
      } else {
        if (base.kind !== 'complex') throw new UnsupportedSchema(`${key}: complex content on a simple type`);
        if (base.content === 'simple' || base.content === 'any') throw new UnsupportedSchema(`${key}: complex content on ${base.content} content`);
        for (const [u, l, a] of base.attributes.entries()) attributes.set(u, l, a);
        for (const [u, l, d] of base.children.entries()) children.set(u, l, d);
        wildcards.push(...base.wildcards);
        const own = this.particleOf(deriv, { ...src, scope: dScope }, children, wildcards);
        const baseParticle = this.baseParticles.get(baseKey);
        particle = baseParticle && own ? { min: 1, max: 1, body: { kind: 'sequence', items: [baseParticle, own] } } : baseParticle ?? own;
        t.content = particle ? (mixed || base.content === 'mixed' ? 'mixed' : 'elements') : mixed ? 'mixed' : 'empty';
      }
      this.attributesOf(deriv, dScope, src.doc, attributes);
    } else {
      particle = this.particleOf(el, src, children, wildcards);
      t.content = particle ? (mixed ? 'mixed' : 'elements') : mixed ? 'mixed' : 'empty';
      this.attributesOf(el, scope, src.doc, attributes);
    }
    if (particle) this.baseParticles.set(key, particle);
    t.automaton = new ContentAutomaton(particle);
    return t;
  }

  /** Each complex type's own particle, for types that extend it. */
  private readonly baseParticles = new Map<string, Particle>();

  /** The particle an element holds (sequence, choice, group), or undefined. */
  private particleOf(el: XmlElement, src: Source, children: NsMap<ElementDecl>, wildcards: Wildcard[]): Particle | undefined {
    const p = xsdChildren(el).find((c) => ['sequence', 'choice', 'group', 'all'].includes(c.local));
    return p && this.particle(p, { ...src, scope: withDecls(src.scope, p) }, children, wildcards);
  }

  private particle(el: XmlElement, src: Source, children: NsMap<ElementDecl>, wildcards: Wildcard[]): Particle {
    const { min, max } = occurs(el);
    switch (el.local) {
      case 'sequence': case 'choice': {
        const items = xsdChildren(el).map((c) => this.particle(c, { ...src, scope: withDecls(src.scope, c) }, children, wildcards));
        return { min, max, body: { kind: el.local, items } };
      }
      case 'group': {
        const ref = at(el, 'ref');
        if (!ref) throw new UnsupportedSchema('a local xs:group without ref');
        const g = this.groups.get(this.qname(ref, src.scope));
        if (!g) throw new UnsupportedSchema(`the group ${ref} is not defined`);
        const [inner] = xsdChildren(g.el);
        if (!inner || inner.local === 'all') throw new UnsupportedSchema(`the group ${ref}`);
        const body = this.particle(inner, { ...g, scope: withDecls(g.scope, inner) }, children, wildcards);
        return { min, max, body: { kind: 'sequence', items: [body] } };
      }
      case 'element': {
        const decl = this.localElement(el, src);
        if (!children.has(decl.uri, decl.local)) children.set(decl.uri, decl.local, decl);
        const term: Term = { kind: 'element', decl: children.get(decl.uri, decl.local)! };
        return { min, max, body: term };
      }
      case 'any': {
        const ns = at(el, 'namespace') ?? '##any';
        const tns = src.doc.targetNamespace;
        const namespaces = ns === '##any' || ns === '##other' ? ns : ns.split(/\s+/).map((n) => (n === '##targetNamespace' ? tns : n === '##local' ? '' : n));
        const w: Wildcard = { kind: 'any', namespaces, targetNamespace: tns, process: (at(el, 'processContents') ?? 'strict') as Wildcard['process'] };
        wildcards.push(w);
        return { min, max, body: w };
      }
      default: throw new UnsupportedSchema(`xs:${el.local} in a content model`);
    }
  }

  private localElement(el: XmlElement, src: Source): ElementDecl {
    const ref = at(el, 'ref');
    if (ref) return this.globalElement(this.qname(ref, src.scope));
    if (at(el, 'substitutionGroup')) throw new UnsupportedSchema('substitution groups');
    const qualified = (at(el, 'form') ?? (src.doc.qualifiedElements ? 'qualified' : 'unqualified')) === 'qualified';
    return this.declare(el, src, qualified ? src.doc.targetNamespace : '');
  }

  globalElementKeys(): string[] {
    return [...this.elements.keys()];
  }

  globalElement(key: string): ElementDecl {
    const done = this.compiledElements.get(key);
    if (done) return done;
    const src = this.elements.get(key);
    if (!src) throw new UnsupportedSchema(`the element ${key} is not defined`);
    const d = this.declare(src.el, src, src.doc.targetNamespace);
    this.compiledElements.set(key, d);
    return d;
  }

  private declare(el: XmlElement, src: Source, uri: string): ElementDecl {
    for (const c of xsdChildren(el)) if (c.local === 'unique' || c.local === 'key' || c.local === 'keyref') throw new UnsupportedSchema('identity constraints');
    if (at(el, 'abstract') === 'true' || at(el, 'substitutionGroup')) throw new UnsupportedSchema('abstract elements and substitution groups');
    const typeName = at(el, 'type');
    let memo: XsdType | undefined;
    const type = (): XsdType => {
      if (memo) return memo;
      if (typeName) return (memo = this.type(this.qname(typeName, src.scope)));
      const inline = xsdChildren(el).find((c) => c.local === 'complexType' || c.local === 'simpleType');
      if (!inline) return (memo = ANY_TYPE);
      const key = `${qkey(uri, at(el, 'name') ?? '')}#${++this.anonymous}`;
      this.types.set(key, { ...src, el: inline, scope: withDecls(src.scope, inline) });
      return (memo = this.type(key));
    };
    return { local: at(el, 'name') ?? '', uri, type, fixed: at(el, 'fixed') };
  }

  private attributesOf(el: XmlElement, scope: Scope, doc: DocInfo, into: NsMap<AttributeUse>): void {
    for (const c of xsdChildren(el)) {
      const cScope = withDecls(scope, c);
      if (c.local === 'attribute') {
        if (at(c, 'use') === 'prohibited') continue;
        const use = this.attribute(c, cScope, doc, false);
        into.set(use.uri, use.local, use);
      } else if (c.local === 'attributeGroup') {
        this.attributeGroup(this.qname(at(c, 'ref') ?? '', cScope), into);
      } else if (c.local === 'anyAttribute') {
        throw new UnsupportedSchema('xs:anyAttribute');
      }
    }
  }

  private attributeGroup(key: string, into: NsMap<AttributeUse>): void {
    const g = this.attributeGroups.get(key);
    if (!g) throw new UnsupportedSchema(`the attribute group ${key} is not defined`);
    this.attributesOf(g.el, g.scope, g.doc, into);
  }

  private attribute(el: XmlElement, scope: Scope, doc: DocInfo, global: boolean): AttributeUse {
    const required = at(el, 'use') === 'required';
    const ref = at(el, 'ref');
    if (ref) {
      const key = this.qname(ref, scope);
      const g = this.attributes.get(key);
      if (!g) throw new UnsupportedSchema(`the attribute ${ref} is not defined`);
      const decl = this.attribute(g.el, g.scope, g.doc, true);
      return { ...decl, required, fixed: at(el, 'fixed') ?? decl.fixed };
    }
    const qualified = global || (at(el, 'form') ?? (doc.qualifiedAttributes ? 'qualified' : 'unqualified')) === 'qualified';
    const typeName = at(el, 'type');
    const inline = xsdChildren(el).find((c) => c.local === 'simpleType');
    const name = at(el, 'name') ?? '';
    const type = typeName
      ? this.simpleOf(this.qname(typeName, scope))
      : inline
        ? this.simpleType({ el: inline, scope: withDecls(scope, inline), doc }, `@${name}`)
        : BUILT_IN.get('anySimpleType')!;
    return { local: name, uri: qualified ? doc.targetNamespace : '', type, required, fixed: at(el, 'fixed') };
  }
}

/**
 * Compiles `main` (and what it imports, through `resolve`) for validation: every global
 * element and every type it reaches, so an unsupported construct is found now, not in
 * the middle of a document.
 */
export function compileSchema(main: XmlDocument, resolve: SchemaResolver): CompiledSchema {
  const c = new Compiler(resolve);
  const info = c.load(main);
  const elements = new NsMap<ElementDecl>();
  const seen = new Set<XsdType>();
  const visit = (t: XsdType): void => {
    if (seen.has(t) || t.kind !== 'complex') return;
    seen.add(t);
    for (const d of t.children.values()) visit(d.type());
  };
  for (const key of c.globalElementKeys()) {
    const d = c.globalElement(key);
    elements.set(d.uri, d.local, d);
    visit(d.type());
  }
  return { elements, targetNamespace: info.targetNamespace };
}
