import type { XmlDocument, XmlElement, XmlNode } from '../xml/xml-node.js';
import type { OnClose, XmlAncestor } from '../xml/xml-parse.js';
import { textOf } from '../xml/xml-node.js';
import { parsePoints } from '../model/points.js';
import {
  REGION_KINDS,
  type AlternativeImage, type Glyph, type Labels, type Metadata, type MetadataItem, type OrderGroup, type OrderItem,
  type Outline, type Page, type PageDocument, type PageVersion, type PlacedNode, type Point, type Points, type ReadingOrder,
  type Region, type RegionKind, type Residue, type Shape, type TableCellRole, type TextEquiv, type TextLine, type TextStyle,
  type UserDefined, type Word,
} from '../model/types.js';
import { FormatError, type Warnings } from './format-error.js';
import { BIG_POINTS_CHARS } from './big-points.js';
import { pageVersionOf } from './page-versions.js';

const REGION_SET: ReadonlySet<string> = new Set(REGION_KINDS);

/** Reading state of one element: typed attributes taken, the rest kept. */
class Reading {
  private known = 0;
  private readonly nodes: PlacedNode[] = [];
  private readonly attrs: Record<string, string> = {};
  private readonly spelling: Record<string, string> = {};
  private snapshot: Record<string, unknown> | undefined;
  private hasAttrs = false;
  private hasSpelling = false;
  readonly typed: Record<string, string> = {};

  constructor(readonly el: XmlElement, typedNames: readonly string[]) {
    for (const a of el.attrs) {
      if (a.uri === '' && typedNames.includes(a.local)) this.typed[a.local] = a.value;
      else {
        this.attrs[a.name] = a.value;
        this.hasAttrs = true;
      }
    }
  }

  num(name: string): number | undefined {
    const v = this.typed[name];
    if (v === undefined) return undefined;
    const n = numberOf(v);
    if (n === undefined) {
      // Not a number: keep the text rather than lose it.
      this.keepAttr(name, v);
      return undefined;
    }
    if (String(n) !== v) {
      this.spelling[name] = v;
      this.hasSpelling = true;
    }
    return n;
  }

  keepAttr(name: string, value: string): void {
    this.attrs[name] = value;
    this.hasAttrs = true;
  }

  /** Source text of a typed attribute whose value could not be read (written back while the field is unchanged). */
  keepSpelling(name: string, value: string): void {
    this.spelling[name] = value;
    this.hasSpelling = true;
  }

  /**
   * A typed field as read from a missing or unreadable attribute: the writer leaves the
   * attribute out (or gives back its spelling) while the field still holds this value.
   */
  readAs(name: string, value: unknown): void {
    (this.snapshot ??= {})[name] = value;
  }

  took(): void {
    this.known++;
  }

  keep(node: XmlNode): void {
    this.nodes.push({ at: this.known, node });
  }

  residue(): Residue | undefined {
    if (!this.hasAttrs && !this.nodes.length && !this.hasSpelling && !this.snapshot) return undefined;
    const r: { -readonly [K in keyof Residue]: Residue[K] } = { format: 'page' };
    if (this.hasAttrs) r.attrs = this.attrs;
    if (this.nodes.length) r.nodes = this.nodes;
    if (this.hasSpelling) r.spelling = this.spelling;
    if (this.snapshot) r.snapshot = this.snapshot;
    return r;
  }
}

interface Ctx {
  readonly ns: string;
  readonly version: PageVersion;
  readonly warnings: Pick<Warnings, 'add'>;
  /** Lines read while the file was parsed (readAhead), by their stand-in element. */
  readonly ahead?: LinesReadAhead;
}

/** Walks an element's children: known PAGE elements go to `on`, everything else is kept in place. */
function eachChild(ctx: Ctx, r: Reading, on: (local: string, el: XmlElement) => boolean): void {
  for (const c of r.el.children) {
    if (c.type === 'text') {
      if (/^\s*$/.test(c.text)) continue;
      r.keep(c);
      continue;
    }
    if (c.type === 'element' && c.uri === ctx.ns && on(c.local, c)) {
      r.took();
      continue;
    }
    r.keep(c);
  }
}

