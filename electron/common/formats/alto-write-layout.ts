/**
 * The page of an ALTO write: page spaces, blocks, lines and strings, and the helpers
 * both write modes share (see alto-write.ts for the modes). Typed fields are written
 * from the model; a keeping write reuses the source text of a field while it holds the
 * value it was read as (`same`), a converting write recomputes everything.
 */
import type { XmlElement, XmlNode } from '../xml/xml-node.js';
import { attr, childElements, textOf } from '../xml/xml-node.js';
import type { AltoVersion, Glyph, Outline, PageDocument, PlacedNode, Points, Region, Residue, Shape, TextEquiv, TextLine, Word } from '../model/types.js';
import { bbox, boxPolygon, fmt } from '../model/points.js';
import type { Warnings } from './format-error.js';
import { ALTO_SPACES, type AltoSpace } from './alto-read.js';
import { ALTO_DIRECTIONS, altoNamespace } from './alto-versions.js';
import { languageCodeOf } from './language-codes.js';
import { TagRegistry, formatLabel, structureOf, type TagInfo } from './alto-tags.js';
import { AltoIds, FLOAT, UNIT, allowedAttrs } from './alto-schema.js';
import { Placer, XmlOut, spelled, type AttrList } from './xml-out.js';

export interface Ctx {
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
  /** AltoWriteOptions.lineText. */
  readonly lineText?: AltoLineText;
  /** AltoWriteOptions.pointsText. */
  readonly pointsText?: (points: Points) => string | undefined;
}

/**
 * A line's text as writeAltoLine wrote it at this depth, its TAGREFS now `tagrefs`, where
 * the caller holds it instead of the line (`convert --to alto-4` of a big PAGE file);
 * undefined: the line is written from the model.
 */
export type AltoLineText = (line: TextLine, depth: number, warnings: Warnings, tagrefs: string | undefined) => string | undefined;

/**
 * One text line of a PAGE document, repaired for ALTO (repairForSchema), as a converting
 * writeAlto of version `v` writes it at `depth` (alto is 0) where its ids (its own, its
 * words', its glyphs') are written as they are and its TAGREFS are `tagrefs`: the same
 * text, to the last character, and the same warnings.
 */
export function writeAltoLine(line: TextLine, v: AltoVersion, depth: number, tagrefs: string | undefined, warnings: Warnings): string {
  const idOf = new Map<object, string>();
  const own = (o: { id: string }): void => void (o.id && idOf.set(o, o.id));
  own(line);
  for (const w of line.words) {
    own(w);
    w.glyphs.forEach(own);
  }
  const ids = new AltoIds(warnings);
  const ctx: Ctx = {
    out: new XmlOut(altoNamespace(v), undefined, depth), v, keep: false, warnings, ids, idOf, srcTags: new Map(),
    tags: new TagRegistry(new Map(), (prefix) => ids.fresh(prefix)), tagrefs: new Map([[line, tagrefs]]),
  };
  writeLine(ctx, line);
  return ctx.out.toString();
}

/** A line of a block: the caller's text for it (Ctx.lineText), else written from the model. */
function writeBlockLine(ctx: Ctx, l: TextLine): void {
  const text = ctx.lineText?.(l, ctx.out.level, ctx.warnings, ctx.tagrefs.get(l));
  if (text !== undefined) ctx.out.raw(text);
  else writeLine(ctx, l);
}

const BOX = ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'] as const;

/** The residue of a record when it came from ALTO (other formats' residue cannot be written). */
export function altoX(x: Residue | undefined): Residue | undefined {
  return x?.format === 'alto' ? x : undefined;
}

/** True while a typed field holds the very value it was read as. */
export function same(x: Residue | undefined, key: string, value: unknown): boolean {
  const s = altoX(x)?.snapshot;
  return s !== undefined && key in s && s[key] === value;
}

export function isEl(n: XmlNode, local?: string): n is XmlElement {
  return n.type === 'element' && (local === undefined || n.local === local);
}

