/**
 * The document model as ALTO. Two modes:
 * - keep: a document read from ALTO, written in its own version. Everything read comes
 *   back: residue in place, and source attribute text (boxes, BASELINE, TAGREFS, shapes)
 *   verbatim while the typed field it was read into is unchanged (compared by identity);
 *   only what changed is recomputed. No IDs are invented.
 * - convert (any other write, `conform` for ALTO 4.4): what the schema accepts, from any
 *   document. Every block and line gets a Shape, boxes come from polygons, IDs are made
 *   valid and unique, SegmOnto types become OtherTags, and what ALTO has no place for
 *   (PAGE residue, invalid source attributes) is dropped with a warning.
 */
import type { XmlElement, XmlNode } from '../xml/xml-node.js';
import { attr, childElements, textOf } from '../xml/xml-node.js';
import type { AltoVersion, OrderGroup, PageDocument, PlacedNode, Points, Region, TextLine } from '../model/types.js';
import type { Warnings } from './format-error.js';
import { altoNamespace, altoSchemaLocation } from './alto-versions.js';
import {
  TagRegistry, TAG_ELEMENTS, isStructureTag, parseLabel, readTags, splitRefs, structureOf, unmappedCustom, type StructureLabel,
  type TagInfo, type TagOwner,
} from './alto-tags.js';
import { AltoIds, DATE, PROCESSING_CATEGORY, allowedAttrs } from './alto-schema.js';
import { Placer, XmlOut, type AttrList } from './xml-out.js';
import {
  altoX, attrMap, blockElement, element, isEl, residueAttrs, residueNodes, same, spacesOf, writeAltoPageElement, type AltoLineText, type Ctx,
} from './alto-write-layout.js';
import { PreparedLineConflict } from './page-repair.js';
import { allPages } from './pages.js';