function readShape(ctx: Ctx, el: XmlElement): Shape {
  const r = new Reading(el, ['points', 'conf']);
  let points: readonly Point[] = [];
  const standIn = ctx.ahead?.takePoints(el);
  const text = r.typed.points;
  if (standIn) points = standIn;
  else if (text !== undefined) {
    const parsed = parsePoints(text);
    if (parsed) points = parsed;
    else {
      // Kept verbatim: a same-version write gives it back while the points are not replaced.
      ctx.warnings.add(`unreadable points "${text.slice(0, 40)}" on <${el.local}> (line ${el.line}): kept as they are`);
      r.keepSpelling('points', text);
      r.readAs('points', points);
    }
  }
  const pts: Point[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local !== 'Point') return false;
    const x = Number(c.attrs.find((a) => a.local === 'x')?.value);
    const y = Number(c.attrs.find((a) => a.local === 'y')?.value);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    pts.push({ x, y });
    return true;
  });
  if (pts.length) points = pts;
  if (text === undefined && !pts.length) {
    ctx.warnings.add(`<${el.local}> without points (line ${el.line})`);
    r.readAs('points', points);
  }
  const conf = r.num('conf');
  return { points, ...(conf !== undefined && { conf }), ...withResidue(r) };
}

function withResidue(r: Reading): { x?: Residue } {
  const x = r.residue();
  return x ? { x } : {};
}

function readTextEquiv(ctx: Ctx, el: XmlElement): TextEquiv {
  const r = new Reading(el, ['index', 'conf']);
  let unicode = '';
  let plainText: string | undefined;
  let sawUnicode = false;
  eachChild(ctx, r, (local, c) => {
    if (local === 'Unicode' && !sawUnicode && c.children.every((n) => n.type === 'text')) {
      unicode = textOf(c);
      sawUnicode = true;
      return true;
    }
    if (local === 'PlainText' && plainText === undefined && !sawUnicode && c.children.every((n) => n.type === 'text')) {
      plainText = textOf(c);
      return true;
    }
    return false;
  });
  const index = r.num('index');
  const conf = r.num('conf');
  return {
    unicode,
    ...(plainText !== undefined && { plainText }),
    ...(index !== undefined && { index }),
    ...(conf !== undefined && { conf }),
    ...withResidue(r),
  };
}

function readTextStyle(el: XmlElement): TextStyle {
  const attrs: Record<string, string> = {};
  for (const a of el.attrs) attrs[a.name] = a.value;
  const kept: PlacedNode[] = [];
  for (const c of el.children) if (!(c.type === 'text' && /^\s*$/.test(c.text))) kept.push({ at: 0, node: c });
  return { attrs, ...(kept.length && { x: { format: 'page', nodes: kept } }) };
}

function readUserDefined(ctx: Ctx, el: XmlElement): UserDefined {
  const r = new Reading(el, []);
  const attributes: { name?: string; value?: string; type?: string; description?: string }[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local !== 'UserAttribute' || c.children.some((n) => n.type === 'element')) return false;
    const known = new Set(['name', 'value', 'type', 'description']);
    if (c.attrs.some((a) => a.uri !== '' || !known.has(a.local))) return false;
    const ua: Record<string, string> = {};
    for (const a of c.attrs) ua[a.local] = a.value;
    attributes.push(ua);
    return true;
  });
  return { attributes, ...withResidue(r) };
}

