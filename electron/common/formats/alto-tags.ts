/**
 * SegmOnto zone and line types between ALTO and the document model.
 *
 * ALTO carries them as `TAGREFS` pointing at `<OtherTag LABEL="MainZone"/>` (eScriptorium,
 * kraken); PAGE, and so the model, as `custom="structure {type:MainZone;}"`. A label
 * may name a subtype after ':' and an instance number after '#' ("HeadingLine:title#1").
 */
import type { XmlElement } from '../xml/xml-node.js';
import { attr } from '../xml/xml-node.js';
import { parseCustom } from '../model/custom-attr.js';

export interface StructureLabel {
  readonly type: string;
  readonly subtype?: string;
  readonly number?: string;
}

/** "HeadingLine:title#2" → {type: HeadingLine, subtype: title, number: 2}. */
export function parseLabel(label: string): StructureLabel | undefined {
  const m = /^([^:#]*)(?::([^#]*))?(?:#(.*))?$/s.exec(label.trim());
  if (!m || !m[1]) return undefined;
  return { type: m[1], ...(m[2] && { subtype: m[2] }), ...(m[3] && { number: m[3] }) };
}

export function formatLabel(s: StructureLabel): string {
  return s.type + (s.subtype ? `:${s.subtype}` : '') + (s.number ? `#${s.number}` : '');
}

/** PAGE custom values escape what would break the syntax as \uXXXX (Transkribus writes spaces as \u0020). */
function decode(v: string): string {
  return v.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function encode(v: string): string {
  return v.replace(/[;{}\\]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The structure type a custom attribute names, if any. */
export function structureOf(custom: string | undefined): StructureLabel | undefined {
  const s = parseCustom(custom).structure;
  if (!s?.type) return undefined;
  const [type, subtype, number] = [s.type, s.subtype, s.number].map((v) => (v ? decode(v) : undefined));
  // A whole label in `type` ("HeadingLine:title", as a label picker may set it) is split like one.
  const label = parseLabel(type!) ?? { type: type! };
  return { ...label, ...(subtype && { subtype }), ...(number && { number }) };
}

/** The custom attribute that records a structure type, as PAGE tools write it. */
export function structureCustom(s: StructureLabel): string {
  let body = `type:${encode(s.type)};`;
  if (s.subtype) body += `subtype:${encode(s.subtype)};`;
  if (s.number) body += `number:${encode(s.number)};`;
  return `structure {${body}}`;
}

/** Custom entries ALTO has no place for (readingOrder is carried by element order). */
export function unmappedCustom(custom: string | undefined): string[] {
  return Object.keys(parseCustom(custom)).filter((n) => n !== 'structure' && n !== 'readingOrder');
}

export const TAG_ELEMENTS: ReadonlySet<string> = new Set(['LayoutTag', 'StructureTag', 'RoleTag', 'NamedEntityTag', 'OtherTag']);

export interface TagInfo {
  readonly id: string;
  readonly element: string;
  readonly label?: string;
  readonly type?: string;
  readonly description?: string;
  /** The source element; absent for tags made while writing. */
  readonly el?: XmlElement;
}

/**
 * Tags that name a structure type: eScriptorium's carry no TYPE, kraken marks
 * segmentation types with TYPE="type". Language, split and other tags are not types.
 */
export function isStructureTag(t: TagInfo): boolean {
  return t.label !== undefined && t.label.trim() !== '' && (t.type === undefined || t.type === 'type' || t.type === 'structure');
}

/** The tags of an ALTO `<Tags>` element, by ID. */
export function readTags(tags: XmlElement | undefined, ns: string): Map<string, TagInfo> {
  const out = new Map<string, TagInfo>();
  if (!tags) return out;
  for (const c of tags.children) {
    if (c.type !== 'element' || c.uri !== ns || !TAG_ELEMENTS.has(c.local)) continue;
    const id = attr(c, 'ID');
    if (id === undefined || out.has(id)) continue;
    const label = attr(c, 'LABEL');
    const type = attr(c, 'TYPE');
    const description = attr(c, 'DESCRIPTION');
    out.set(id, {
      id,
      element: c.local,
      el: c,
      ...(label !== undefined && { label }),
      ...(type !== undefined && { type }),
      ...(description !== undefined && { description }),
    });
  }
  return out;
}

export function splitRefs(refs: string | undefined): string[] {
  return refs ? refs.split(/\s+/).filter(Boolean) : [];
}

/** The structure type named by an element's TAGREFS: the first structure tag it refers to. */
export function structureFromRefs(refs: string | undefined, tags: ReadonlyMap<string, TagInfo>): StructureLabel | undefined {
  for (const id of splitRefs(refs)) {
    const t = tags.get(id);
    if (t && isStructureTag(t)) return parseLabel(t.label!);
  }
  return undefined;
}

export type TagOwner = 'block' | 'line';

/**
 * Structure tags for writing: reuses a tag with the same label (one of the owner's
 * kind first, eScriptorium keeps block and line types apart) or makes a new OtherTag.
 */
export class TagRegistry {
  private readonly added: TagInfo[] = [];
  private readonly byKey = new Map<string, string>();

  constructor(
    private readonly tags: ReadonlyMap<string, TagInfo>,
    /** Returns an unused ID starting with the prefix. */
    private readonly newId: (prefix: string) => string,
  ) {}

  idFor(s: StructureLabel, owner: TagOwner): string {
    const label = formatLabel(s);
    const key = `${owner}\n${label}`;
    const known = this.byKey.get(key);
    if (known) return known;
    let fallback: string | undefined;
    let found: string | undefined;
    for (const t of [...this.tags.values(), ...this.added]) {
      if (!isStructureTag(t) || t.label !== label) continue;
      fallback ??= t.id;
      if (ownerOf(t) === owner) {
        found = t.id;
        break;
      }
    }
    let id = found ?? fallback;
    if (!id) {
      id = this.newId(owner === 'block' ? 'BT' : 'LT');
      const description = `${owner} type ${label}`;
      this.added.push({ id, element: 'OtherTag', label, description });
    }
    this.byKey.set(key, id);
    return id;
  }

  /** Tags made by this registry, to be appended to `<Tags>`. */
  newTags(): readonly TagInfo[] {
    return this.added;
  }
}

function ownerOf(t: TagInfo): TagOwner | undefined {
  if (/^line type/i.test(t.description ?? '') || /^LT/.test(t.id)) return 'line';
  if (/^block type/i.test(t.description ?? '') || /^BT/.test(t.id)) return 'block';
  return undefined;
}