export function element(local: string, uri: string, attrs: [string, string][], children: XmlNode[] = []): XmlElement {
  return { type: 'element', name: local, local, uri, attrs: attrs.map(([name, value]) => ({ name, local: name, uri: '', value })), nsDecls: {}, children };
}

// ---------------------------------------------------------------- shared pieces

/** Page spaces with their outlines: PrintSpace from the model, margins from an ALTO source. */
export function spacesOf(doc: PageDocument): [AltoSpace, Outline | undefined][] {
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
  // A big outline kept as text: never the box that stands in for it.
  const big = ctx.pointsText?.(coords.points);
  if (big !== undefined) {
    const h = ctx.out.open('Shape', []);
    ctx.out.empty('Polygon', [['POINTS', big]]);
    ctx.out.close('Shape', h);
    return;
  }
  if (!always && !(ctx.keep && kept) && isBox(coords.points)) return;
  const keptPoly = kept && childElements(kept).find((c) => c.local === 'Polygon');
  const keptPoints = keptPoly && attr(keptPoly, 'POINTS');
  const sep = ctx.keep && keptPoints !== undefined && !keptPoints.includes(',') ? ' ' : ',';
  const h = ctx.out.open('Shape', []);
  ctx.out.empty('Polygon', [['POINTS', pointsText(coords.points, sep)]]);
  ctx.out.close('Shape', h);
}