function readLabels(ctx: Ctx, el: XmlElement): Labels {
  const r = new Reading(el, ['externalModel', 'externalId', 'prefix', 'comments']);
  const labels: { value: string; type?: string; comments?: string }[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local !== 'Label' || c.children.some((n) => n.type === 'element')) return false;
    const known = new Set(['value', 'type', 'comments']);
    if (c.attrs.some((a) => a.uri !== '' || !known.has(a.local))) return false;
    const l: Record<string, string> = {};
    for (const a of c.attrs) l[a.local] = a.value;
    labels.push({ value: l.value ?? '', ...(l.type !== undefined && { type: l.type }), ...(l.comments !== undefined && { comments: l.comments }) });
    return true;
  });
  const t = r.typed;
  return {
    labels,
    ...(t.externalModel !== undefined && { externalModel: t.externalModel }),
    ...(t.externalId !== undefined && { externalId: t.externalId }),
    ...(t.prefix !== undefined && { prefix: t.prefix }),
    ...(t.comments !== undefined && { comments: t.comments }),
    ...withResidue(r),
  };
}

function readAlternativeImage(ctx: Ctx, el: XmlElement): AlternativeImage {
  const r = new Reading(el, ['filename', 'comments', 'conf']);
  eachChild(ctx, r, () => false);
  const conf = r.num('conf');
  return {
    filename: r.typed.filename ?? '',
    ...(r.typed.comments !== undefined && { comments: r.typed.comments }),
    ...(conf !== undefined && { conf }),
    ...withResidue(r),
  };
}

interface Common {
  coords?: Shape;
  textEquivs: TextEquiv[];
  textStyle?: TextStyle;
  userDefined?: UserDefined;
  labels: Labels[];
  alternativeImages: AlternativeImage[];
}

/** Children shared by regions, lines, words and glyphs; returns false for others. */
function readCommonChild(ctx: Ctx, into: Common, local: string, el: XmlElement): boolean {
  switch (local) {
    case 'Coords':
      if (into.coords) return false;
      into.coords = readShape(ctx, el);
      return true;
    case 'TextEquiv':
      into.textEquivs.push(readTextEquiv(ctx, el));
      return true;
    case 'TextStyle':
      if (into.textStyle) return false;
      into.textStyle = readTextStyle(el);
      return true;
    case 'UserDefined':
      if (into.userDefined) return false;
      into.userDefined = readUserDefined(ctx, el);
      return true;
    case 'Labels':
      into.labels.push(readLabels(ctx, el));
      return true;
    case 'AlternativeImage':
      into.alternativeImages.push(readAlternativeImage(ctx, el));
      return true;
    default:
      return false;
  }
}

function common(): Common {
  return { textEquivs: [], labels: [], alternativeImages: [] };
}

const TEXT_TYPED = ['id', 'custom', 'comments'];

function readGlyph(ctx: Ctx, el: XmlElement): Glyph {
  const r = new Reading(el, TEXT_TYPED);
  const c = common();
  eachChild(ctx, r, (local, child) => readCommonChild(ctx, c, local, child));
  return { kind: 'Glyph', ...idAndCustom(r), ...c, ...withResidue(r) };
}

function readWord(ctx: Ctx, el: XmlElement): Word {
  const r = new Reading(el, TEXT_TYPED);
  const c = common();
  const glyphs: Glyph[] = [];
  eachChild(ctx, r, (local, child) => {
    if (local === 'Glyph') {
      glyphs.push(readGlyph(ctx, child));
      return true;
    }
    return readCommonChild(ctx, c, local, child);
  });
  return { kind: 'Word', ...idAndCustom(r), ...c, glyphs, ...withResidue(r) };
}

function readLine(ctx: Ctx, el: XmlElement): TextLine {
  const r = new Reading(el, TEXT_TYPED);
  const c = common();
  const words: Word[] = [];
  let baseline: Shape | undefined;
  eachChild(ctx, r, (local, child) => {
    if (local === 'Word') {
      words.push(readWord(ctx, child));
      return true;
    }
    if (local === 'Baseline' && !baseline) {
      baseline = readShape(ctx, child);
      return true;
    }
    return readCommonChild(ctx, c, local, child);
  });
  return { kind: 'TextLine', ...idAndCustom(r), ...c, ...(baseline && { baseline }), words, ...withResidue(r) };
}

