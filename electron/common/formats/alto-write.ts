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
import type {
  AltoVersion, OrderGroup, Outline, PageDocument, PlacedNode, Points, Region, Residue, Shape, TextEquiv, TextLine, Word,
} from '../model/types.js';
import { bbox, boxPolygon, fmt } from '../model/points.js';
import type { Warnings } from './format-error.js';
import { altoNamespace, altoSchemaLocation } from './alto-versions.js';
import { ALTO_SPACES, type AltoSpace } from './alto-read.js';
import {
  TagRegistry, TAG_ELEMENTS, isStructureTag, parseLabel, readTags, splitRefs, structureOf, unmappedCustom, type StructureLabel,
  type TagInfo, type TagOwner,
} from './alto-tags.js';
import { AltoIds, DATE, FLOAT, PROCESSING_CATEGORY, UNIT, allowedAttrs } from './alto-schema.js';
import { Placer, XmlOut, spelled, type AttrList } from './xml-out.js';

export interface AltoWriteOptions {
  readonly version: AltoVersion;
  /** Write what the version's XSD accepts (converting); otherwise a same-version write keeps everything. */
  readonly conform: boolean;
  /** ISO timestamp of HTR Studio's processing step (tests pass a fixed one). */
  readonly now?: string;
}

interface Ctx {
  readonly out: XmlOut;
  readonly v: AltoVersion;
  readonly keep: boolean;
  readonly warnings: Warnings;
  readonly ids: AltoIds;
  /** Output IDs of records and of source elements rebuilt by a converting write. */
  readonly idOf: Map<object, string>;
  /** Source tags by source ID, to tell structure references from others. */
  readonly srcTags: ReadonlyMap<string, TagInfo>;
  readonly tags: TagRegistry;
  readonly tagrefs: Map<Region | TextLine, string | undefined>;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const BOX = ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'] as const;

/** The residue of a record when it came from ALTO (other formats' residue cannot be written). */
function altoX(x: Residue | undefined): Residue | undefined {
  return x?.format === 'alto' ? x : undefined;
}

/** True while a typed field holds the very value it was read as. */
function same(x: Residue | undefined, key: string, value: unknown): boolean {
  const s = altoX(x)?.snapshot;
  return s !== undefined && key in s && s[key] === value;
}

function isEl(n: XmlNode, local?: string): n is XmlElement {
  return n.type === 'element' && (local === undefined || n.local === local);
}

function element(local: string, uri: string, attrs: [string, string][], children: XmlNode[] = []): XmlElement {
  return { type: 'element', name: local, local, uri, attrs: attrs.map(([name, value]) => ({ name, local: name, uri: '', value })), nsDecls: {}, children };
}

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
    planIds(ids, idOf, doc);
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
    out: new XmlOut(ns), v: opts.version, keep, warnings, ids, idOf, srcTags,
    tags: new TagRegistry(outTags, (prefix) => ids.fresh(prefix)), tagrefs: new Map(),
  };
  planTagrefs(ctx, doc.page.regions);
  const now = opts.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  ctx.out.parts.push('<?xml version="1.0" encoding="UTF-8"?>');
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
        for (const w of l.words) if (w.id) ids.reserve(w.id);
      }
    }
  };
  records(doc.page.regions);
}

