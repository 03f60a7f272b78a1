/**
 * Repairs what real exports get wrong before a conforming write, so the output
 * passes the official schema. Each repair is reported; none is silent.
 */
import type { Glyph, OrderGroup, OrderItem, Outline, PageDocument, Point, Points, Region, Shape, TextLine, Word } from '../model/types.js';
import { bbox, boxPolygon, unionBox, type Box } from '../model/points.js';
import { Warnings } from './format-error.js';
import { IdSet } from '../xml/id-set.js';

/** xs:ID is an NCName: a letter or '_' first, then letters, digits, '.', '-', '_'. */
const NCNAME = /^[\p{L}_][\p{L}\p{N}\p{M}._\u00B7\u203F\u2040-]*$/u;

export function isValidId(id: string): boolean {
  return NCNAME.test(id);
}

interface Ctx {
  readonly w: Warnings;
  readonly width: number;
  readonly height: number;
  readonly used: IdSet;
  /** Old id → new id, for references in the reading order. */
  readonly renamed: Map<string, string>;
  counter: number;
  /** PAGE requires ids on every element; ALTO does not, so missing ones stay missing there. */
  readonly idsRequired: boolean;
  readonly prepared?: RepairOptions['prepared'];
}

export interface RepairOptions {
  /** The target format: 'alto' leaves missing ids missing (ALTO makes them optional). */
  readonly target?: 'page' | 'alto';
  /**
   * A line already repaired on its own (repairLineAlone), where the caller holds it so
   * (a stand-in in the model, the line itself written as it was read): its ids are taken
   * and its warnings given here, in their place; undefined: the line is repaired here.
   */
  readonly prepared?: (line: TextLine) => PreparedLine | undefined;
}

/** What repairLineAlone found: the line repaired (undefined: dropped), its ids, its warnings, for repairForSchema to replay. */
export interface PreparedLine {
  readonly line: TextLine | undefined;
  /** Every id of the line as repaired (its own, its words', its glyphs'), in the order the repair takes them, joined by spaces. */
  readonly ids: string;
  /** Ids the repair changed (not valid xs:IDs, repeated within the line): old and new, for the reading order's references. */
  readonly renamed: ReadonlyArray<readonly [string, string]>;
  /** Its warnings in the order given, each with its count (what Warnings folds them into anyway). */
  readonly warnings: ReadonlyArray<readonly [string, number]>;
  /** The page size it was repaired against. */
  readonly width: number;
  readonly height: number;
}

/**
 * A line repaired on its own cannot stand for what the whole repair would make of it
 * (an id an earlier element took, another page size): the caller repairs the whole document instead.
 */
export class PreparedLineConflict extends Error {
  override name = 'PreparedLineConflict';
}

/**
 * One text line repaired for a PAGE target apart from its document, as repairForSchema
 * repairs it: the same line and warnings, provided (repairForSchema checks it when it
 * replays the line, PreparedLineConflict) that no id the line ends up with is taken before
 * it in the document and the page has this size. An id that is not a valid xs:ID or is
 * repeated within the line is renamed here as it would be there: which name is free is
 * decided by the ids before it, and a name taken there is a conflict. Undefined where an
 * element of the line has no id and the target needs one (a generated id is numbered over
 * the whole document); `opts.target` as repairForSchema's.
 */
export function repairLineAlone(line: TextLine, width: number, height: number, opts: RepairOptions = {}): PreparedLine | undefined {
  const idsRequired = opts.target !== 'alto';
  if (idsRequired && (!line.id || line.words.some((w) => !w.id || w.glyphs.some((g) => !g.id)))) return undefined;
  const warnings = new Warnings();
  const ctx: Ctx = { w: warnings, width, height, used: new IdSet(), renamed: new Map(), counter: 0, idsRequired };
  const repaired = repairLine(ctx, line);
  // The set's order is the order the repair took the ids in.
  return { line: repaired, ids: [...ctx.used].join(' '), renamed: [...ctx.renamed], warnings: warnings.counted(), width, height };
}