function idAndCustom(r: Reading): { id: string; custom?: string; comments?: string } {
  const t = r.typed;
  return {
    id: t.id ?? '',
    ...(t.custom !== undefined && { custom: t.custom }),
    ...(t.comments !== undefined && { comments: t.comments }),
  };
}

function readRoles(ctx: Ctx, el: XmlElement): TableCellRole | undefined {
  const cell = el.children.find((c): c is XmlElement => c.type === 'element' && c.local === 'TableCellRole' && c.uri === ctx.ns);
  const others = el.children.filter((c) => c !== cell && !(c.type === 'text' && /^\s*$/.test(c.text)));
  if (!cell || others.length) return undefined;
  const a: Record<string, string> = {};
  for (const at of cell.attrs) a[at.local] = at.value;
  return tableCellRole(a);
}

function tableCellRole(a: Record<string, string | undefined>): TableCellRole | undefined {
  const rowIndex = Number(a.rowIndex ?? a.row);
  const columnIndex = Number(a.columnIndex ?? a.col);
  if (!Number.isInteger(rowIndex) || !Number.isInteger(columnIndex)) return undefined;
  const rowSpan = a.rowSpan !== undefined ? Number(a.rowSpan) : undefined;
  const colSpan = a.colSpan !== undefined ? Number(a.colSpan) : undefined;
  return {
    rowIndex,
    columnIndex,
    ...(rowSpan !== undefined && Number.isInteger(rowSpan) && { rowSpan }),
    ...(colSpan !== undefined && Number.isInteger(colSpan) && { colSpan }),
    ...(a.header !== undefined && { header: a.header === 'true' || a.header === '1' }),
  };
}

/**
 * Whether a child element `local` (in the PAGE namespace) of a region read as `parent`
 * (or of the Page, `parent` 'Page') is read as a region: the one rule the reader and
 * the read-ahead share. Transkribus' TableCell is a region only inside a TableRegion.
 */
function readsAsRegion(parent: string, local: string): boolean {
  if (local === 'TableCell') return parent === 'TableRegion';
  return REGION_SET.has(local);
}

/** Whether a region of this kind reads its TextLine children as lines. */
function holdsLines(kind: string): boolean {
  return kind === 'TextRegion' || kind === 'TableCell';
}

function readRegion(ctx: Ctx, kind: RegionKind, el: XmlElement): Region {
  // Transkribus' TableCell carries its grid position as row/col attributes.
  const cellAttrs = kind === 'TableCell' ? ['id', 'custom', 'comments', 'type', 'row', 'col', 'rowSpan', 'colSpan'] : ['id', 'custom', 'comments', 'type'];
  const r = new Reading(el, cellAttrs);
  const c = common();
  const regions: Region[] = [];
  const lines: TextLine[] = [];
  let tableCell: TableCellRole | undefined;
  if (kind === 'TableCell') tableCell = tableCellRole(r.typed);
  eachChild(ctx, r, (local, child) => {
    if (readsAsRegion(kind, local)) {
      regions.push(readRegion(ctx, local as RegionKind, child));
      return true;
    }
    if (local === 'TextLine' && holdsLines(kind)) {
      lines.push(ctx.ahead?.take(child, ctx.warnings) ?? readLine(ctx, child));
      return true;
    }
    if (local === 'Roles' && !tableCell) {
      tableCell = readRoles(ctx, child);
      return tableCell !== undefined;
    }
    if (local === 'TextEquiv' && kind !== 'TextRegion' && kind !== 'TableCell') return false;
    return readCommonChild(ctx, c, local, child);
  });
  if (kind === 'TableCell' && !tableCell) {
    // Without a readable row/col the cell attributes must survive as they were.
    for (const n of ['row', 'col', 'rowSpan', 'colSpan']) if (r.typed[n] !== undefined) r.keepAttr(n, r.typed[n]!);
  }
  return {
    kind,
    ...idAndCustom(r),
    ...(r.typed.type !== undefined && { type: r.typed.type }),
    ...(c.coords && { coords: c.coords }),
    alternativeImages: c.alternativeImages,
    ...(c.userDefined && { userDefined: c.userDefined }),
    labels: c.labels,
    ...(tableCell && { tableCell }),
    regions,
    lines,
    textEquivs: c.textEquivs,
    ...(c.textStyle && { textStyle: c.textStyle }),
    ...withResidue(r),
  };
}