/** Output IDs, layout first (references point there), then styles and processing steps. */
function planIds(ids: AltoIds, idOf: Map<object, string>, doc: PageDocument): void {
  const set = (o: object, id: string | undefined): void => {
    if (id !== undefined) idOf.set(o, id);
  };
  const pageId = altoX(doc.page.x)?.attrs?.ID;
  set(doc.page, ids.claim(pageId, 'page_', pageId ? 'Page' : undefined));
  const regions = (rs: readonly Region[]): void => {
    for (const r of rs) {
      set(r, ids.claim(r.id, 'block_', r.kind));
      regions(r.regions);
      for (const l of r.lines) {
        set(l, ids.claim(l.id, undefined, 'TextLine'));
        for (const w of l.words) set(w, ids.claim(w.id, undefined, 'String'));
      }
    }
  };
  regions(doc.page.regions);
  for (const [, o] of spacesOf(doc)) {
    const id = altoX(o?.x)?.attrs?.ID;
    if (o && id) set(o, ids.claim(id, undefined, 'page space'));
  }
  for (const el of sourceRoot(doc, 'Styles').flatMap((s) => childElements(s))) {
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

// ---------------------------------------------------------------- shared pieces

function sourceRoot(doc: PageDocument, local: string): XmlElement[] {
  if (doc.format.kind !== 'alto') return [];
  const ns = doc.format.namespace;
  return (altoX(doc.x)?.nodes ?? []).map((n) => n.node).filter((n): n is XmlElement => isEl(n, local) && n.uri === ns);
}

/** Page spaces with their outlines: PrintSpace from the model, margins from an ALTO source. */
function spacesOf(doc: PageDocument): [AltoSpace, Outline | undefined][] {
  const margins = (altoX(doc.page.x)?.snapshot?.margins ?? {}) as Partial<Record<AltoSpace, Outline>>;
  return ALTO_SPACES.map((name) => [name, name === 'PrintSpace' ? doc.page.printSpace : margins[name]]);
}

function containerOf(r: Region): AltoSpace {
  const c = altoX(r.x)?.snapshot?.container as AltoSpace | undefined;
  return c ?? 'PrintSpace';
}

function primary(tes: readonly TextEquiv[]): TextEquiv | undefined {
  if (tes.length <= 1) return tes[0];
  return [...tes].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0];
}

function pointsText(pts: Points, sep: string): string {
  return pts.map((p) => fmt(p.x) + sep + fmt(p.y)).join(' ');
}

/** Is the polygon exactly the 4-point box an HPOS/VPOS/WIDTH/HEIGHT reading would give? */
function isBox(pts: Points): boolean {
  const b = bbox(pts);
  if (!b || pts.length !== 4) return false;
  return boxPolygon(b).every((p, i) => p.x === pts[i]!.x && p.y === pts[i]!.y);
}

function boxAttrs(ctx: Ctx, x: Residue | undefined, coords: Shape | undefined): AttrList {
  if (ctx.keep && same(x, 'coords', coords)) return BOX.map((n) => [n, x!.spelling?.[n]]);
  const b = coords && bbox(coords.points);
  if (!b) return [];
  return [['HPOS', fmt(b.minX)], ['VPOS', fmt(b.minY)], ['WIDTH', fmt(b.maxX - b.minX)], ['HEIGHT', fmt(b.maxY - b.minY)]];
}

/**
 * Shape/Polygon. Kept verbatim while the coordinates are unchanged; otherwise written
 * when `always`, when the source had one, or when the box alone would lose the polygon.
 */
function writeShape(ctx: Ctx, x: Residue | undefined, coords: Shape | undefined, always: boolean): void {
  const kept = altoX(x)?.kept?.Shape;
  if (ctx.keep && same(x, 'coords', coords)) {
    if (kept) ctx.out.node(kept);
    return;
  }
  if (!coords?.points.length) return;
  if (!always && !(ctx.keep && kept) && isBox(coords.points)) return;
  const keptPoly = kept && childElements(kept).find((c) => c.local === 'Polygon');
  const keptPoints = keptPoly && attr(keptPoly, 'POINTS');
  const sep = ctx.keep && keptPoints !== undefined && !keptPoints.includes(',') ? ' ' : ',';
  const h = ctx.out.open('Shape', []);
  ctx.out.empty('Polygon', [['POINTS', pointsText(coords.points, sep)]]);
  ctx.out.close('Shape', h);
}

/** Residue attributes: all of them when keeping; when converting, what ALTO 4.4 accepts. */
function residueAttrs(ctx: Ctx, el: string, x: Residue | undefined, skip: readonly string[] = []): AttrList {
  if (!x?.attrs) return [];
  if (x.format !== 'alto') {
    for (const k of Object.keys(x.attrs)) ctx.warnings.add(`${x.format.toUpperCase()} attribute ${k} has no ALTO equivalent: dropped`);
    return [];
  }
  if (ctx.keep) return Object.entries(x.attrs);
  return allowedAttrs(el, x.attrs, ctx.ids, ctx.warnings, skip);
}

/**
 * Kept child nodes: all when keeping; when converting only comments (ALTO residue is
 * rebuilt where it is written: `rebuilt` names those elements, dropped without a word).
 */
function residueNodes(ctx: Ctx, el: string, x: Residue | undefined, rebuilt: readonly string[] = []): readonly PlacedNode[] {
  if (!x?.nodes) return [];
  if (ctx.keep && x.format === 'alto') return x.nodes;
  const out: PlacedNode[] = [];
  for (const n of x.nodes) {
    if (n.node.type === 'comment') out.push(n);
    else if (n.node.type === 'element' && !(x.format === 'alto' && rebuilt.includes(n.node.local))) {
      ctx.warnings.add(`<${n.node.local}> inside <${el}> has no place in converted ALTO: dropped`);
    }
  }
  return out;
}

/** PAGE details ALTO has no place for, reported once per kind. */
function dropPageDetails(ctx: Ctx, what: string, r: { comments?: string; textStyle?: unknown; userDefined?: unknown; labels: readonly unknown[]; alternativeImages: readonly unknown[] }): void {
  if (ctx.keep) return;
  if (r.comments !== undefined) ctx.warnings.add(`comments of a ${what} have no ALTO equivalent: dropped`);
  if (r.textStyle) ctx.warnings.add(`TextStyle of a ${what} has no ALTO equivalent: dropped`);
  if (r.userDefined) ctx.warnings.add(`UserDefined of a ${what} has no ALTO equivalent: dropped`);
  if (r.labels.length) ctx.warnings.add(`Labels of a ${what} have no ALTO equivalent: dropped`);
  if (r.alternativeImages.length) ctx.warnings.add(`AlternativeImage of a ${what} has no ALTO equivalent: dropped`);
}

/** PAGE readingDirection → ALTO BASEDIRECTION, the one region/line attribute with a direct equivalent. */
function baseDirection(ctx: Ctx, x: Residue | undefined): string | undefined {
  if (ctx.keep || x?.format !== 'page') return undefined;
  const d = x.attrs?.readingDirection;
  return d === undefined ? undefined : { 'left-to-right': 'ltr', 'right-to-left': 'rtl', 'top-to-bottom': 'ttb', 'bottom-to-top': 'btt' }[d];
}

function withoutReadingDirection(x: Residue | undefined): Residue | undefined {
  if (x?.format !== 'page' || x.attrs?.readingDirection === undefined) return x;
  const { readingDirection: _d, ...attrs } = x.attrs;
  return { ...x, attrs };
}

/** Names of the attributes a writer sets itself, so residue of the same name cannot repeat them. */
function written(attrs: AttrList): string[] {
  return attrs.filter(([, v]) => v !== undefined).map(([k]) => k);
}

function idAttr(ctx: Ctx, rec: { id: string }): string | undefined {
  return ctx.keep ? rec.id || undefined : ctx.idOf.get(rec);
}

// ---------------------------------------------------------------- layout

function writePage(ctx: Ctx, doc: PageDocument): void {
  const p = doc.page;
  const x = altoX(p.x);
  const attrs: AttrList = ctx.keep
    ? [...residueAttrs(ctx, 'Page', p.x)]
    : [['ID', ctx.idOf.get(p)], ['PHYSICAL_IMG_NR', x?.attrs?.PHYSICAL_IMG_NR !== undefined && FLOAT(x.attrs.PHYSICAL_IMG_NR) ? x.attrs.PHYSICAL_IMG_NR : '1']];
  if (!ctx.keep) attrs.push(...residueAttrs(ctx, 'Page', p.x, ['ID', 'PHYSICAL_IMG_NR']));
  // A size taken from the PrintSpace (no WIDTH/HEIGHT in the source) stays unwritten while unchanged.
  const size = (name: string, key: string, value: number): string | undefined =>
    ctx.keep && same(x, key, value) ? x!.spelling?.[name] : fmt(value);
  attrs.push(['WIDTH', size('WIDTH', 'imageWidth', p.imageWidth)], ['HEIGHT', size('HEIGHT', 'imageHeight', p.imageHeight)]);
  const h = ctx.out.open('Page', attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, 'Page', p.x));
  const order = ctx.keep ? ((x?.snapshot?.order ?? []) as AltoSpace[]) : [];
  const spaces = new Map(spacesOf(doc));
  const byContainer = new Map<AltoSpace, Region[]>();
  for (const r of p.regions) {
    const c = spaces.get(containerOf(r)) !== undefined || containerOf(r) === 'PrintSpace' ? containerOf(r) : 'PrintSpace';
    byContainer.set(c, [...(byContainer.get(c) ?? []), r]);
  }
  for (const name of ALTO_SPACES) {
    const inSource = order.includes(name);
    const outline = spaces.get(name);
    const regions = byContainer.get(name) ?? [];
    if (inSource) placer.next();
    if (!inSource && !outline && !regions.length) continue;
    writeSpace(ctx, name, outline, regions);
  }
  placer.end();
  ctx.out.close('Page', h);
  if (!ctx.keep) {
    if (p.border) ctx.warnings.add('PAGE Border has no ALTO equivalent: dropped');
    dropPageDetails(ctx, 'page', p);
  }
}