export interface AltoWriteOptions {
  readonly version: AltoVersion;
  /** Write what the version's XSD accepts (converting); otherwise a same-version write keeps everything. */
  readonly conform: boolean;
  /** ISO timestamp of HTR Studio's processing step (tests pass a fixed one). */
  readonly now?: string;
  /** Where the text goes in pieces as it is written (writeAlto then returns ''). */
  readonly sink?: (chunk: string) => void;
  /**
   * Lines of a PAGE document the caller wrote as it read them (writeAltoLine), for a
   * converting write: the ids each one's text holds (its own, its words', its glyphs', in
   * order; undefined for any other line), taken as they are, and its text. Throws
   * PreparedLineConflict where an id is not free to take.
   */
  readonly prepared?: { readonly ids: (line: TextLine) => readonly string[] | undefined; readonly lineText: AltoLineText };
  /** A converting write: the POINTS of a big outline the caller kept as text (PageWriteOptions.pointsText). */
  readonly pointsText?: (points: Points) => string | undefined;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Serialises a document as ALTO of the given version. */
export function writeAlto(doc: PageDocument, opts: AltoWriteOptions, warnings: Warnings): string {
  const src = doc.format.kind === 'alto' ? doc.format : undefined;
  const keep = src !== undefined && src.version === opts.version && !opts.conform;
  const ns = keep ? src.namespace : altoNamespace(opts.version);
  const ids = new AltoIds(warnings);
  const rootX = altoX(doc.x);
  const srcTagsEl = rootX?.nodes?.map((n) => n.node).find((n): n is XmlElement => isEl(n, 'Tags') && n.uri === src?.namespace);
  const srcTags = readTags(srcTagsEl, src?.namespace ?? '');
  const idOf = new Map<object, string>();
  let outTags: Map<string, TagInfo>;
  if (keep) {
    reserveAll(ids, doc);
    outTags = new Map(srcTags);
  } else {
    planIds(ids, idOf, doc, opts.prepared?.ids);
    outTags = new Map();
    for (const t of srcTags.values()) {
      // LABEL is required; an empty one keeps the tag and what refers to it.
      if (t.label === undefined) warnings.add(`ALTO <${t.element}> without LABEL (required): written with an empty one`);
      const id = ids.claim(t.id, 'tag', `<${t.element}>`)!;
      idOf.set(t.el!, id);
      outTags.set(id, { ...t, id, label: t.label ?? '' });
    }
  }
  const ctx: Ctx = {
    out: new XmlOut(ns, opts.sink), v: opts.version, keep, warnings, ids, idOf, srcTags,
    tags: new TagRegistry(outTags, (prefix) => ids.fresh(prefix)), tagrefs: new Map(),
    ...(!keep && opts.prepared && { lineText: opts.prepared.lineText }),
    ...(!keep && opts.pointsText && { pointsText: opts.pointsText }),
  };
  for (const p of allPages(doc)) planTagrefs(ctx, p.regions);
  const now = opts.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  ctx.out.push('<?xml version="1.0" encoding="UTF-8"?>');
  if (keep) writeKept(ctx, doc, ns, srcTagsEl);
  else writeConverted(ctx, doc, ns, now);
  return ctx.out.toString();
}

// ---------------------------------------------------------------- ID planning

/** A same-version write keeps every source ID; new tags must avoid them all. */
function reserveAll(ids: AltoIds, doc: PageDocument): void {
  const walk = (n: XmlNode): void => {
    if (n.type !== 'element') return;
    const id = attr(n, 'ID');
    if (id) ids.reserve(id);
    n.children.forEach(walk);
  };
  const x = altoX(doc.x);
  x?.nodes?.forEach((p) => walk(p.node));
  if (x?.kept?.Layout) walk(x.kept.Layout);
  altoX(doc.metadata.x)?.nodes?.forEach((p) => walk(p.node));
  const records = (rs: readonly Region[]): void => {
    for (const r of rs) {
      if (r.id) ids.reserve(r.id);
      records(r.regions);
      for (const l of r.lines) {
        if (l.id) ids.reserve(l.id);
        for (const w of l.words) {
          if (w.id) ids.reserve(w.id);
          for (const g of w.glyphs) if (g.id) ids.reserve(g.id);
        }
      }
    }
  };
  for (const p of allPages(doc)) records(p.regions);
}

/** Output IDs, layout first (references point there), then styles and processing steps. */
function planIds(ids: AltoIds, idOf: Map<object, string>, doc: PageDocument, prepared?: (line: TextLine) => readonly string[] | undefined): void {
  const set = (o: object, id: string | undefined): void => {
    if (id !== undefined) idOf.set(o, id);
  };
  const regions = (rs: readonly Region[]): void => {
    for (const r of rs) {
      set(r, ids.claim(r.id, 'block_', r.kind));
      regions(r.regions);
      for (const l of r.lines) {
        const taken = prepared?.(l);
        if (taken) {
          for (const id of taken) if (!ids.takeAsIs(id)) throw new PreparedLineConflict(`ID "${id}" of a line written on its own is taken before it`);
          continue;
        }
        set(l, ids.claim(l.id, undefined, 'TextLine'));
        for (const w of l.words) {
          set(w, ids.claim(w.id, undefined, 'String'));
          for (const g of w.glyphs) set(g, ids.claim(g.id, undefined, 'Glyph'));
        }
      }
    }
  };
  for (const page of allPages(doc)) {
    const pageId = altoX(page.x)?.attrs?.ID;
    set(page, ids.claim(pageId, 'page_', pageId ? 'Page' : undefined));
    regions(page.regions);
    for (const [, o] of spacesOf({ ...doc, page })) {
      const id = altoX(o?.x)?.attrs?.ID;
      if (o && id) set(o, ids.claim(id, undefined, 'page space'));
    }
  }
  for (const el of sourceRoot(doc, 'Styles').slice(0, 1).flatMap((s) => childElements(s))) {
    if (el.local === 'TextStyle' || el.local === 'ParagraphStyle') set(el, ids.claim(attr(el, 'ID'), el.local === 'ParagraphStyle' ? 'style_' : undefined, `<${el.local}>`));
  }
  for (const n of altoX(doc.metadata.x)?.nodes ?? []) {
    if (isEl(n.node) && (n.node.local === 'OCRProcessing' || n.node.local === 'Processing')) set(n.node, ids.claim(attr(n.node, 'ID'), 'proc_', `<${n.node.local}>`));
  }
}

/** TAGREFS of every region and line, computed before `<Tags>` is written so new tags can join it. */
function planTagrefs(ctx: Ctx, regions: readonly Region[]): void {
  for (const r of regions) {
    ctx.tagrefs.set(r, tagrefsOf(ctx, r, 'block'));
    planTagrefs(ctx, r.regions);
    for (const l of r.lines) ctx.tagrefs.set(l, tagrefsOf(ctx, l, 'line'));
  }
}

function tagrefsOf(ctx: Ctx, rec: Region | TextLine, owner: TagOwner): string | undefined {
  const x = altoX(rec.x);
  if (ctx.keep && same(x, 'custom', rec.custom)) return x!.spelling?.TAGREFS;
  if (!ctx.keep) for (const name of unmappedCustom(rec.custom)) ctx.warnings.add(`custom "${name}" has no ALTO equivalent: dropped`);
  if (ctx.v === '2.0') {
    // ALTO 2.0 has neither Tags nor TAGREFS.
    if (structureOf(rec.custom)) ctx.warnings.add('ALTO 2.0 has no tags: structure types not written');
    return undefined;
  }
  const source = splitRefs(x?.spelling?.TAGREFS);
  const isStructure = (id: string): boolean => {
    const t = ctx.srcTags.get(id);
    return t !== undefined && isStructureTag(t);
  };
  const at = source.findIndex(isStructure);
  let refs = source.filter((id) => !isStructure(id));
  if (!ctx.keep) refs = refs.map((id) => ctx.ids.ref(id)).filter((id): id is string => id !== undefined);
  const s = structureOf(rec.custom) ?? typeAsStructure(ctx, rec);
  if (s) refs.splice(Math.max(at, 0), 0, ctx.tags.idFor(s, owner));
  return refs.length ? refs.join(' ') : undefined;
}

/**
 * A PAGE region @type (heading, paragraph, …) with no SegmOnto type beside it becomes
 * the block's structure tag, as kraken does: TextBlock and GraphicalElement have no TYPE.
 */
function typeAsStructure(ctx: Ctx, rec: Region | TextLine): StructureLabel | undefined {
  if (ctx.keep || rec.kind === 'TextLine' || rec.type === undefined) return undefined;
  const name = blockElement(rec);
  return name === 'Illustration' || name === 'ComposedBlock' ? undefined : parseLabel(rec.type);
}

function sourceRoot(doc: PageDocument, local: string): XmlElement[] {
  if (doc.format.kind !== 'alto') return [];
  const ns = doc.format.namespace;
  return (altoX(doc.x)?.nodes ?? []).map((n) => n.node).filter((n): n is XmlElement => isEl(n, local) && n.uri === ns);
}

// ---------------------------------------------------------------- a same-version write

function writeKept(ctx: Ctx, doc: PageDocument, ns: string, srcTags: XmlElement | undefined): void {
  const { out } = ctx;
  const x = altoX(doc.x);
  for (const n of doc.prolog ?? []) out.node(n);
  const attrs: AttrList = ns ? [['xmlns', ns]] : [];
  for (const [p, uri] of Object.entries(doc.rootNs ?? {})) if (p) attrs.push([`xmlns:${p}`, uri]);
  attrs.push(...residueAttrs(ctx, 'alto', doc.x));
  const h = out.open('alto', attrs);
  const hasDescription = x?.snapshot?.description === true;
  const placer = new Placer(out, withNewTags(ctx, x?.nodes ?? [], srcTags, ns, hasDescription ? 1 : 0));
  if (hasDescription) placer.next();
  if (hasDescription || doc.page.imageFilename) writeKeptDescription(ctx, doc);
  placer.next();
  const layout = x?.kept?.Layout;
  const lh = out.open('Layout', layout ? [...layout.attrs.map((a): [string, string] => [a.name, a.value]), ...nsAttrs(layout)] : []);
  // The source's pages, in their places among Layout's other children, from the model's pages in order.
  const pages = allPages(doc);
  let next = 0;
  for (const c of layout?.children ?? []) {
    if (isEl(c, 'Page') && c.uri === ns) {
      if (next < pages.length) writeAltoPageElement(ctx, { ...doc, page: pages[next]! }, next + 1);
      next++;
    } else if (!(c.type === 'text' && /^\s*$/.test(c.text))) out.node(c);
  }
  for (; next < pages.length; next++) writeAltoPageElement(ctx, { ...doc, page: pages[next]! }, next + 1);
  out.close('Layout', lh);
  placer.end();
  out.close('alto', h);
}

function nsAttrs(el: XmlElement): AttrList {
  return Object.entries(el.nsDecls).filter(([p]) => p).map(([p, uri]) => [`xmlns:${p}`, uri]);
}

/** Root nodes with the OtherTags this write made added to `<Tags>` (a new `<Tags>` before ReadingOrder when there was none). */
function withNewTags(ctx: Ctx, nodes: readonly PlacedNode[], tags: XmlElement | undefined, ns: string, at: number): readonly PlacedNode[] {
  const added = ctx.tags.newTags().map((t) => element('OtherTag', ns, [['ID', t.id], ['LABEL', t.label!], ['DESCRIPTION', t.description ?? '']]));
  if (!added.length) return nodes;
  if (tags) return nodes.map((n) => (n.node === tags ? { ...n, node: { ...tags, children: [...tags.children, ...added] } } : n));
  const i = nodes.findIndex((n) => n.at > at || (n.at === at && isEl(n.node) && (n.node.local === 'ReadingOrder' || n.node.local === 'Layout')));
  const placed: PlacedNode = { at, node: element('Tags', ns, [], added) };
  return i < 0 ? [...nodes, placed] : [...nodes.slice(0, i), placed, ...nodes.slice(i)];
}

function writeKeptDescription(ctx: Ctx, doc: PageDocument): void {
  const { out } = ctx;
  const x = altoX(doc.metadata.x);
  const h = out.open('Description', residueAttrs(ctx, 'Description', doc.metadata.x));
  const placer = new Placer(out, residueNodes(ctx, 'Description', doc.metadata.x));
  const order = (x?.snapshot?.order ?? []) as string[];
  // A Description new to this file needs its one required child.
  if (!x) out.textElement('MeasurementUnit', 'pixel');
  const file = doc.page.imageFilename;
  for (const name of order) {
    placer.next();
    const kept = x!.kept![name]!;
    if (name === 'sourceImageInformation' && !same(x, 'imageFilename', file)) out.node(withFileName(kept, file));
    else out.node(kept);
  }
  if (!order.includes('sourceImageInformation') && file) {
    const sh = out.open('sourceImageInformation', []);
    out.textElement('fileName', file);
    out.close('sourceImageInformation', sh);
  }
  placer.end();
  out.close('Description', h);
}

function withFileName(info: XmlElement, file: string): XmlElement {
  const text: XmlNode[] = [{ type: 'text', text: file }];
  const i = info.children.findIndex((c) => isEl(c, 'fileName'));
  const children = i < 0
    ? [element('fileName', info.uri, [], text), ...info.children]
    : info.children.map((c, j) => (j === i ? { ...(c as XmlElement), children: text } : c));
  return { ...info, children };
}

// ---------------------------------------------------------------- a converting write

function writeConverted(ctx: Ctx, doc: PageDocument, ns: string, now: string): void {
  const { out } = ctx;
  const h = out.open('alto', [['xmlns', ns], ['xmlns:xsi', XSI], ['xsi:schemaLocation', altoSchemaLocation(ctx.v)]]);
  if (doc.format.kind === 'alto') {
    for (const n of altoX(doc.x)?.nodes ?? []) {
      const known = isEl(n.node) && ['Styles', 'Tags', 'ReadingOrder'].includes(n.node.local);
      if (!known && n.node.type === 'element') ctx.warnings.add(`<${n.node.local}> inside <alto> has no place in converted ALTO: dropped`);
    }
  } else residueNodes(ctx, 'alto', doc.x);
  writeDescription(ctx, doc, now);
  const styles = sourceRoot(doc, 'Styles')[0];
  if (styles) writeStyles(ctx, styles);
  writeTags(ctx);
  if (ctx.v >= '4.3') writeReadingOrder(ctx, doc);
  const lh = out.open('Layout', []);
  allPages(doc).forEach((page, i) => writeAltoPageElement(ctx, { ...doc, page }, i + 1));
  out.close('Layout', lh);
  out.close('alto', h);
}

interface Step {
  category?: string;
  date?: string;
  agency?: string;
  descriptions: string[];
  settings?: string;
  software: { creator?: string; name?: string; version?: string; description?: string };
}

function readStep(el: XmlElement): Step {
  const text = (parent: XmlElement, local: string): string | undefined => {
    const c = childElements(parent).find((e) => e.local === local);
    return c && textOf(c);
  };
  const sw = childElements(el).find((e) => e.local === 'processingSoftware');
  return {
    category: text(el, 'processingCategory'), date: text(el, 'processingDateTime'), agency: text(el, 'processingAgency'),
    descriptions: childElements(el).filter((e) => e.local === 'processingStepDescription').map(textOf),
    settings: text(el, 'processingStepSettings'),
    software: sw ? { creator: text(sw, 'softwareCreator'), name: text(sw, 'softwareName'), version: text(sw, 'softwareVersion'), description: text(sw, 'applicationDescription') } : {},
  };
}

/** A processingStepType in schema order; values the schema would refuse are left out. */
function writeStep(ctx: Ctx, name: string, attrs: AttrList, s: Step): void {
  const { out } = ctx;
  const h = out.open(name, attrs);
  if (s.category !== undefined && ctx.v >= '4.1' && PROCESSING_CATEGORY(s.category)) out.textElement('processingCategory', s.category.trim());
  if (s.date !== undefined) {
    if (DATE(s.date)) out.textElement('processingDateTime', s.date.trim());
    else ctx.warnings.add(`processingDateTime "${s.date}" is not an ALTO date: dropped`);
  }
  if (s.agency !== undefined) out.textElement('processingAgency', s.agency);
  for (const d of s.descriptions) out.textElement('processingStepDescription', d);
  if (s.settings !== undefined) out.textElement('processingStepSettings', s.settings);
  const sw = s.software;
  if (sw.creator !== undefined || sw.name !== undefined || sw.version !== undefined || sw.description !== undefined) {
    const sh = out.open('processingSoftware', []);
    if (sw.creator !== undefined) out.textElement('softwareCreator', sw.creator);
    if (sw.name !== undefined) out.textElement('softwareName', sw.name);
    if (sw.version !== undefined) out.textElement('softwareVersion', sw.version);
    if (sw.description !== undefined) out.textElement('applicationDescription', sw.description);
    out.close('processingSoftware', sh);
  }
  out.close(name, h);
}

/** One processing step of its own: `Processing` from ALTO 4, an `OCRProcessing` before. */
function writeProcessing(ctx: Ctx, s: Step): void {
  const id = ctx.ids.fresh('proc_');
  if (ctx.v >= '4') return writeStep(ctx, 'Processing', [['ID', id]], s);
  const h = ctx.out.open('OCRProcessing', [['ID', id]]);
  writeStep(ctx, 'ocrProcessingStep', [], s);
  ctx.out.close('OCRProcessing', h);
}

function writeDescription(ctx: Ctx, doc: PageDocument, now: string): void {
  const { out } = ctx;
  const m = doc.metadata;
  const x = altoX(m.x);
  const h = out.open('Description', []);
  // Coordinates read in another unit were not converted: the unit goes with them.
  const unitEl = x?.kept?.MeasurementUnit;
  const unit = unitEl ? textOf(unitEl).trim() : 'pixel';
  out.textElement('MeasurementUnit', ['pixel', 'mm10', 'inch1200'].includes(unit) ? unit : 'pixel');
  // The image's identifiers (schema order: fileName, fileIdentifier*, documentIdentifier*) go with it.
  const info = x?.kept?.sourceImageInformation;
  const idents = ['fileIdentifier', 'documentIdentifier'].flatMap((n) => (info ? childElements(info).filter((c) => c.local === n) : []));
  if (doc.page.imageFilename || idents.length) {
    const sh = out.open('sourceImageInformation', []);
    if (doc.page.imageFilename) out.textElement('fileName', doc.page.imageFilename);
    for (const c of idents) out.textElement(c.local, textOf(c), [[`${c.local}Location`, attr(c, `${c.local}Location`)]]);
    out.close('sourceImageInformation', sh);
  }
  const steps: Step[] = [];
  if (x) {
    for (const n of x.nodes ?? []) {
      if (!isEl(n.node)) continue;
      const el = n.node;
      const id = ctx.idOf.get(el);
      if (el.local === 'OCRProcessing') {
        const ph = out.open('OCRProcessing', [['ID', id]]);
        // pre*, exactly one ocr, post*: the order the schema wants.
        const parts = childElements(el);
        const ocr = parts.find((c) => c.local === 'ocrProcessingStep') ?? element('ocrProcessingStep', el.uri, []);
        for (const c of [...parts.filter((p) => p.local === 'preProcessingStep'), ocr, ...parts.filter((p) => p.local === 'postProcessingStep')]) {
          writeStep(ctx, c.local, [], readStep(c));
        }
        out.close('OCRProcessing', ph);
      } else if (el.local === 'Processing') steps.push(readStep(el));
      else ctx.warnings.add(`<${el.local}> inside <Description> has no place in converted ALTO: dropped`);
    }
  } else {
    if (m.creator) steps.push({ category: 'contentGeneration', ...(m.created && { date: m.created }), descriptions: [], software: { name: m.creator } });
    if (m.comments !== undefined) ctx.warnings.add('metadata comments have no ALTO equivalent: dropped');
    if (m.items.length || m.userDefined) ctx.warnings.add('metadata items have no ALTO equivalent: dropped');
  }
  for (const s of steps) writeProcessing(ctx, s);
  writeProcessing(ctx, { category: 'other', date: now, descriptions: [`written as ALTO ${ctx.v}`], software: { name: 'HTR Studio' } });
  out.close('Description', h);
}

function writeStyles(ctx: Ctx, styles: XmlElement): void {
  const all = childElements(styles);
  const list = [...all.filter((e) => e.local === 'TextStyle'), ...all.filter((e) => e.local === 'ParagraphStyle')];
  if (!list.length) return;
  const h = ctx.out.open('Styles', []);
  for (const el of list) ctx.out.empty(el.local, [['ID', ctx.idOf.get(el)], ...allowedAttrs(el.local, attrMap(el), ctx.ids, ctx.warnings, ['ID'])]);
  ctx.out.close('Styles', h);
}

function writeTags(ctx: Ctx): void {
  const tags: TagInfo[] = [];
  for (const t of ctx.srcTags.values()) if (t.el && ctx.idOf.has(t.el)) tags.push({ ...t, id: ctx.idOf.get(t.el)!, label: t.label ?? '' });
  tags.push(...ctx.tags.newTags());
  if (!tags.length) return;
  const h = ctx.out.open('Tags', []);
  for (const t of tags) {
    const rest = t.el ? allowedAttrs('Tag', attrMap(t.el), ctx.ids, ctx.warnings, ['ID', 'LABEL']) : [['DESCRIPTION', t.description] as [string, string | undefined]];
    if (t.el && childElements(t.el).length) ctx.warnings.add(`XmlData of an ALTO tag is not carried into converted ALTO: dropped`);
    ctx.out.empty(TAG_ELEMENTS.has(t.element) ? t.element : 'OtherTag', [['ID', t.id], ['LABEL', t.label], ...rest]);
  }
  ctx.out.close('Tags', h);
}

// ---------------------------------------------------------------- reading order

interface OrderNode {
  readonly name: 'OrderedGroup' | 'UnorderedGroup' | 'ElementRef';
  readonly attrs: AttrList;
  readonly children: readonly OrderNode[];
}

function writeOrderNode(ctx: Ctx, n: OrderNode): void {
  if (!n.children.length) return ctx.out.empty(n.name, n.attrs);
  const h = ctx.out.open(n.name, n.attrs);
  for (const c of n.children) writeOrderNode(ctx, c);
  ctx.out.close(n.name, h);
}

/** ALTO's own reading order when read from ALTO, else PAGE's: groups left empty are dropped (the schema wants one child). */
function writeReadingOrder(ctx: Ctx, doc: PageDocument): void {
  const roots: OrderNode[] = [];
  const source = sourceRoot(doc, 'ReadingOrder')[0];
  if (source) {
    for (const g of childElements(source)) {
      const n = fromAltoOrder(ctx, g);
      if (n) roots.push(n);
    }
  } else if (doc.page.readingOrder) {
    const regionIds = new Map<string, string>();
    const walk = (rs: readonly Region[]): void => rs.forEach((r) => {
      const id = ctx.idOf.get(r);
      if (r.id && id && !regionIds.has(r.id)) regionIds.set(r.id, id);
      walk(r.regions);
    });
    walk(doc.page.regions);
    const n = fromPageOrder(ctx, doc.page.readingOrder.root, regionIds);
    if (n) roots.push(n);
  }
  if (!roots.length) return;
  const h = ctx.out.open('ReadingOrder', []);
  for (const n of roots) writeOrderNode(ctx, n);
  ctx.out.close('ReadingOrder', h);
}

function fromAltoOrder(ctx: Ctx, el: XmlElement): OrderNode | undefined {
  if (el.local === 'ElementRef') {
    const ref = ctx.ids.refs(attr(el, 'REF'));
    if (!ref) {
      ctx.warnings.add('reading-order reference to nothing written: dropped');
      return undefined;
    }
    return { name: 'ElementRef', attrs: [['ID', ctx.ids.claim(attr(el, 'ID'), 'o_')], ['REF', ref], ...allowedAttrs('ElementRef', attrMap(el), ctx.ids, ctx.warnings, ['ID', 'REF'])], children: [] };
  }
  if (el.local !== 'OrderedGroup' && el.local !== 'UnorderedGroup') return undefined;
  const children = childElements(el).map((c) => fromAltoOrder(ctx, c)).filter((c): c is OrderNode => c !== undefined);
  if (!children.length) return undefined;
  return { name: el.local, attrs: [['ID', ctx.ids.claim(attr(el, 'ID'), 'og_')], ...allowedAttrs(el.local, attrMap(el), ctx.ids, ctx.warnings, ['ID'])], children };
}

function fromPageOrder(ctx: Ctx, g: OrderGroup, regionIds: ReadonlyMap<string, string>): OrderNode | undefined {
  const items = g.ordered && g.items.every((i) => i.index !== undefined) ? [...g.items].sort((a, b) => a.index! - b.index!) : g.items;
  const children: OrderNode[] = [];
  for (const item of items) {
    if (item.kind === 'group') {
      const n = fromPageOrder(ctx, item, regionIds);
      if (n) children.push(n);
      continue;
    }
    const ref = regionIds.get(item.regionRef);
    if (ref) children.push({ name: 'ElementRef', attrs: [['ID', ctx.ids.fresh('o_')], ['REF', ref]], children: [] });
    else ctx.warnings.add('reading-order reference to nothing written: dropped');
  }
  if (!children.length) return undefined;
  const ref = g.regionRef !== undefined ? regionIds.get(g.regionRef) : undefined;
  return { name: g.ordered ? 'OrderedGroup' : 'UnorderedGroup', attrs: [['ID', ctx.ids.claim(g.id, 'og_')], ['REF', ref]], children };
}