const GROUP_NAMES: Readonly<Record<string, { ordered: boolean; indexed: boolean }>> = {
  OrderedGroup: { ordered: true, indexed: false },
  UnorderedGroup: { ordered: false, indexed: false },
  OrderedGroupIndexed: { ordered: true, indexed: true },
  UnorderedGroupIndexed: { ordered: false, indexed: true },
};

function readGroup(ctx: Ctx, el: XmlElement, ordered: boolean): OrderGroup {
  const r = new Reading(el, ['id', 'regionRef', 'caption', 'index']);
  const items: OrderItem[] = [];
  const c = common();
  eachChild(ctx, r, (local, child) => {
    const g = GROUP_NAMES[local];
    if (g && g.indexed === ordered) {
      items.push(readGroup(ctx, child, g.ordered));
      return true;
    }
    if ((local === 'RegionRefIndexed' && ordered) || (local === 'RegionRef' && !ordered)) {
      const rr = new Reading(child, ['regionRef', 'index']);
      eachChild(ctx, rr, () => false);
      const index = rr.num('index');
      items.push({ kind: 'ref', regionRef: rr.typed.regionRef ?? '', ...(index !== undefined && { index }), ...withResidue(rr) });
      return true;
    }
    if (local === 'UserDefined' || local === 'Labels') return readCommonChild(ctx, c, local, child);
    return false;
  });
  const index = r.num('index');
  const t = r.typed;
  return {
    kind: 'group',
    ordered,
    id: t.id ?? '',
    ...(t.regionRef !== undefined && { regionRef: t.regionRef }),
    ...(t.caption !== undefined && { caption: t.caption }),
    ...(index !== undefined && { index }),
    ...(c.userDefined && { userDefined: c.userDefined }),
    labels: c.labels,
    items,
    ...withResidue(r),
  };
}

function readReadingOrder(ctx: Ctx, el: XmlElement): ReadingOrder | undefined {
  const r = new Reading(el, ['conf']);
  let root: OrderGroup | undefined;
  eachChild(ctx, r, (local, child) => {
    if (root || (local !== 'OrderedGroup' && local !== 'UnorderedGroup')) return false;
    root = readGroup(ctx, child, local === 'OrderedGroup');
    return true;
  });
  if (!root) return undefined;
  const conf = r.num('conf');
  return { root, ...(conf !== undefined && { conf }), ...withResidue(r) };
}

function readOutline(ctx: Ctx, el: XmlElement): Outline {
  const r = new Reading(el, []);
  let coords: Shape | undefined;
  eachChild(ctx, r, (local, child) => {
    if (local !== 'Coords' || coords) return false;
    coords = readShape(ctx, child);
    return true;
  });
  return { ...(coords && { coords }), ...withResidue(r) };
}

function readMetadata(ctx: Ctx, el: XmlElement): Metadata {
  const r = new Reading(el, []);
  const m: { creator?: string; created?: string; lastChange?: string; comments?: string } = {};
  const items: MetadataItem[] = [];
  const c = common();
  const simple: Record<string, keyof typeof m> = { Creator: 'creator', Created: 'created', LastChange: 'lastChange', Comments: 'comments' };
  eachChild(ctx, r, (local, child) => {
    const key = simple[local];
    if (key && m[key] === undefined && child.attrs.length === 0 && child.children.every((n) => n.type === 'text')) {
      m[key] = textOf(child);
      return true;
    }
    if (local === 'MetadataItem') {
      const ir = new Reading(child, ['type', 'name', 'value', 'date']);
      const ic = common();
      eachChild(ctx, ir, (l, ch) => (l === 'Labels' ? readCommonChild(ctx, ic, l, ch) : false));
      const t = ir.typed;
      items.push({
        ...(t.type !== undefined && { type: t.type }),
        ...(t.name !== undefined && { name: t.name }),
        ...(t.value !== undefined && { value: t.value }),
        ...(t.date !== undefined && { date: t.date }),
        labels: ic.labels,
        ...withResidue(ir),
      });
      return true;
    }
    if (local === 'UserDefined') return readCommonChild(ctx, c, local, child);
    return false;
  });
  return { ...m, ...(c.userDefined && { userDefined: c.userDefined }), items, ...withResidue(r) };
}