function writeSpace(ctx: Ctx, name: AltoSpace, o: Outline | undefined, regions: readonly Region[]): void {
  const attrs: AttrList = ctx.keep ? [] : [['ID', o && ctx.idOf.get(o)]];
  attrs.push(...residueAttrs(ctx, name, o?.x, ['ID']), ...boxAttrs(ctx, o?.x, o?.coords));
  const h = ctx.out.open(name, attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, name, o?.x));
  if (ctx.keep && altoX(o?.x)?.kept?.Shape) placer.next();
  writeShape(ctx, o?.x, o?.coords, false);
  for (const r of regions) {
    placer.next();
    writeBlock(ctx, r);
  }
  placer.end();
  ctx.out.close(name, h);
}

/** The block a region is written as: the source's while it is the same kind, else by kind. */
function blockElement(r: Region): string {
  const s = altoX(r.x)?.snapshot;
  const src = s?.element as string | undefined;
  if (src && s!.kind === r.kind && (src === 'ComposedBlock' || !r.regions.length)) return src;
  if (r.regions.length) return 'ComposedBlock';
  if (r.kind === 'TextRegion' || r.kind === 'TableCell') return 'TextBlock';
  if (r.kind === 'ImageRegion') return 'Illustration';
  return 'GraphicalElement';
}