/** Residue attributes: all of them when keeping; when converting, what ALTO 4.4 accepts. */
export function residueAttrs(ctx: Ctx, el: string, x: Residue | undefined, skip: readonly string[] = []): AttrList {
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
export function residueNodes(ctx: Ctx, el: string, x: Residue | undefined, rebuilt: readonly string[] = []): readonly PlacedNode[] {
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
  return d === undefined ? undefined : Object.keys(ALTO_DIRECTIONS).find((k) => ALTO_DIRECTIONS[k] === d);
}

/** PAGE language (a name from its list) → ALTO LANG (an ISO 639 code), the name's shortest code. */
function altoLang(ctx: Ctx, x: Residue | undefined, name: 'primaryLanguage' | 'language'): string | undefined {
  if (ctx.keep || x?.format !== 'page') return undefined;
  const value = x.attrs?.[name];
  if (value === undefined) return undefined;
  const code = languageCodeOf(value) ?? (/^[a-z]{2,3}$/.test(value) ? value : undefined);
  if (code === undefined) ctx.warnings.add(`PAGE ${name}="${value}" has no ISO 639 code for ALTO LANG: dropped`);
  return code;
}

/** PAGE residue less the attributes written as their ALTO equivalents (BASEDIRECTION, LANG). */
function withoutMapped(x: Residue | undefined, names: readonly string[]): Residue | undefined {
  if (x?.format !== 'page' || !x.attrs) return x;
  return { ...x, attrs: Object.fromEntries(Object.entries(x.attrs).filter(([k]) => !names.includes(k))) };
}

/** Names of the attributes a writer sets itself, so residue of the same name cannot repeat them. */
function written(attrs: AttrList): string[] {
  return attrs.filter(([, v]) => v !== undefined).map(([k]) => k);
}

function idAttr(ctx: Ctx, rec: { id: string }): string | undefined {
  return ctx.keep ? rec.id || undefined : ctx.idOf.get(rec);
}

// ---------------------------------------------------------------- layout

/** Writes `doc.page` as one ALTO <Page> element of the Layout; `nr` is its place in the file (1 for the first), the PHYSICAL_IMG_NR a converting write gives a page without one. */
export function writeAltoPageElement(ctx: Ctx, doc: PageDocument, nr = 1): void {
  const p = doc.page;
  const x = altoX(p.x);
  const attrs: AttrList = ctx.keep
    ? [...residueAttrs(ctx, 'Page', p.x)]
    : [['ID', ctx.idOf.get(p)], ['PHYSICAL_IMG_NR', x?.attrs?.PHYSICAL_IMG_NR !== undefined && FLOAT(x.attrs.PHYSICAL_IMG_NR) ? x.attrs.PHYSICAL_IMG_NR : String(nr)]];
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
    const from = containerOf(r);
    const c = from === 'PrintSpace' || spaces.get(from) ? from : 'PrintSpace';
    const list = byContainer.get(c);
    if (list) list.push(r);
    else byContainer.set(c, [r]);
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
export function blockElement(r: Region): string {
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
    else {
      const s = structureOf(r.custom);
      if (s && formatLabel(s) !== r.type) ctx.warnings.add(`region @type beside another structure type has no ALTO equivalent on <${name}>: dropped`);
    }
  } else if (!ctx.keep && name === 'ComposedBlock' && r.kind !== 'TextRegion') attrs.push(['TYPE', r.kind]);
  if (name === 'TextBlock') attrs.push(['BASEDIRECTION', baseDirection(ctx, r.x)], ['LANG', altoLang(ctx, r.x, 'primaryLanguage')]);
  attrs.push(...residueAttrs(ctx, name, withoutMapped(r.x, name === 'TextBlock' ? ['readingDirection', 'primaryLanguage'] : ['readingDirection']), written(attrs)));
  const h = ctx.out.open(name, attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, name, r.x));
  if (ctx.keep && x?.kept?.Shape) placer.next();
  writeShape(ctx, r.x, r.coords, !ctx.keep);
  if (name === 'TextBlock') {
    for (const l of r.lines) {
      placer.next();
      writeBlockLine(ctx, l);
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
  for (const l of r.lines) writeBlockLine(ctx, l);
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
    // bbox loops (Math.max(...ys) would overflow the stack on a baseline of millions of points).
    const box = bbox(pts)!;
    if (box.maxY !== box.minY) ctx.warnings.add(`sloped baseline written as one height: ALTO ${ctx.v} has no baseline points`);
    let sum = 0;
    for (const p of pts) sum += p.y;
    return fmt(sum / pts.length);
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
    ['BASEDIRECTION', baseDirection(ctx, l.x)], ['LANG', altoLang(ctx, l.x, 'primaryLanguage')],
  ];
  attrs.push(...residueAttrs(ctx, 'TextLine', withoutMapped(l.x, ['readingDirection', 'primaryLanguage']), written(attrs)));
  const h = ctx.out.open('TextLine', attrs);
  // SP and HYP sit between and after the strings they were read with. They still fit while the words
  // match those strings one to one (edits and the repair pass copy words); their positions only while
  // no word moved.
  const read = altoX(l.x)?.snapshot?.words as readonly Word[] | undefined;
  const fits = asWords && read !== undefined && read.length === l.words.length;
  const moved = !fits || l.words.some((w, i) => w.coords !== read![i]!.coords);
  const placed = (e: XmlElement): XmlElement => (moved ? { ...e, attrs: e.attrs.filter((a) => !(BOX as readonly string[]).includes(a.name)) } : e);
  const spacing = (n: XmlNode): boolean => isEl(n, 'SP') || isEl(n, 'HYP');
  const nodes = residueNodes(ctx, 'TextLine', l.x, ['SP', 'HYP'])
    .filter((n) => fits || !spacing(n.node))
    .map((n) => (spacing(n.node) ? { ...n, node: placed(n.node as XmlElement) } : n));
  const placer = new Placer(ctx.out, ctx.keep ? nodes : []);
  if (ctx.keep && x?.kept?.Shape) placer.next();
  writeShape(ctx, l.x, l.coords, !ctx.keep);
  if (asWords) {
    const spaces = ctx.keep ? [] : sourceSpaces(x, fits);
    l.words.forEach((w, i) => {
      placer.next();
      writeString(ctx, w);
      const sp = spaces[i];
      if (!ctx.keep && i < l.words.length - 1) ctx.out.empty('SP', sp ? allowedAttrs('SP', attrMap(placed(sp)), ctx.ids, ctx.warnings, ['ID']) : []);
    });
    // A hyphen is part of the line's text: without its place among the nodes it goes last.
    if (!fits || !ctx.keep) {
      for (const e of hyps.map(placed)) {
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

export function attrMap(e: XmlElement): Record<string, string> {
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
    dropPageDetails(ctx, 'Word', w);
  }
  const attrs: AttrList = [
    ['ID', idAttr(ctx, w)], ...boxAttrs(ctx, x, w.coords), ['CONTENT', te?.unicode ?? (ctx.keep ? undefined : '')], ['WC', wc],
    ['LANG', altoLang(ctx, w.x, 'language')],
  ];
  attrs.push(...residueAttrs(ctx, 'String', withoutMapped(w.x, ['language']), written(attrs)));
  const h = ctx.out.open('String', attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, 'String', w.x, ['ALTERNATIVE', 'Glyph']).filter(() => ctx.keep));
  if (ctx.keep && x?.kept?.Shape) placer.next();
  if (ctx.v >= '4') writeShape(ctx, w.x, w.coords, false);
  if (!ctx.keep) writeAlternatives(ctx, x);
  // Glyph exists from ALTO 4.0 on (after Shape and ALTERNATIVE).
  if (ctx.v >= '4') {
    for (const g of w.glyphs) {
      placer.next();
      writeGlyph(ctx, g);
    }
  } else if (w.glyphs.length && !ctx.keep) ctx.warnings.add(`Glyphs have no place in ALTO ${ctx.v} (they came with ALTO 4.0): dropped`);
  placer.end();
  ctx.out.close('String', h);
}

/** ALTO's CONTENT of a Glyph holds exactly one character, a Variant's at most three. */
const chars = (s: string): number => [...s].length;

/**
 * A Glyph: its first-ranked TextEquiv is CONTENT and GC, the others Variants (CONTENT, VC).
 * A keeping write gives back the source's text and Variant elements while the TextEquivs are unchanged.
 */
function writeGlyph(ctx: Ctx, g: Glyph): void {
  const x = altoX(g.x);
  const ranked = [...g.textEquivs].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const [te, ...variants] = ranked;
  const unchanged = ctx.keep && same(x, 'textEquivs', g.textEquivs);
  let content: string | undefined;
  let gc: string | undefined;
  if (unchanged) {
    content = x!.spelling?.CONTENT;
    gc = x!.spelling?.GC;
  } else {
    content = te?.unicode;
    gc = te?.conf !== undefined ? spelled(x, 'GC', te.conf) : undefined;
  }
  if (!ctx.keep) {
    // CONTENT is required and one character long: a glyph the schema cannot take is left out.
    if (content === undefined || chars(content) !== 1) {
      ctx.warnings.add(`Glyph with text ${JSON.stringify(content ?? '')} (ALTO wants exactly one character): dropped`);
      return;
    }
    if (gc !== undefined && !UNIT(gc)) gc = undefined;
    dropPageDetails(ctx, 'Glyph', g);
  }
  const attrs: AttrList = [['ID', idAttr(ctx, g)], ...boxAttrs(ctx, x, g.coords), ['CONTENT', content], ['GC', gc]];
  attrs.push(...residueAttrs(ctx, 'Glyph', g.x, written(attrs)));
  const h = ctx.out.open('Glyph', attrs);
  const placer = new Placer(ctx.out, residueNodes(ctx, 'Glyph', g.x));
  if (ctx.keep && x?.kept?.Shape) placer.next();
  writeShape(ctx, g.x, g.coords, false);
  if (unchanged) {
    for (const v of (x!.snapshot!.variants ?? []) as XmlElement[]) {
      placer.next();
      ctx.out.node(v);
    }
  } else {
    for (const v of variants) {
      if (!ctx.keep && chars(v.unicode) > 3) {
        ctx.warnings.add(`Glyph alternative ${JSON.stringify(v.unicode)} longer than ALTO's three characters for a Variant: dropped`);
        continue;
      }
      const vc = v.conf !== undefined && UNIT(String(v.conf)) ? fmt(v.conf) : undefined;
      placer.next();
      ctx.out.empty('Variant', [['CONTENT', v.unicode], ['VC', vc]]);
    }
  }
  placer.end();
  ctx.out.close('Glyph', h);
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