function readPageElement(ctx: Ctx, el: XmlElement): Page {
  const r = new Reading(el, ['imageFilename', 'imageWidth', 'imageHeight']);
  const c = common();
  const regions: Region[] = [];
  let border: Outline | undefined;
  let printSpace: Outline | undefined;
  let readingOrder: ReadingOrder | undefined;
  eachChild(ctx, r, (local, child) => {
    if (readsAsRegion('Page', local)) {
      regions.push(readRegion(ctx, local as RegionKind, child));
      return true;
    }
    if (local === 'Border' && !border) return (border = readOutline(ctx, child)) !== undefined;
    if (local === 'PrintSpace' && !printSpace) return (printSpace = readOutline(ctx, child)) !== undefined;
    if (local === 'ReadingOrder' && !readingOrder) {
      readingOrder = readReadingOrder(ctx, child);
      return readingOrder !== undefined;
    }
    if (local === 'Coords' || local === 'TextEquiv') return false;
    return readCommonChild(ctx, c, local, child);
  });
  const imageWidth = r.num('imageWidth');
  const imageHeight = r.num('imageHeight');
  if (imageWidth === undefined || imageHeight === undefined || imageWidth <= 0 || imageHeight <= 0) {
    throw new FormatError('<Page> has no valid imageWidth/imageHeight: the image size is required to place regions on the page', el.line);
  }
  if (r.typed.imageFilename === undefined) {
    ctx.warnings.add('<Page> has no imageFilename');
    r.readAs('imageFilename', undefined);
  }
  return {
    imageFilename: r.typed.imageFilename ?? '',
    imageWidth,
    imageHeight,
    alternativeImages: c.alternativeImages,
    ...(border && { border }),
    ...(printSpace && { printSpace }),
    ...(readingOrder && { readingOrder }),
    ...(c.textStyle && { textStyle: c.textStyle }),
    ...(c.userDefined && { userDefined: c.userDefined }),
    labels: c.labels,
    regions,
    ...withResidue(r),
  };
}

/** Where a line read ahead sits: the file's PAGE version and namespace, and its depth (PcGts is 0). */
export interface LinePlace {
  readonly version: PageVersion;
  readonly namespace: string;
  readonly depth: number;
  /**
   * The size its <Page> gives, read as readPage reads it (undefined where it is not a
   * number: readPage then refuses the file), for repairs that need it before the page is read.
   */
  readonly imageSize?: { readonly width: number; readonly height: number } | undefined;
}

/** An attribute's text as a number, as Reading.num reads it (undefined: not a number). */
function numberOf(v: string): number | undefined {
  const n = Number(v.trim());
  return !Number.isFinite(n) || v.trim() === '' ? undefined : n;
}

/** A <Page> element's imageWidth / imageHeight as readPageElement reads them (Reading.num). */
function pageImageSize(page: XmlAncestor): LinePlace['imageSize'] {
  const num = (local: string): number | undefined => {
    const a = page.attrs.find((x) => x.uri === '' && x.local === local);
    return a && numberOf(a.value);
  };
  const width = num('imageWidth');
  const height = num('imageHeight');
  return width === undefined || height === undefined ? undefined : { width, height };
}