function writeBlock(ctx: Ctx, r: Region): void {
  const name = blockElement(r);
  const x = altoX(r.x);
  if (!ctx.keep) {
    if (name === 'GraphicalElement' && r.kind !== 'GraphicRegion' && r.kind !== 'SeparatorRegion') {
      ctx.warnings.add(`${r.kind} written as <${name}>: ALTO has no such block`);
    }
    dropPageDetails(ctx, r.kind, r);
    if (r.tableCell) ctx.warnings.add('table cell positions have no ALTO equivalent: dropped');
    const text = primary(r.textEquivs)?.unicode;
    if (text && !r.lines.length) ctx.warnings.add('region text without text lines has no ALTO equivalent: dropped');
  }
  const attrs: AttrList = [['ID', idAttr(ctx, r)], ...boxAttrs(ctx, x, r.coords), ['TAGREFS', ctx.tagrefs.get(r)]];
  if (!ctx.keep && r.type !== undefined) {
    const typed = name === 'Illustration' || name === 'ComposedBlock';
    if (typed) attrs.push(['TYPE', r.type]);
    else if (structureOf(r.custom)) ctx.warnings.add(`region @type beside a structure type has no ALTO equivalent on <${name}>: dropped`);
  } else if (!ctx.keep && name === 'ComposedBlock' && r.kind !== 'TextRegion') attrs.push(['TYPE', r.kind]);
  if (name === 'TextBlock') attrs.push(['BASEDIRECTION', baseDirection(ctx, r.x)]);
  attrs.push(...residueAttrs(ctx, name, withoutReadingDirection(r.x), written(attrs)));
  const h = ctx.out.open(name, attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, name, r.x));
  if (ctx.keep && x?.kept?.Shape) placer.next();
  writeShape(ctx, r.x, r.coords, !ctx.keep);
  if (name === 'TextBlock') {
    for (const l of r.lines) {
      placer.next();
      writeLine(ctx, l);
    }
  } else if (name === 'ComposedBlock') {
    // A composed block holds blocks only: its own lines go into a text block of their own.
    if (r.lines.length) {
      placer.next();
      writeLinesBlock(ctx, r);
    }
    for (const sub of r.regions) {
      placer.next();
      writeBlock(ctx, sub);
    }
  } else if (r.lines.length) ctx.warnings.add(`text lines of a ${r.kind} cannot be written in <${name}>: dropped`);
  placer.end();
  ctx.out.close(name, h);
}

function writeLinesBlock(ctx: Ctx, r: Region): void {
  const id = ctx.keep ? undefined : ctx.ids.fresh(`${ctx.idOf.get(r) ?? 'block'}_lines`);
  const coords = r.coords;
  const h = ctx.out.open('TextBlock', [['ID', id], ...boxAttrs(ctx, undefined, coords)]);
  writeShape(ctx, undefined, coords, !ctx.keep);
  for (const l of r.lines) writeLine(ctx, l);
  ctx.out.close('TextBlock', h);
}

