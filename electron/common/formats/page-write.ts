import type {
  AlternativeImage, Glyph, Labels, Metadata, OrderGroup, Outline, Page, PageDocument, PageVersion, PlacedNode, Points,
  ReadingOrder, Region, RegionKind, Residue, Shape, TextEquiv, TextLine, TextStyle, UserDefined, Word,
} from '../model/types.js';
import { formatPoints, fmt } from '../model/points.js';
import type { Warnings } from './format-error.js';
import { allowedAttributes, isModern, knowsRegion, pageNamespace, pageSchemaLocation, usesPointElements } from './page-versions.js';
import { conformValue } from './page-vocab.js';
import { ALTO_DIRECTIONS } from './alto-versions.js';
import { Placer, XmlOut, spelled, type AttrList } from './xml-out.js';

export interface PageWriteOptions {
  readonly version: PageVersion;
  /**
   * Produce a file the version's XSD accepts: drop what it does not know (with a
   * warning each). Without it, a document written in its source version keeps
   * everything it was read with.
   */
  readonly conform: boolean;
  /** ISO timestamp for LastChange (tests pass a fixed one). */
  readonly now?: string;
  /** Where the text goes in pieces as it is written (writePageXml then returns ''). */
  readonly sink?: (chunk: string) => void;
  /**
   * A line's text as writePageLine wrote it at this depth (with these options), where the
   * caller holds it instead of the line (the lossless `convert` of a big file); undefined:
   * the line is written from the model.
   */
  readonly lineText?: (line: TextLine, depth: number, warnings: Pick<Warnings, 'add'>) => string | undefined;
  /**
   * The `points` text of a big outline the caller kept as text (BigPoints.text), for the
   * stand-in list the model holds in its place; undefined: written from the points.
   */
  readonly pointsText?: (points: Points) => string | undefined;
}