/**
 * What the model keeps of a line read ahead: the line itself (the default), or a
 * stand-in for a caller that needs less of it than the whole (`info` its counts; the
 * lossless `convert` its text, already written). `warnings`: the reader's, for the line.
 */
export type LineKeeper = (line: TextLine, place: LinePlace, warnings: readonly string[]) => TextLine;

/**
 * What the model keeps of a big outline's points (a region's, Border's or PrintSpace's
 * `points` text of at least BIG_POINTS_CHARS): a stand-in list the keeper will write the
 * text for (BigPoints), or undefined for the points themselves. `place`: the outline's
 * Coords (its depth the Coords' own).
 */
export type PointsKeeper = (text: string, place: LinePlace) => Points | undefined;

/** A line's stand-in for a LineKeeper: its id, nothing else (a new object, to key what the keeper holds of the line). */
export function lineStandIn(line: TextLine): TextLine {
  return { kind: 'TextLine', id: line.id, textEquivs: [], words: [], alternativeImages: [], labels: [] };
}

/**
 * Reads PAGE text lines (with their words and glyphs: the bulk of a big file) as the
 * parser closes them, and hands the parser a stand-in without children, so the
 * tree of a 200 MB file is never held next to its model. Only lines that readPage
 * will certainly read as lines are taken (the same rules, readsAsRegion and
 * holdsLines); anything else stays in the tree as it was, for the residue.
 */
export class LinesReadAhead {
  private readonly lines = new WeakMap<XmlElement, { line: TextLine; warnings: readonly string[] }>();
  private readonly points = new WeakMap<XmlElement, Points>();
  private ctx: Ctx | undefined;
  private size: { page: XmlAncestor; size: LinePlace['imageSize'] } | undefined;

  constructor(private readonly keeper?: LineKeeper, private readonly pointsKeeper?: PointsKeeper) {}

  readonly onClose: OnClose = (el, ancestors) => {
    if (el.local === 'Coords') return this.pointsKeeper && this.bigCoords(el, ancestors);
    if (el.local !== 'TextLine') return undefined;
    const parent = this.regionChain(el, ancestors);
    if (parent === undefined || !holdsLines(parent)) return undefined;
    const ns = el.uri;
    const version = pageVersionOf(ns)!;
    if (this.ctx?.ns !== ns) this.ctx = { ns, version, warnings: { add: () => undefined } };
    const warnings: string[] = [];
    let line = readLine({ ...this.ctx, warnings: { add: (m) => warnings.push(m) } }, el);
    if (this.keeper) line = this.keeper(line, this.place(version, ns, ancestors), warnings);
    const standIn: XmlElement = { ...el, children: [] };
    this.lines.set(standIn, { line, warnings });
    return standIn;
  };

  /**
   * What `el`'s parent is read as where readPage reads `el` (a PAGE element) as a child of a
   * region, or of the first <Page> ('Page'); undefined elsewhere (it stays in the tree).
   */
  private regionChain(el: XmlElement, ancestors: readonly XmlAncestor[]): string | undefined {
    const root = ancestors[0];
    const page = ancestors[1];
    const ns = root?.uri ?? '';
    if (root?.local !== 'PcGts' || el.uri !== ns || page?.local !== 'Page' || page.uri !== ns || ancestors.length < 2) return undefined;
    // Only the first <Page> is read; a second one is kept as it is.
    if (root.children.some((c) => c.type === 'element' && c.local === 'Page' && c.uri === ns)) return undefined;
    if (!pageVersionOf(ns)) return undefined;
    let parent = 'Page';
    for (let i = 2; i < ancestors.length; i++) {
      const a = ancestors[i]!;
      if (a.uri !== ns || !readsAsRegion(parent, a.local)) return undefined;
      parent = a.local;
    }
    return parent;
  }

  private place(version: PageVersion, namespace: string, ancestors: readonly XmlAncestor[]): LinePlace {
    const page = ancestors[1]!;
    if (this.size?.page !== page) this.size = { page, size: pageImageSize(page) };
    return { version, namespace, depth: ancestors.length, imageSize: this.size.size };
  }