/** A prepared line in the whole repair: its ids taken (none may be taken already), its renames noted, its warnings given. */
function replayLine(ctx: Ctx, p: PreparedLine): TextLine | undefined {
  if (p.width !== ctx.width || p.height !== ctx.height) throw new PreparedLineConflict(`a line was repaired for a ${p.width}×${p.height} page, not ${ctx.width}×${ctx.height}`);
  for (const id of p.ids ? p.ids.split(' ') : []) {
    if (ctx.used.has(id)) throw new PreparedLineConflict(`id "${id}" of a line repaired on its own is taken before it`);
    ctx.used.add(id);
  }
  for (const [old, next] of p.renamed) if (!ctx.renamed.has(old)) ctx.renamed.set(old, next);
  for (const [m, n] of p.warnings) for (let i = 0; i < n; i++) ctx.w.add(m);
  return p.line;
}

export function repairForSchema(doc: PageDocument, warnings: Warnings, opts: RepairOptions = {}): PageDocument {
  const page = doc.page;
  const ctx: Ctx = {
    w: warnings, width: page.imageWidth, height: page.imageHeight, used: new IdSet(), renamed: new Map(), counter: 0, idsRequired: opts.target !== 'alto',
    ...(opts.prepared && { prepared: opts.prepared }),
  };
  const regions = page.regions.map((r) => repairRegion(ctx, r)).filter((r): r is Region => r !== undefined);
  const readingOrder = page.readingOrder ? repairReadingOrderRoot(ctx, page.readingOrder.root, regionIds(regions)) : undefined;
  return {
    ...doc,
    page: {
      ...page,
      ...(page.border && { border: repairOutline(ctx, 'Border', page.border) }),
      ...(page.printSpace && { printSpace: repairOutline(ctx, 'PrintSpace', page.printSpace) }),
      ...(page.readingOrder && readingOrder ? { readingOrder: { ...page.readingOrder, root: readingOrder } } : { readingOrder: undefined }),
      regions,
    },
  };
}

function regionIds(regions: readonly Region[], out = new Set<string>()): Set<string> {
  for (const r of regions) {
    out.add(r.id);
    regionIds(r.regions, out);
  }
  return out;
}

/** A unique, valid id: the old one if it is fine, else a repaired one, reported. */
function fixId(ctx: Ctx, id: string, what: string, prefix: string): string {
  let next = id;
  if (!id && !ctx.idsRequired) return id;
  if (!id) {
    next = `${prefix}${++ctx.counter}`;
    ctx.w.add(`${what} without an id: generated ids`);
  } else if (!isValidId(id)) {
    const cleaned = id.replace(/[^\p{L}\p{N}._-]/gu, '_');
    next = /^[\p{L}_]/u.test(cleaned) ? cleaned : `${prefix}${cleaned}`;
    ctx.w.add(`${what} id "${id}" is not a valid xs:ID: renamed to "${next}"`);
  }
  if (ctx.used.has(next)) {
    let n = 2;
    while (ctx.used.has(`${next}_${n}`)) n++;
    ctx.w.add(`duplicate id "${next}": renamed to "${next}_${n}"`);
    next = `${next}_${n}`;
  }
  ctx.used.add(next);
  if (next !== id && id && !ctx.renamed.has(id)) ctx.renamed.set(id, next);
  return next;
}

/** A point on the image: coordinates may lie on its far edge (x = width), where boxes end. */
export function onImage(x: number, y: number, width: number, height: number): boolean {
  return x >= 0 && y >= 0 && x <= width && y <= height;
}

/** A polygon with fewer points encloses nothing: the repair gives it its bounding box. */
export const POLYGON_MIN_POINTS = 3;