interface Ctx {
  readonly out: XmlOut;
  readonly v: PageVersion;
  /** Keep unknown attributes and elements: a lossless write in the source version. */
  readonly keep: boolean;
  readonly warnings: Pick<Warnings, 'add'>;
  readonly modern: boolean;
  readonly lineText?: PageWriteOptions['lineText'];
  readonly pointsText?: PageWriteOptions['pointsText'];
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Serialises a whole document as PAGE-XML text of the given version (ALTO has writeAlto; writeAltoPageElement is one ALTO <Page>). */
export function writePageXml(doc: PageDocument, opts: PageWriteOptions, warnings: Warnings): string {
  const sameVersion = doc.format.kind === 'page' && doc.format.version === opts.version;
  // A lossless write keeps the source's namespace spelling (even https:); a conforming one uses the schema's.
  const ns = sameVersion && !opts.conform ? doc.format.namespace : pageNamespace(opts.version);
  const out = new XmlOut(ns, opts.sink);
  const ctx: Ctx = { out, v: opts.version, keep: sameVersion && !opts.conform, warnings, modern: isModern(opts.version),
    ...(opts.lineText && { lineText: opts.lineText }), ...(opts.pointsText && { pointsText: opts.pointsText }),
  };
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  if (ctx.keep) for (const n of doc.prolog ?? []) out.node(n);

  const rootAttrs: AttrList = [['xmlns', ns]];
  const declared = new Set(['']);
  if (ctx.keep || doc.format.kind === 'page') {
    for (const [p, uri] of Object.entries(doc.rootNs ?? {})) {
      if (p === '' || declared.has(p)) continue;
      // A prefix bound to the old PAGE namespace would point nowhere useful after conversion.
      if (!ctx.keep && /primaresearch\.org\/PAGE/.test(uri)) continue;
      // Some exports bind xsi to an https: URI, which no schema knows.
      if (!ctx.keep && p === 'xsi' && uri !== XSI) continue;
      rootAttrs.push([`xmlns:${p}`, uri]);
      declared.add(p);
    }
  }
  if (!declared.has('xsi')) rootAttrs.push(['xmlns:xsi', XSI]);
  const x = doc.x?.format === 'page' ? doc.x : undefined;
  if (ctx.keep) {
    // Unchanged: the source's own attributes, schemaLocation included.
    rootAttrs.push(...residueAttrs(ctx, 'PcGts', x));
  } else {
    rootAttrs.push(['xsi:schemaLocation', pageSchemaLocation(opts.version)]);
    // Namespaced root attributes (schemaLocation above all) are rewritten for the target.
    rootAttrs.push(...residueAttrs(ctx, 'PcGts', x).filter(([k]) => !k.includes(':')));
  }
  rootAttrs.push(['pcGtsId', doc.pcGtsId]);
  const h = out.open('PcGts', rootAttrs);
  const placer = new Placer(out, nodesOf(ctx, 'PcGts', x));
  placer.next();
  writeMetadata(ctx, doc.metadata, opts.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
  placer.next();
  writePageElement(ctx, doc.page);
  placer.end();
  out.close('PcGts', h);
  return out.toString();
}

/**
 * One text line as writePageXml writes it at `depth` (PcGts is 0) in a document of this
 * format written with these options: the same text, to the last character, so that a
 * caller may write a line when it is read and hand the text back (PageWriteOptions.lineText).
 */
export function writePageLine(line: TextLine, format: { version: PageVersion; namespace: string }, opts: Pick<PageWriteOptions, 'version' | 'conform'>, depth: number, warnings: Pick<Warnings, 'add'>): string {
  const sameVersion = format.version === opts.version;
  const ns = sameVersion && !opts.conform ? format.namespace : pageNamespace(opts.version);
  const out = new XmlOut(ns, undefined, depth);
  writeLine({ out, v: opts.version, keep: sameVersion && !opts.conform, warnings, modern: isModern(opts.version) }, line);
  return out.toString();
}

/** Residue attributes this write may carry, with a warning for each one dropped. */
function residueAttrs(ctx: Ctx, element: string, x: Residue | undefined): AttrList {
  if (!x) return [];
  if (x.format !== 'page') {
    const out: AttrList = [];
    for (const [k, v] of Object.entries(x.attrs ?? {})) {
      const eq = x.format === 'alto' ? altoEquivalent(element, k, v) : undefined;
      if (eq && allowedAttributes(ctx.v, element)?.has(eq[0]) !== false) {
        const value = vocabularyValue(ctx, element, eq[0], eq[1]);
        if (value !== undefined) out.push([eq[0], value]);
      } else ctx.warnings.add(`${x.format.toUpperCase()} attribute ${k} has no PAGE equivalent: not written`);
    }
    return out;
  }
  if (!x.attrs) return [];
  const out: AttrList = [];
  const allowed = ctx.keep ? null : allowedAttributes(ctx.v, element);
  for (const [k, v] of Object.entries(x.attrs)) {
    if (allowed && !allowed.has(k) && !(element === 'PcGts' && k === 'xsi:schemaLocation')) {
      ctx.warnings.add(`attribute ${k} on <${element}> is not in PAGE ${ctx.v}: dropped`);
      continue;
    }
    const value = vocabularyValue(ctx, element, k, v);
    if (value !== undefined) out.push([k, value]);
  }
  return out;
}

/**
 * The PAGE attribute an ALTO one stands for: LANG (an ISO 639 code, spelled as the
 * version's language name by vocabularyValue) and BASEDIRECTION (ltr → left-to-right).
 */
function altoEquivalent(element: string, name: string, value: string): [string, string] | undefined {
  if (name === 'LANG') return [element === 'Word' ? 'language' : 'primaryLanguage', value];
  if (name === 'BASEDIRECTION') return ['readingDirection', Object.hasOwn(ALTO_DIRECTIONS, value.trim()) ? ALTO_DIRECTIONS[value.trim()]! : value];
  return undefined;
}

/**
 * An enumerated value as the target version spells it (scripts, languages, types
 * change between versions), or undefined where it has no equivalent; each change reported.
 */
function vocabularyValue(ctx: Ctx, element: string, name: string, value: string): string | undefined {
  if (ctx.keep) return value;
  const r = conformValue(ctx.v, element, name, value);
  if (r.action === 'keep') return value;
  ctx.warnings.add(r.message);
  return r.action === 'map' ? r.value : undefined;
}

/** Kept child nodes this write may carry; elements PAGE does not know are dropped when converting. */
function nodesOf(ctx: Ctx, element: string, x: Residue | undefined): readonly PlacedNode[] {
  if (!x?.nodes) return [];
  if (ctx.keep && x.format === 'page') return x.nodes;
  const kept: PlacedNode[] = [];
  for (const n of x.nodes) {
    if (n.node.type === 'comment') kept.push(n);
    else if (n.node.type === 'element') ctx.warnings.add(`<${n.node.local}> inside <${element}> is not part of PAGE ${ctx.v}: dropped`);
    else if (n.node.type === 'text') ctx.warnings.add(`stray text inside <${element}>: dropped`);
  }
  return kept;
}

function writeMetadata(ctx: Ctx, m: Metadata, now: string): void {
  const { out } = ctx;
  const x = m.x;
  const h = out.open('Metadata', residueAttrs(ctx, 'Metadata', x));
  const placer = new Placer(out, nodesOf(ctx, 'Metadata', x));
  const keepSource = ctx.keep;
  if (keepSource ? m.creator !== undefined : true) {
    placer.next();
    out.textElement('Creator', m.creator ?? 'HTR Studio');
  }
  if (keepSource ? m.created !== undefined : true) {
    placer.next();
    out.textElement('Created', m.created ?? m.lastChange ?? now);
  }
  if (keepSource ? m.lastChange !== undefined : true) {
    placer.next();
    out.textElement('LastChange', now);
  }
  if (m.comments !== undefined) {
    placer.next();
    out.textElement('Comments', m.comments);
  }
  if (m.userDefined && (ctx.modern || ctx.keep)) {
    placer.next();
    writeUserDefined(ctx, m.userDefined);
  } else if (m.userDefined) ctx.warnings.add(`<UserDefined> in <Metadata> is not in PAGE ${ctx.v}: dropped`);
  for (const item of m.items) {
    if (!ctx.modern && !ctx.keep) {
      ctx.warnings.add(`<MetadataItem> is not in PAGE ${ctx.v}: dropped`);
      continue;
    }
    placer.next();
    const ih = out.open('MetadataItem', [['type', item.type], ['name', item.name], ['value', item.value], ['date', item.date], ...residueAttrs(ctx, 'MetadataItem', item.x)]);
    const ip = new Placer(out, nodesOf(ctx, 'MetadataItem', item.x));
    for (const l of item.labels) {
      ip.next();
      writeLabels(ctx, l);
    }
    ip.end();
    out.close('MetadataItem', ih);
  }
  placer.end();
  out.close('Metadata', h);
}

/**
 * In a same-version write, a typed field that still holds the value read from a missing
 * or unreadable attribute: the attribute is written as it was, its source text or nothing.
 */
function asRead(ctx: Ctx, x: Residue | undefined, name: string, value: unknown): { text: string | undefined } | undefined {
  const s = x?.format === 'page' ? x.snapshot : undefined;
  if (!ctx.keep || !s || !(name in s) || s[name] !== value) return undefined;
  return { text: x!.spelling?.[name] };
}

function writePageElement(ctx: Ctx, p: Page): void {
  const { out } = ctx;
  const file = p.imageFilename === '' ? asRead(ctx, p.x, 'imageFilename', undefined) : undefined;
  const h = out.open('Page', [
    ['imageFilename', file ? file.text : p.imageFilename],
    ['imageWidth', spelled(p.x, 'imageWidth', p.imageWidth)],
    ['imageHeight', spelled(p.x, 'imageHeight', p.imageHeight)],
    ...residueAttrs(ctx, 'Page', p.x),
  ]);
  const placer = new Placer(out, nodesOf(ctx, 'Page', p.x));
  if (ctx.v !== '2010-03-19' || ctx.keep) writeAlternativeImages(ctx, placer, 'Page', p.alternativeImages);
  if (p.border) {
    placer.next();
    writeOutline(ctx, 'Border', p.border);
  }
  if (p.printSpace) {
    placer.next();
    writeOutline(ctx, 'PrintSpace', p.printSpace);
  }
  if (p.readingOrder) {
    placer.next();
    writeReadingOrder(ctx, p.readingOrder);
  }
  if (ctx.modern || ctx.keep) {
    if (p.textStyle) {
      placer.next();
      writeTextStyle(ctx, p.textStyle);
    }
    if (p.userDefined) {
      placer.next();
      writeUserDefined(ctx, p.userDefined);
    }
    for (const l of p.labels) {
      placer.next();
      writeLabels(ctx, l);
    }
  } else if (p.textStyle || p.userDefined || p.labels.length) {
    ctx.warnings.add(`page-level TextStyle/UserDefined/Labels are not in PAGE ${ctx.v}: dropped`);
  }
  for (const r of p.regions) {
    placer.next();
    writeRegion(ctx, r);
  }
  placer.end();
  out.close('Page', h);
}

function writeAlternativeImages(ctx: Ctx, placer: Placer, where: string, imgs: readonly AlternativeImage[]): void {
  if (!imgs.length) return;
  if (!ctx.keep && !ctx.modern && where !== 'Page') {
    ctx.warnings.add(`<AlternativeImage> inside <${where}> is not in PAGE ${ctx.v}: dropped`);
    return;
  }
  for (const a of imgs) {
    placer.next();
    const h = ctx.out.open('AlternativeImage', [
      ['filename', a.filename],
      ['comments', a.comments],
      ['conf', confAttr(ctx, a.x, a.conf)],
      ...residueAttrs(ctx, 'AlternativeImage', a.x),
    ]);
    writeKeptOnly(ctx, 'AlternativeImage', a.x);
    ctx.out.close('AlternativeImage', h);
  }
}

/** conf exists from 2016 on; older targets drop it. */
function confAttr(ctx: Ctx, x: Residue | undefined, conf: number | undefined): string | undefined {
  if (conf === undefined) return undefined;
  if (!ctx.keep && !ctx.modern) return undefined;
  return spelled(x, 'conf', conf);
}

function writeKeptOnly(ctx: Ctx, element: string, x: Residue | undefined): void {
  const p = new Placer(ctx.out, nodesOf(ctx, element, x));
  p.end();
}

function writeOutline(ctx: Ctx, name: string, o: Outline): void {
  const h = ctx.out.open(name, residueAttrs(ctx, name, o.x));
  const placer = new Placer(ctx.out, nodesOf(ctx, name, o.x));
  if (o.coords) {
    placer.next();
    writeShape(ctx, 'Coords', o.coords);
  }
  placer.end();
  ctx.out.close(name, h);
}

function writeShape(ctx: Ctx, name: 'Coords' | 'Baseline', s: Shape): void {
  const { out } = ctx;
  if (usesPointElements(ctx.v)) {
    const h = out.open(name, residueAttrs(ctx, name, s.x));
    const placer = new Placer(out, nodesOf(ctx, name, s.x));
    for (const p of s.points) {
      placer.next();
      out.empty('Point', [['x', fmt(p.x)], ['y', fmt(p.y)]]);
    }
    placer.end();
    out.close(name, h);
    return;
  }
  const read = asRead(ctx, s.x, 'points', s.points);
  const h = out.open(name, [['points', read ? read.text : ctx.pointsText?.(s.points) ?? formatPoints(s.points)], ['conf', confAttr(ctx, s.x, s.conf)], ...residueAttrs(ctx, name, s.x)]);
  writeKeptOnly(ctx, name, s.x);
  out.close(name, h);
}

function writeTextEquivs(ctx: Ctx, placer: Placer, owner: string, tes: readonly TextEquiv[]): void {
  let list = tes;
  if (!ctx.keep && !ctx.modern && tes.length > 1) {
    // PAGE 2013 allows one TextEquiv: keep the one that ranks first (lowest index).
    const best = [...tes].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0]!;
    ctx.warnings.add(`${tes.length - 1} alternative TextEquiv of a <${owner}> dropped: PAGE ${ctx.v} allows one`);
    list = [best];
  }
  for (const te of list) {
    placer.next();
    const attrs: AttrList = [];
    if (ctx.keep || ctx.modern) attrs.push(['index', spelled(te.x, 'index', te.index)]);
    attrs.push(['conf', spelled(te.x, 'conf', te.conf)]);
    attrs.push(...residueAttrs(ctx, 'TextEquiv', te.x));
    const h = ctx.out.open('TextEquiv', attrs);
    const p = new Placer(ctx.out, nodesOf(ctx, 'TextEquiv', te.x));
    if (te.plainText !== undefined) {
      p.next();
      ctx.out.textElement('PlainText', te.plainText);
    }
    p.next();
    ctx.out.textElement('Unicode', te.unicode);
    p.end();
    ctx.out.close('TextEquiv', h);
  }
}

function writeTextStyle(ctx: Ctx, ts: TextStyle): void {
  const allowed = ctx.keep ? null : allowedAttributes(ctx.v, 'TextStyle');
  const attrs: AttrList = [];
  for (const [k, v] of Object.entries(ts.attrs)) {
    if (allowed && !allowed.has(k)) {
      ctx.warnings.add(`attribute ${k} on <TextStyle> is not in PAGE ${ctx.v}: dropped`);
      continue;
    }
    attrs.push([k, vocabularyValue(ctx, 'TextStyle', k, v)]);
  }
  const h = ctx.out.open('TextStyle', attrs);
  writeKeptOnly(ctx, 'TextStyle', ts.x);
  ctx.out.close('TextStyle', h);
}

function writeUserDefined(ctx: Ctx, ud: UserDefined): void {
  const h = ctx.out.open('UserDefined', residueAttrs(ctx, 'UserDefined', ud.x));
  const p = new Placer(ctx.out, nodesOf(ctx, 'UserDefined', ud.x));
  for (const a of ud.attributes) {
    p.next();
    ctx.out.empty('UserAttribute', [['name', a.name], ['description', a.description], ['type', a.type], ['value', a.value]]);
  }
  p.end();
  ctx.out.close('UserDefined', h);
}

function writeLabels(ctx: Ctx, l: Labels): void {
  const h = ctx.out.open('Labels', [
    ['externalModel', l.externalModel],
    ['externalId', l.externalId],
    ['prefix', l.prefix],
    ['comments', l.comments],
    ...residueAttrs(ctx, 'Labels', l.x),
  ]);
  const p = new Placer(ctx.out, nodesOf(ctx, 'Labels', l.x));
  for (const lab of l.labels) {
    p.next();
    ctx.out.empty('Label', [['value', lab.value], ['type', lab.type], ['comments', lab.comments]]);
  }
  p.end();
  ctx.out.close('Labels', h);
}

/** UserDefined and Labels of lines, words and glyphs (PAGE 2016+). */
function writeExtras(ctx: Ctx, placer: Placer, owner: string, ud: UserDefined | undefined, labels: readonly Labels[]): void {
  if (!ctx.keep && !ctx.modern) {
    if (ud || labels.length) ctx.warnings.add(`UserDefined/Labels of <${owner}> are not in PAGE ${ctx.v}: dropped`);
    return;
  }
  if (ud) {
    placer.next();
    writeUserDefined(ctx, ud);
  }
  for (const l of labels) {
    placer.next();
    writeLabels(ctx, l);
  }
}

function writeGlyph(ctx: Ctx, g: Glyph): void {
  const h = ctx.out.open('Glyph', [['id', g.id || undefined], ['custom', g.custom], ['comments', g.comments], ...residueAttrs(ctx, 'Glyph', g.x)]);
  const placer = new Placer(ctx.out, nodesOf(ctx, 'Glyph', g.x));
  writeAlternativeImages(ctx, placer, 'Glyph', g.alternativeImages);
  if (g.coords) {
    placer.next();
    writeShape(ctx, 'Coords', g.coords);
  }
  writeTextEquivs(ctx, placer, 'Glyph', g.textEquivs);
  if (g.textStyle) {
    placer.next();
    writeTextStyle(ctx, g.textStyle);
  }
  writeExtras(ctx, placer, 'Glyph', g.userDefined, g.labels);
  placer.end();
  ctx.out.close('Glyph', h);
}

function writeWord(ctx: Ctx, w: Word): void {
  const h = ctx.out.open('Word', [['id', w.id || undefined], ['custom', w.custom], ['comments', w.comments], ...residueAttrs(ctx, 'Word', w.x)]);
  const placer = new Placer(ctx.out, nodesOf(ctx, 'Word', w.x));
  writeAlternativeImages(ctx, placer, 'Word', w.alternativeImages);
  if (w.coords) {
    placer.next();
    writeShape(ctx, 'Coords', w.coords);
  }
  for (const g of w.glyphs) {
    placer.next();
    writeGlyph(ctx, g);
  }
  writeTextEquivs(ctx, placer, 'Word', w.textEquivs);
  if (w.textStyle) {
    placer.next();
    writeTextStyle(ctx, w.textStyle);
  }
  writeExtras(ctx, placer, 'Word', w.userDefined, w.labels);
  placer.end();
  ctx.out.close('Word', h);
}

function writeLine(ctx: Ctx, l: TextLine): void {
  const h = ctx.out.open('TextLine', [['id', l.id || undefined], ['custom', l.custom], ['comments', l.comments], ...residueAttrs(ctx, 'TextLine', l.x)]);
  const placer = new Placer(ctx.out, nodesOf(ctx, 'TextLine', l.x));
  writeAlternativeImages(ctx, placer, 'TextLine', l.alternativeImages);
  if (l.coords) {
    placer.next();
    writeShape(ctx, 'Coords', l.coords);
  }
  if (l.baseline) {
    if (ctx.v === '2010-03-19' && !ctx.keep) ctx.warnings.add('PAGE 2010 has no Baseline: baselines dropped');
    else {
      placer.next();
      writeShape(ctx, 'Baseline', l.baseline);
    }
  }
  for (const w of l.words) {
    placer.next();
    writeWord(ctx, w);
  }
  writeTextEquivs(ctx, placer, 'TextLine', l.textEquivs);
  if (l.textStyle) {
    placer.next();
    writeTextStyle(ctx, l.textStyle);
  }
  writeExtras(ctx, placer, 'TextLine', l.userDefined, l.labels);
  placer.end();
  ctx.out.close('TextLine', h);
}

/** The element a region is written as in this version, with the custom tag that records what it was. */
function regionElement(ctx: Ctx, r: Region): { name: RegionKind; custom?: string } {
  if (ctx.keep || knowsRegion(ctx.v, r.kind)) return { name: r.kind, ...(r.custom !== undefined && { custom: r.custom }) };
  if (r.kind === 'TableCell') {
    if (ctx.modern) return { name: 'TextRegion', ...(r.custom !== undefined && { custom: r.custom }) };
    const cell = r.tableCell ? ` tableCell {row:${r.tableCell.rowIndex};col:${r.tableCell.columnIndex};}` : '';
    ctx.warnings.add(`TableCell written as TextRegion (PAGE ${ctx.v} has no table cells); row/col kept in @custom`);
    return { name: 'TextRegion', custom: ((r.custom ?? '') + cell).trim() };
  }
  ctx.warnings.add(`${r.kind} is not in PAGE ${ctx.v}: written as UnknownRegion`);
  return { name: 'UnknownRegion', ...(r.custom !== undefined && { custom: r.custom }) };
}

function writeRegion(ctx: Ctx, r: Region): void {
  const { out } = ctx;
  const el = regionElement(ctx, r);
  const name = el.name;
  const attrs: AttrList = [['id', r.id || undefined], ['custom', el.custom], ['comments', r.comments]];
  if (r.type !== undefined) {
    const allowed = ctx.keep ? null : allowedAttributes(ctx.v, name);
    if (!allowed || allowed.has('type')) attrs.push(['type', vocabularyValue(ctx, name, 'type', r.type)]);
    else ctx.warnings.add(`attribute type on <${name}> is not in PAGE ${ctx.v}: dropped`);
  }
  if (r.kind === 'TableCell' && name === 'TableCell' && r.tableCell) {
    attrs.push(['row', String(r.tableCell.rowIndex)], ['col', String(r.tableCell.columnIndex)]);
    attrs.push(['rowSpan', r.tableCell.rowSpan?.toString()], ['colSpan', r.tableCell.colSpan?.toString()]);
  }
  attrs.push(...residueAttrs(ctx, name, r.x));
  const h = out.open(name, attrs);
  const placer = new Placer(out, nodesOf(ctx, name, r.x));
  writeAlternativeImages(ctx, placer, name, r.alternativeImages);
  if (r.coords) {
    placer.next();
    writeShape(ctx, 'Coords', r.coords);
  }
  writeExtrasRegion(ctx, placer, name, r);
  for (const sub of r.regions) {
    placer.next();
    writeRegion(ctx, sub);
  }
  const text = name === 'TextRegion' || name === 'TableCell';
  if (!text && (r.lines.length || r.textEquivs.length)) ctx.warnings.add(`text lines of a ${r.kind} cannot be written in a ${name}: dropped`);
  if (text) {
    for (const l of r.lines) {
      placer.next();
      const written = ctx.lineText?.(l, out.level, ctx.warnings);
      if (written !== undefined) out.raw(written);
      else writeLine(ctx, l);
    }
    writeTextEquivs(ctx, placer, name, r.textEquivs);
    if (r.textStyle) {
      placer.next();
      writeTextStyle(ctx, r.textStyle);
    }
  }
  placer.end();
  out.close(name, h);
}

/** UserDefined, Labels and Roles sit between Coords and nested regions in RegionType. */
function writeExtrasRegion(ctx: Ctx, placer: Placer, name: string, r: Region): void {
  writeExtras(ctx, placer, name, r.userDefined, r.labels);
  if (!r.tableCell || name === 'TableCell') return;
  if (!ctx.keep && !ctx.modern) return;
  placer.next();
  const h = ctx.out.open('Roles', []);
  const c = r.tableCell;
  ctx.out.empty('TableCellRole', [
    ['rowIndex', String(c.rowIndex)],
    ['columnIndex', String(c.columnIndex)],
    ['rowSpan', c.rowSpan?.toString()],
    ['colSpan', c.colSpan?.toString()],
    ['header', c.header === undefined ? undefined : String(c.header)],
  ]);
  ctx.out.close('Roles', h);
}

function writeReadingOrder(ctx: Ctx, ro: ReadingOrder): void {
  const h = ctx.out.open('ReadingOrder', [['conf', confAttr(ctx, ro.x, ro.conf)], ...residueAttrs(ctx, 'ReadingOrder', ro.x)]);
  const placer = new Placer(ctx.out, nodesOf(ctx, 'ReadingOrder', ro.x));
  placer.next();
  writeGroup(ctx, ro.root, false, 0);
  placer.end();
  ctx.out.close('ReadingOrder', h);
}

function writeGroup(ctx: Ctx, g: OrderGroup, indexed: boolean, position: number): void {
  const name = (g.ordered ? 'OrderedGroup' : 'UnorderedGroup') + (indexed ? 'Indexed' : '');
  const attrs: AttrList = [['id', g.id]];
  if (ctx.keep || ctx.modern) attrs.push(['regionRef', g.regionRef]);
  if (indexed) attrs.push(['index', g.index !== undefined ? spelled(g.x, 'index', g.index) : String(position)]);
  attrs.push(['caption', g.caption], ...residueAttrs(ctx, name, g.x));
  const h = ctx.out.open(name, attrs);
  const placer = new Placer(ctx.out, nodesOf(ctx, name, g.x));
  writeExtras(ctx, placer, name, g.userDefined, g.labels);
  g.items.forEach((item, i) => {
    placer.next();
    if (item.kind === 'group') writeGroup(ctx, item, g.ordered, i);
    else if (g.ordered) {
      ctx.out.empty('RegionRefIndexed', [['index', item.index !== undefined ? spelled(item.x, 'index', item.index) : String(i)], ['regionRef', item.regionRef], ...residueAttrs(ctx, 'RegionRefIndexed', item.x)]);
    } else ctx.out.empty('RegionRef', [['regionRef', item.regionRef], ...residueAttrs(ctx, 'RegionRef', item.x)]);
  });
  placer.end();
  ctx.out.close(name, h);
}