  /**
   * A region's, Border's or PrintSpace's outline whose points the keeper stands in for (a
   * big polygon): the element without its points text, the stand-in taken by readShape.
   * Only the Coords readPage reads (the first of its parent, the first Border or PrintSpace).
   */
  private bigCoords(el: XmlElement, ancestors: readonly XmlAncestor[]): XmlElement | undefined {
    const points = el.attrs.find((a) => a.uri === '' && a.local === 'points');
    if (!points || points.value.length < BIG_POINTS_CHARS || el.children.length) return undefined;
    const parent = ancestors[ancestors.length - 1]!;
    const first = (of: XmlAncestor, local: string): boolean => !of.children.some((c) => c.type === 'element' && c.local === local && c.uri === el.uri);
    if (!first(parent, 'Coords')) return undefined;
    if (ancestors.length === 3 && (parent.local === 'Border' || parent.local === 'PrintSpace')) {
      if (this.regionChain(el, ancestors.slice(0, 2)) !== 'Page' || !first(ancestors[1]!, parent.local)) return undefined;
    } else if (ancestors.length < 3 || this.regionChain(el, ancestors) === undefined) {
      return undefined;
    }
    const version = pageVersionOf(el.uri)!;
    const standIn = this.pointsKeeper!(points.value, this.place(version, el.uri, ancestors));
    if (!standIn) return undefined;
    const kept: XmlElement = { ...el, attrs: el.attrs.map((a) => (a === points ? { ...a, value: '' } : a)) };
    this.points.set(kept, standIn);
    return kept;
  }

  /** The keeper's stand-in for the points of this Coords (bigCoords), if it took them. */
  takePoints(el: XmlElement): Points | undefined {
    return this.points.get(el);
  }

  /** The line read ahead for this stand-in, its warnings given now (in reading order). */
  take(el: XmlElement, warnings: Pick<Warnings, 'add'>): TextLine | undefined {
    const got = this.lines.get(el);
    if (!got) return undefined;
    for (const w of got.warnings) warnings.add(w);
    return got.line;
  }
}

/**
 * Maps a parsed PAGE-XML document onto the document model. `ahead`: the read-ahead
 * that parseXml was given (`new LinesReadAhead().onClose`), whose lines are taken as read.
 */
export function readPage(xml: XmlDocument, warnings: Warnings, ahead?: LinesReadAhead): PageDocument {
  const root = xml.root;
  const version = pageVersionOf(root.uri);
  if (root.local !== 'PcGts' || !version) {
    throw new FormatError(
      `not a PAGE-XML file: root element <${root.name}> in namespace "${root.uri || '(none)'}" (expected PcGts in http://schema.primaresearch.org/PAGE/gts/pagecontent/<version>)`,
      root.line,
    );
  }
  if (root.uri.startsWith('https:')) warnings.add(`namespace spelled with https: "${root.uri}"; PAGE schemas use http:`);
  const ctx: Ctx = { ns: root.uri, version, warnings, ...(ahead && { ahead }) };
  const r = new Reading(root, ['pcGtsId']);
  let metadata: Metadata | undefined;
  let page: Page | undefined;
  eachChild(ctx, r, (local, child) => {
    if (local === 'Metadata' && !metadata) return (metadata = readMetadata(ctx, child)) !== undefined;
    if (local === 'Page' && !page) return (page = readPageElement(ctx, child)) !== undefined;
    return false;
  });
  if (!page) throw new FormatError('PAGE-XML file without a <Page> element', root.line);
  return {
    format: { kind: 'page', version, namespace: root.uri },
    ...(r.typed.pcGtsId !== undefined && { pcGtsId: r.typed.pcGtsId }),
    metadata: metadata ?? { items: [] },
    page,
    ...(xml.prolog.length && { prolog: xml.prolog }),
    rootNs: root.nsDecls,
    ...withResidue(r),
  };
}