function clampPoints(ctx: Ctx, what: string, pts: Points): Points {
  // Most lists need nothing: looked at first, copied only where a point changes (a border
  // of a million points is not copied to be given back as it was).
  let fractional = false;
  let outside = false;
  for (const p of pts) {
    if (!Number.isInteger(p.x) || !Number.isInteger(p.y)) fractional = true;
    if (!onImage(p.x, p.y, ctx.width, ctx.height)) outside = true;
  }
  if (fractional) ctx.w.add(`${what} points with fractions rounded to whole pixels (the schema allows integers only)`);
  if (!fractional && !outside) return pts;
  outside = false;
  const out: Point[] = pts.map((p) => {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    // Coordinates may lie on the image's far edge (x = width): boxes end there.
    const cx = Math.min(Math.max(x, 0), ctx.width);
    const cy = Math.min(Math.max(y, 0), ctx.height);
    if (cx !== x || cy !== y) outside = true;
    return cx === p.x && cy === p.y ? p : { x: cx, y: cy };
  });
  if (outside) ctx.w.add(`${what} points outside the ${ctx.width}×${ctx.height} image moved onto its edge`);
  return out;
}

/** A polygon needs at least two points for the schema and three to enclose anything. */
function repairPolygon(ctx: Ctx, what: string, s: Shape): Shape {
  let pts = clampPoints(ctx, what, s.points);
  if (pts.length < POLYGON_MIN_POINTS) {
    const b = bbox(pts);
    if (b) {
      ctx.w.add(`${what} polygon with ${pts.length} point(s) replaced by its bounding box`);
      pts = boxPolygon({ minX: b.minX, minY: b.minY, maxX: Math.min(b.maxX + (b.maxX === b.minX ? 1 : 0), ctx.width), maxY: Math.min(b.maxY + (b.maxY === b.minY ? 1 : 0), ctx.height) });
    }
  }
  return pts === s.points ? s : { ...s, points: pts };
}

function shapeFromBox(b: Box | undefined): Shape | undefined {
  return b ? { points: boxPolygon(b) } : undefined;
}

/** PAGE's Border and PrintSpace need Coords; ALTO's PrintSpace may go without a position. */
function repairOutline(ctx: Ctx, name: string, o: Outline): Outline | undefined {
  if (!o.coords || o.coords.points.length === 0) {
    if (!ctx.idsRequired) return o;
    ctx.w.add(`${name} without Coords: dropped (PAGE requires them)`);
    return undefined;
  }
  return { ...o, coords: repairPolygon(ctx, name, o.coords) };
}

function repairGlyph(ctx: Ctx, g: Glyph): Glyph | undefined {
  const id = fixId(ctx, g.id, 'Glyph', 'g');
  if (!g.coords || g.coords.points.length === 0) {
    // ALTO's Glyph may go without a position; PAGE's needs Coords.
    if (!ctx.idsRequired) return { ...g, id };
    ctx.w.add('Glyph without Coords: dropped (Coords are required)');
    return undefined;
  }
  return { ...g, id, coords: repairPolygon(ctx, 'Glyph', g.coords) };
}

function repairWord(ctx: Ctx, w: Word): Word | undefined {
  const id = fixId(ctx, w.id, 'Word', 'w');
  const glyphs = w.glyphs.map((g) => repairGlyph(ctx, g)).filter((g): g is Glyph => g !== undefined);
  let coords = w.coords && w.coords.points.length ? w.coords : undefined;
  if (!coords) {
    coords = shapeFromBox(unionBox(glyphs.map((g) => g.coords && bbox(g.coords.points))));
    if (!coords) {
      ctx.w.add('Word without Coords or glyphs: dropped');
      return undefined;
    }
    ctx.w.add('Word without Coords: given the box of its glyphs');
  }
  return { ...w, id, glyphs, coords: repairPolygon(ctx, 'Word', coords) };
}

function repairBaseline(ctx: Ctx, line: TextLine, coords: Shape | undefined): Shape | undefined {
  const b = line.baseline;
  if (!b) return undefined;
  const pts = clampPoints(ctx, 'Baseline', b.points);
  if (pts.length >= 2) return pts === b.points ? b : { ...b, points: pts };
  // kraken and others fail on single-point baselines: draw it across the line at that height.
  const box = coords ? bbox(coords.points) : undefined;
  if (pts.length === 1 && box && box.maxX > box.minX) {
    ctx.w.add('single-point Baseline extended across its line');
    const y = pts[0]!.y;
    return { ...b, points: [{ x: box.minX, y }, { x: box.maxX, y }] };
  }
  ctx.w.add('Baseline with fewer than 2 points dropped');
  return undefined;
}