// ---------------------------------------------------------------- lines and strings

function baselineAttr(ctx: Ctx, l: TextLine): string | undefined {
  const x = altoX(l.x);
  if (ctx.keep && same(x, 'baseline', l.baseline)) return x!.spelling?.BASELINE;
  const pts = l.baseline?.points;
  if (!pts?.length) return undefined;
  if (ctx.v < '4.2') {
    // Before 4.2 BASELINE is one number: the height of a horizontal baseline.
    const ys = pts.map((p) => p.y);
    if (Math.max(...ys) !== Math.min(...ys)) ctx.warnings.add(`sloped baseline written as one height: ALTO ${ctx.v} has no baseline points`);
    return fmt(ys.reduce((a, b) => a + b, 0) / ys.length);
  }
  const src = x?.spelling?.BASELINE;
  return pointsText(pts, ctx.keep && src !== undefined && !src.includes(',') ? ' ' : ',');
}

/** HYP elements kept with a line; their CONTENT is the end of the line's text. */
function hyphens(x: Residue | undefined): XmlElement[] {
  return (altoX(x)?.nodes ?? []).map((n) => n.node).filter((n): n is XmlElement => isEl(n, 'HYP'));
}

function writeLine(ctx: Ctx, l: TextLine): void {
  const x = altoX(l.x);
  const hyps = hyphens(x);
  const hyp = hyps.map((e) => attr(e, 'CONTENT') ?? '').join('');
  const lineText = primary(l.textEquivs)?.unicode;
  const wordsText = l.words.map((w) => primary(w.textEquivs)?.unicode ?? '').join(' ') + hyp;
  const asWords = (lineText === undefined || lineText === wordsText) && (l.words.length > 0 || (ctx.keep && !lineText));
  if (!ctx.keep) {
    if (!asWords && l.words.length) ctx.warnings.add('line text differs from its words: written as one String with the whole line text');
    if (primary(l.textEquivs)?.conf !== undefined) ctx.warnings.add('TextLine confidence has no ALTO equivalent: dropped');
    if (l.textEquivs.length > 1) ctx.warnings.add('alternative TextEquivs of a TextLine have no ALTO equivalent: dropped');
    dropPageDetails(ctx, 'TextLine', l);
  }
  const attrs: AttrList = [
    ['ID', idAttr(ctx, l)], ...boxAttrs(ctx, x, l.coords), ['BASELINE', baselineAttr(ctx, l)], ['TAGREFS', ctx.tagrefs.get(l)],
    ['BASEDIRECTION', baseDirection(ctx, l.x)],
  ];
  attrs.push(...residueAttrs(ctx, 'TextLine', withoutReadingDirection(l.x), written(attrs)));
  const h = ctx.out.open('TextLine', attrs);
  // SP and HYP sit between and after the strings they were read with; they only fit those very strings
  // (a converting write, after the repair pass copied every word, goes by their number).
  const read = altoX(l.x)?.snapshot?.words as readonly Word[] | undefined;
  const fits = asWords && (same(x, 'words', l.words) || (!ctx.keep && read?.length === l.words.length));
  const nodes = residueNodes(ctx, 'TextLine', l.x, ['SP', 'HYP']).filter((n) => fits || !(isEl(n.node, 'SP') || isEl(n.node, 'HYP')));
  const placer = new Placer(ctx.out, ctx.keep ? nodes : []);
  if (ctx.keep && x?.kept?.Shape) placer.next();
  writeShape(ctx, l.x, l.coords, !ctx.keep);
  if (asWords) {
    const spaces = ctx.keep ? [] : sourceSpaces(x, fits);
    l.words.forEach((w, i) => {
      placer.next();
      writeString(ctx, w);
      if (!ctx.keep && i < l.words.length - 1) ctx.out.empty('SP', spaces[i] ? allowedAttrs('SP', attrMap(spaces[i]!), ctx.ids, ctx.warnings, ['ID']) : []);
    });
    if (!fits || !ctx.keep) {
      for (const e of hyps) {
        if (attr(e, 'CONTENT') === undefined) continue;
        ctx.out.empty('HYP', ctx.keep ? e.attrs.map((a) => [a.name, a.value]) : allowedAttrs('HYP', attrMap(e), ctx.ids, ctx.warnings));
      }
    }
  } else {
    placer.next();
    const b = l.coords && bbox(l.coords.points);
    const box: AttrList = b ? [['HPOS', fmt(b.minX)], ['VPOS', fmt(b.minY)], ['WIDTH', fmt(b.maxX - b.minX)], ['HEIGHT', fmt(b.maxY - b.minY)]] : [];
    ctx.out.empty('String', [...box, ['CONTENT', lineText ?? '']]);
  }
  placer.end();
  ctx.out.close('TextLine', h);
}

function attrMap(e: XmlElement): Record<string, string> {
  const m: Record<string, string> = {};
  for (const a of e.attrs) m[a.name] = a.value;
  return m;
}

/** The SP after each source string, for a converting write of unchanged words. */
function sourceSpaces(x: Residue | undefined, fits: boolean): (XmlElement | undefined)[] {
  const out: (XmlElement | undefined)[] = [];
  if (!fits || !x?.nodes) return out;
  // Known children are Shape (when kept) and the strings: a node at `at` follows string at - shapes - 1.
  const shapes = x.kept?.Shape ? 1 : 0;
  for (const n of x.nodes) if (isEl(n.node, 'SP') && n.at - shapes >= 1) out[n.at - shapes - 1] ??= n.node;
  return out;
}

function writeString(ctx: Ctx, w: Word): void {
  const x = altoX(w.x);
  const te = primary(w.textEquivs);
  const conf = te?.conf;
  let wc: string | undefined;
  if (ctx.keep && same(x, 'conf', conf)) wc = x!.spelling?.WC;
  else if (conf !== undefined) wc = spelled(x, 'WC', conf);
  if (!ctx.keep) {
    if (wc !== undefined && !UNIT(wc)) wc = undefined;
    if (w.textEquivs.length > 1) ctx.warnings.add('alternative TextEquivs of a Word have no ALTO equivalent: dropped');
    if (w.glyphs.length) ctx.warnings.add('Glyphs of a PAGE Word are not written to ALTO: dropped');
    dropPageDetails(ctx, 'Word', w);
  }
  const attrs: AttrList = [['ID', idAttr(ctx, w)], ...boxAttrs(ctx, x, w.coords), ['CONTENT', te?.unicode ?? (ctx.keep ? undefined : '')], ['WC', wc]];
  attrs.push(...residueAttrs(ctx, 'String', w.x, written(attrs)));
  const h = ctx.out.open('String', attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, 'String', w.x, ['ALTERNATIVE', 'Glyph']).filter(() => ctx.keep));
  if (ctx.keep && x?.kept?.Shape) placer.next();
  if (ctx.v >= '4') writeShape(ctx, w.x, w.coords, false);
  if (!ctx.keep) writeAlternatives(ctx, x);
  placer.end();
  ctx.out.close('String', h);
}

/** ALTERNATIVE spellings of a source string survive a conversion; its Glyphs do not. */
function writeAlternatives(ctx: Ctx, x: Residue | undefined): void {
  for (const n of x?.nodes ?? []) {
    if (!isEl(n.node)) continue;
    if (n.node.local === 'ALTERNATIVE' && n.node.children.every((c) => c.type === 'text')) {
      ctx.out.textElement('ALTERNATIVE', textOf(n.node), allowedAttrs('ALTERNATIVE', attrMap(n.node), ctx.ids, ctx.warnings));
    } else ctx.warnings.add(`<${n.node.local}> inside <String> is not carried into converted ALTO: dropped`);
  }
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
  let pageDone = false;
  for (const c of layout?.children ?? []) {
    if (!pageDone && isEl(c, 'Page') && c.uri === ns) {
      writePage(ctx, doc);
      pageDone = true;
    } else if (!(c.type === 'text' && /^\s*$/.test(c.text))) out.node(c);
  }
  if (!pageDone) writePage(ctx, doc);
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
  for (const s of sourceRoot(doc, 'Styles')) writeStyles(ctx, s);
  writeTags(ctx);
  if (ctx.v >= '4.3') writeReadingOrder(ctx, doc);
  const lh = out.open('Layout', []);
  writePage(ctx, doc);
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
  if (doc.page.imageFilename) {
    const sh = out.open('sourceImageInformation', []);
    out.textElement('fileName', doc.page.imageFilename);
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