function repairLine(ctx: Ctx, l: TextLine): TextLine | undefined {
  const id = fixId(ctx, l.id, 'TextLine', 'l');
  const words = l.words.map((w) => repairWord(ctx, w)).filter((w): w is Word => w !== undefined);
  let coords = l.coords && l.coords.points.length ? l.coords : undefined;
  if (!coords) {
    const fromWords = unionBox(words.map((w) => bbox(w.coords!.points)));
    const fromBaseline = l.baseline && l.baseline.points.length >= 2 ? bbox(l.baseline.points) : undefined;
    const box = fromWords ?? (fromBaseline && { ...fromBaseline, minY: Math.max(0, fromBaseline.minY - 30), maxY: fromBaseline.maxY + 10 });
    if (!box) {
      ctx.w.add('TextLine without Coords, words or baseline: dropped');
      return undefined;
    }
    coords = shapeFromBox(box)!;
    ctx.w.add('TextLine without Coords: given a box from its words or baseline');
  }
  coords = repairPolygon(ctx, 'TextLine', coords);
  const baseline = repairBaseline(ctx, l, coords);
  const { baseline: _old, ...rest } = l;
  return { ...rest, id, words, coords, ...(baseline && { baseline }) };
}

function repairRegion(ctx: Ctx, r: Region): Region | undefined {
  const id = fixId(ctx, r.id, r.kind, 'r');
  const regions = r.regions.map((s) => repairRegion(ctx, s)).filter((s): s is Region => s !== undefined);
  const lines = r.lines.map((l) => {
    const p = ctx.prepared?.(l);
    return p ? replayLine(ctx, p) : repairLine(ctx, l);
  }).filter((l): l is TextLine => l !== undefined);
  let coords = r.coords && r.coords.points.length ? r.coords : undefined;
  if (!coords) {
    // eScriptorium puts loose lines in a TextRegion without Coords.
    coords = shapeFromBox(unionBox([...lines.map((l) => bbox(l.coords!.points)), ...regions.map((s) => bbox(s.coords!.points))]));
    if (!coords) {
      ctx.w.add(`${r.kind} without Coords and without content: dropped`);
      return undefined;
    }
    ctx.w.add(`${r.kind} without Coords: given the box of its lines`);
  }
  return { ...r, id, coords: repairPolygon(ctx, r.kind, coords), regions, lines };
}

/**
 * Reading-order references must name existing regions (xs:IDREF); renamed ids follow.
 * Every group needs at least one member, so a group left empty by dropped references
 * goes too, and the reading order with it when nothing is left (undefined).
 */
function repairReadingOrderRoot(ctx: Ctx, root: OrderGroup, ids: ReadonlySet<string>): OrderGroup | undefined {
  const fixGroup = (g: OrderGroup): OrderGroup | undefined => {
    const items: OrderItem[] = [];
    for (const item of g.items) {
      if (item.kind === 'group') {
        const fixed = fixGroup(item);
        if (fixed) items.push(fixed);
        else ctx.w.add(`reading-order group "${item.id}" left without members: dropped`);
        continue;
      }
      const ref = ctx.renamed.get(item.regionRef) ?? item.regionRef;
      if (!ids.has(ref)) {
        ctx.w.add(`reading order refers to missing region "${item.regionRef}": reference dropped`);
        continue;
      }
      items.push(ref === item.regionRef ? item : { ...item, regionRef: ref });
    }
    const regionRef = g.regionRef !== undefined ? ctx.renamed.get(g.regionRef) ?? g.regionRef : undefined;
    const okRef = regionRef === undefined || ids.has(regionRef);
    if (!okRef) ctx.w.add(`reading-order group refers to missing region "${g.regionRef}": reference dropped`);
    if (!items.length) return undefined;
    const { regionRef: _r, ...rest } = g;
    return { ...rest, id: fixId(ctx, g.id, 'reading-order group', 'ro'), ...(okRef && regionRef !== undefined && { regionRef }), items };
  };
  const fixed = fixGroup(root);
  if (!fixed) ctx.w.add('reading order left without members: dropped');
  return fixed;
}
