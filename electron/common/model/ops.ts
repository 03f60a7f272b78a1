/**
 * Pure edits of the document model. Each takes a document and returns a new one,
 * sharing what did not change (so undo is keeping the old document, and writers
 * see untouched parts by identity and keep their source spelling).
 */
import type { OrderGroup, PageDocument, Point, Region, RegionKind, Shape, TextEquiv, TextLine, Word } from './types.js';
import { bbox, pointInPolygon } from './points.js';
import { clipPolygonX, convexHull, polylineYAt } from './geometry.js';
import { withStructureType } from './custom-attr.js';
import { lineText, mainTextEquiv } from './stats.js';
import { shiftCustomTags } from './custom-tags.js';

export class EditError extends Error {
  override name = 'EditError';
}

// ---- finding and replacing ------------------------------------------------

function mapRegions(regions: readonly Region[], fn: (r: Region) => Region): Region[] {
  let changed = false;
  const out = regions.map((r) => {
    const nested = r.regions.length ? mapRegions(r.regions, fn) : r.regions;
    const base = nested === r.regions ? r : { ...r, regions: nested };
    const next = fn(base);
    if (next !== r) changed = true;
    return next;
  });
  return changed ? out : (regions as Region[]);
}

function withRegions(doc: PageDocument, regions: readonly Region[]): PageDocument {
  return regions === doc.page.regions ? doc : { ...doc, page: { ...doc.page, regions } };
}

export function findRegion(doc: PageDocument, id: string): Region | undefined {
  const walk = (rs: readonly Region[]): Region | undefined => {
    for (const r of rs) {
      if (r.id === id) return r;
      const sub = walk(r.regions);
      if (sub) return sub;
    }
    return undefined;
  };
  return walk(doc.page.regions);
}

export function findLine(doc: PageDocument, id: string): { line: TextLine; region: Region } | undefined {
  const walk = (rs: readonly Region[]): { line: TextLine; region: Region } | undefined => {
    for (const r of rs) {
      const line = r.lines.find((l) => l.id === id);
      if (line) return { line, region: r };
      const sub = walk(r.regions);
      if (sub) return sub;
    }
    return undefined;
  };
  return walk(doc.page.regions);
}

export function updateRegion(doc: PageDocument, id: string, fn: (r: Region) => Region): PageDocument {
  if (!findRegion(doc, id)) throw new EditError(`no region "${id}"`);
  return withRegions(doc, mapRegions(doc.page.regions, (r) => (r.id === id ? fn(r) : r)));
}

export function updateLine(doc: PageDocument, id: string, fn: (l: TextLine) => TextLine): PageDocument {
  const hit = findLine(doc, id);
  if (!hit) throw new EditError(`no line "${id}"`);
  return updateRegion(doc, hit.region.id, (r) => ({ ...r, lines: r.lines.map((l) => (l.id === id ? fn(l) : l)) }));
}

/** Every id used on the page. */
export function allIds(doc: PageDocument): Set<string> {
  const ids = new Set<string>();
  const walk = (rs: readonly Region[]): void => {
    for (const r of rs) {
      ids.add(r.id);
      for (const l of r.lines) {
        ids.add(l.id);
        for (const w of l.words) {
          ids.add(w.id);
          for (const g of w.glyphs) ids.add(g.id);
        }
      }
      walk(r.regions);
    }
  };
  walk(doc.page.regions);
  return ids;
}

export function newId(doc: PageDocument, prefix: string, taken: Set<string> = allIds(doc)): string {
  let n = taken.size + 1;
  while (taken.has(`${prefix}${n}`)) n++;
  const id = `${prefix}${n}`;
  taken.add(id);
  return id;
}

// ---- points -----------------------------------------------------------------

/** Which polyline of which element: a region's or line's Coords, or a line's Baseline. */
export interface ShapeRef {
  readonly id: string;
  readonly shape: 'coords' | 'baseline';
}

function updateShape(doc: PageDocument, ref: ShapeRef, fn: (pts: readonly Point[]) => Point[]): PageDocument {
  const apply = (s: Shape | undefined): Shape => ({ ...(s ?? {}), points: fn(s?.points ?? []) });
  if (findLine(doc, ref.id)) {
    return updateLine(doc, ref.id, (l) => (ref.shape === 'baseline' ? { ...l, baseline: apply(l.baseline) } : { ...l, coords: apply(l.coords) }));
  }
  if (ref.shape === 'baseline') throw new EditError(`"${ref.id}" is not a line: only lines have baselines`);
  return updateRegion(doc, ref.id, (r) => ({ ...r, coords: apply(r.coords) }));
}

function checkIndex(pts: readonly Point[], i: number, end = pts.length - 1): void {
  if (!Number.isInteger(i) || i < 0 || i > end) throw new EditError(`point index ${i} out of range 0…${end}`);
}

export function movePoint(doc: PageDocument, ref: ShapeRef, index: number, to: Point): PageDocument {
  return updateShape(doc, ref, (pts) => {
    checkIndex(pts, index);
    return pts.map((p, i) => (i === index ? { x: to.x, y: to.y } : p));
  });
}

/** Inserts a point before `index` (index = length appends). */
export function insertPoint(doc: PageDocument, ref: ShapeRef, index: number, p: Point): PageDocument {
  return updateShape(doc, ref, (pts) => {
    checkIndex(pts, index, pts.length);
    return [...pts.slice(0, index), { x: p.x, y: p.y }, ...pts.slice(index)];
  });
}

export function deletePoint(doc: PageDocument, ref: ShapeRef, index: number): PageDocument {
  return updateShape(doc, ref, (pts) => {
    checkIndex(pts, index);
    const min = ref.shape === 'baseline' ? 2 : 3;
    if (pts.length <= min) throw new EditError(`a ${ref.shape === 'baseline' ? 'baseline' : 'polygon'} needs at least ${min} points`);
    return pts.filter((_, i) => i !== index);
  });
}

/** Moves whole regions or lines (with everything inside them) by dx, dy. */
export function translate(doc: PageDocument, ids: readonly string[], dx: number, dy: number): PageDocument {
  const shift = (s: Shape | undefined): Shape | undefined => (s ? { ...s, points: s.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) } : s);
  const shiftWord = (w: Word): Word => ({ ...w, coords: shift(w.coords), glyphs: w.glyphs.map((g) => ({ ...g, coords: shift(g.coords) })) });
  const shiftLine = (l: TextLine): TextLine => ({ ...l, coords: shift(l.coords), baseline: shift(l.baseline), words: l.words.map(shiftWord) });
  const shiftRegion = (r: Region): Region => ({ ...r, coords: shift(r.coords), lines: r.lines.map(shiftLine), regions: r.regions.map(shiftRegion) });
  const want = new Set(ids);
  let out = doc;
  for (const id of want) {
    if (findLine(out, id)) out = updateLine(out, id, shiftLine);
    else out = updateRegion(out, id, shiftRegion);
  }
  return out;
}

// ---- text -------------------------------------------------------------------

/**
 * Sets a line's transcription (its main TextEquiv, see mainTextEquiv); a person's
 * text carries no model confidence. Text tags in its `custom` attribute move with the
 * edit (custom-tags.ts); `dropped` collects those whose characters are gone.
 */
export function setLineText(doc: PageDocument, lineId: string, text: string, conf?: number, dropped?: string[]): PageDocument {
  const edited = updateLine(doc, lineId, (l) => {
    const i = mainTextEquiv(l);
    const { conf: _c, plainText: _p, ...rest } = i >= 0 ? l.textEquivs[i]! : { unicode: '' };
    const te: TextEquiv = { ...rest, unicode: text, ...(conf !== undefined && { conf }) };
    const tags = shiftCustomTags(l.custom, lineText(l), text);
    dropped?.push(...tags.dropped);
    const { custom: _old, ...line } = l;
    return { ...line, ...(tags.custom !== undefined && { custom: tags.custom }), textEquivs: i >= 0 ? l.textEquivs.map((t, k) => (k === i ? te : t)) : [te] };
  });
  // A region's own text (Transkribus writes one: its lines joined) follows its lines, or it would keep the old text.
  const region = findLine(edited, lineId)!.region;
  const r = mainTextEquiv(region);
  if (r < 0) return edited;
  const { conf: _c, plainText: _p, ...rest } = region.textEquivs[r]!;
  const joined: TextEquiv = { ...rest, unicode: region.lines.map(lineText).join('\n') };
  return updateRegion(edited, region.id, (g) => ({ ...g, textEquivs: g.textEquivs.map((t, k) => (k === r ? joined : t)) }));
}

// ---- lines ------------------------------------------------------------------

/**
 * Splits a line at image x: polygon and baseline are cut there, words go by
 * their centre, and the text is cut at the space nearest to the same proportion
 * (or at `textAt` characters when given).
 */
export function splitLine(doc: PageDocument, lineId: string, x: number, newLineId?: string, textAt?: number): PageDocument {
  const hit = findLine(doc, lineId);
  if (!hit) throw new EditError(`no line "${lineId}"`);
  const l = hit.line;
  const box = bbox(l.coords?.points ?? l.baseline?.points ?? []);
  if (!box || x <= box.minX || x >= box.maxX) throw new EditError(`x=${x} is not inside line "${lineId}"`);
  const id = newLineId ?? newId(doc, `${lineId}_`);
  const cut = (s: Shape | undefined, side: 'left' | 'right'): Shape | undefined =>
    s ? { ...(s.conf !== undefined && { conf: s.conf }), points: clipPolygonX(s.points, x, side) } : undefined;
  const cutBaseline = (side: 'left' | 'right'): Shape | undefined => {
    if (!l.baseline) return undefined;
    const y = polylineYAt(l.baseline.points, x);
    const kept = l.baseline.points.filter((p) => (side === 'left' ? p.x < x : p.x > x));
    const pts = side === 'left' ? [...kept, { x, y }] : [{ x, y }, ...kept];
    return { points: pts };
  };
  const text = lineText(l);
  let at = textAt ?? Math.round(((x - box.minX) / (box.maxX - box.minX)) * text.length);
  if (textAt === undefined) {
    // Prefer a word boundary near the proportional position.
    let best = -1;
    for (let i = 0; i <= text.length; i++) if (text[i] === ' ' && (best < 0 || Math.abs(i - at) < Math.abs(best - at))) best = i;
    if (best >= 0) at = best;
  }
  const centre = (w: Word): number => {
    const b = bbox(w.coords?.points ?? []);
    return b ? (b.minX + b.maxX) / 2 : 0;
  };
  const left: TextLine = {
    ...l,
    coords: cut(l.coords, 'left'),
    baseline: cutBaseline('left'),
    words: l.words.filter((w) => centre(w) < x),
    textEquivs: text || l.textEquivs.length ? [{ unicode: text.slice(0, at).trimEnd() }] : [],
  };
  const right: TextLine = {
    kind: 'TextLine',
    id,
    ...(l.custom !== undefined && { custom: l.custom }),
    coords: cut(l.coords, 'right'),
    baseline: cutBaseline('right'),
    words: l.words.filter((w) => centre(w) >= x),
    textEquivs: text || l.textEquivs.length ? [{ unicode: text.slice(at).trimStart() }] : [],
    labels: [],
    alternativeImages: [],
  };
  return updateRegion(doc, hit.region.id, (r) => {
    const i = r.lines.findIndex((ln) => ln.id === lineId);
    return { ...r, lines: [...r.lines.slice(0, i), left, right, ...r.lines.slice(i + 1)] };
  });
}

/** Merges lines (in the given order) into the first: outline hull, baselines joined, text joined by a space. */
export function mergeLines(doc: PageDocument, lineIds: readonly string[]): PageDocument {
  if (lineIds.length < 2) throw new EditError('merging needs at least two lines');
  const hits = lineIds.map((id) => {
    const h = findLine(doc, id);
    if (!h) throw new EditError(`no line "${id}"`);
    return h;
  });
  const lines = hits.map((h) => h.line);
  const first = lines[0]!;
  const coordsPts = lines.flatMap((l) => l.coords?.points ?? []);
  const basePts = lines.flatMap((l) => l.baseline?.points ?? []).sort((a, b) => a.x - b.x);
  const text = lines.map(lineText).filter((t) => t !== '').join(' ');
  const merged: TextLine = {
    ...first,
    coords: coordsPts.length ? { points: convexHull(coordsPts) } : undefined,
    baseline: basePts.length >= 2 ? { points: basePts } : first.baseline,
    words: lines.flatMap((l) => l.words),
    textEquivs: [{ unicode: text }],
  };
  const drop = new Set(lineIds.slice(1));
  let out = updateLine(doc, first.id, () => merged);
  for (const h of hits.slice(1)) out = updateRegion(out, findLine(out, h.line.id)!.region.id, (r) => ({ ...r, lines: r.lines.filter((l) => !drop.has(l.id)) }));
  return out;
}

export function addLine(doc: PageDocument, regionId: string, line: Omit<TextLine, 'kind' | 'labels' | 'alternativeImages' | 'words' | 'textEquivs'> & Partial<TextLine>, index?: number): PageDocument {
  if (allIds(doc).has(line.id)) throw new EditError(`id "${line.id}" is already used`);
  const full: TextLine = { kind: 'TextLine', words: [], textEquivs: [], labels: [], alternativeImages: [], ...line };
  return updateRegion(doc, regionId, (r) => {
    if (r.kind !== 'TextRegion' && r.kind !== 'TableCell') throw new EditError(`a ${r.kind} cannot hold text lines`);
    const i = index ?? r.lines.length;
    return { ...r, lines: [...r.lines.slice(0, i), full, ...r.lines.slice(i)] };
  });
}

/** Moves a line to another region (at `index`, default last). */
export function moveLineToRegion(doc: PageDocument, lineId: string, regionId: string, index?: number): PageDocument {
  const hit = findLine(doc, lineId);
  if (!hit) throw new EditError(`no line "${lineId}"`);
  if (hit.region.id === regionId && index === undefined) return doc;
  const removed = updateRegion(doc, hit.region.id, (r) => ({ ...r, lines: r.lines.filter((l) => l.id !== lineId) }));
  return updateRegion(removed, regionId, (r) => {
    if (r.kind !== 'TextRegion' && r.kind !== 'TableCell') throw new EditError(`a ${r.kind} cannot hold text lines`);
    const i = index ?? r.lines.length;
    return { ...r, lines: [...r.lines.slice(0, i), hit.line, ...r.lines.slice(i)] };
  });
}

/** Puts a region's lines in the given order (every line named once). */
export function reorderLines(doc: PageDocument, regionId: string, lineIds: readonly string[]): PageDocument {
  return updateRegion(doc, regionId, (r) => {
    if (lineIds.length !== r.lines.length || new Set(lineIds).size !== lineIds.length) throw new EditError('reorderLines needs every line of the region exactly once');
    return { ...r, lines: lineIds.map((id) => r.lines.find((l) => l.id === id) ?? fail(`line "${id}" is not in region "${regionId}"`)) };
  });
}

function fail(msg: string): never {
  throw new EditError(msg);
}

// ---- regions ----------------------------------------------------------------

export function addRegion(doc: PageDocument, region: Partial<Region> & Pick<Region, 'kind' | 'id' | 'coords'>, index?: number): PageDocument {
  if (allIds(doc).has(region.id)) throw new EditError(`id "${region.id}" is already used`);
  const full: Region = { alternativeImages: [], labels: [], regions: [], lines: [], textEquivs: [], ...region };
  const rs = doc.page.regions;
  const i = index ?? rs.length;
  const withRo = doc.page.readingOrder ? appendToReadingOrder(doc.page.readingOrder.root, full.id) : undefined;
  return {
    ...doc,
    page: { ...doc.page, regions: [...rs.slice(0, i), full, ...rs.slice(i)], ...(withRo && { readingOrder: { ...doc.page.readingOrder!, root: withRo } }) },
  };
}

function appendToReadingOrder(root: OrderGroup, id: string): OrderGroup {
  const index = root.ordered ? Math.max(-1, ...root.items.map((i) => i.index ?? -1)) + 1 : undefined;
  return { ...root, items: [...root.items, { kind: 'ref', regionRef: id, ...(index !== undefined && { index }) }] };
}

/** Deletes regions, lines, words or glyphs by id; reading-order references to deleted regions go too. */
export function deleteElements(doc: PageDocument, ids: readonly string[]): PageDocument {
  const gone = new Set(ids);
  const prune = (rs: readonly Region[]): Region[] =>
    rs
      .filter((r) => !gone.has(r.id))
      .map((r) => ({
        ...r,
        regions: prune(r.regions),
        lines: r.lines
          .filter((l) => !gone.has(l.id))
          .map((l) => ({ ...l, words: l.words.filter((w) => !gone.has(w.id)).map((w) => ({ ...w, glyphs: w.glyphs.filter((g) => !gone.has(g.id)) })) })),
      }));
  const pruneGroup = (g: OrderGroup): OrderGroup => ({
    ...g,
    items: g.items.filter((i) => i.kind === 'group' || !gone.has(i.regionRef)).map((i) => (i.kind === 'group' ? pruneGroup(i) : i)),
  });
  const ro = doc.page.readingOrder;
  return { ...doc, page: { ...doc.page, regions: prune(doc.page.regions), ...(ro && { readingOrder: { ...ro, root: pruneGroup(ro.root) } }) } };
}

/**
 * Changes a region's PAGE type and/or SegmOnto zone type. A region holding text
 * lines stays a text region: turning it into an image would lose them.
 */
export function setRegionType(doc: PageDocument, regionId: string, kind: RegionKind, segmonto?: string | null): PageDocument {
  return updateRegion(doc, regionId, (r) => {
    if (kind !== r.kind && kind !== 'TextRegion' && kind !== 'TableCell' && (r.lines.length || r.textEquivs.length)) {
      throw new EditError(`region "${regionId}" has text lines; a ${kind} cannot hold them — move or delete them first`);
    }
    const custom = segmonto === undefined ? r.custom : withStructureType(r.custom, segmonto ?? undefined);
    // A subtype belongs to its kind (a text region's "heading" is no image region's type).
    const { custom: _c, type: _t, ...rest } = r;
    return { ...rest, kind, ...(custom !== undefined && { custom }), ...(kind === r.kind && r.type !== undefined && { type: r.type }) };
  });
}

/** PAGE 2019's text region types (TextTypeSimpleType). */
export const TEXT_REGION_TYPES = [
  'paragraph', 'heading', 'caption', 'header', 'footer', 'page-number', 'drop-capital', 'credit', 'floating',
  'signature-mark', 'catch-word', 'marginalia', 'footnote', 'footnote-continued', 'endnote', 'TOC-entry', 'list-label', 'other',
] as const;

/** Sets (null: removes) a region's PAGE @type, e.g. heading or marginalia for a text region. */
export function setRegionSubtype(doc: PageDocument, regionId: string, type: string | null): PageDocument {
  return updateRegion(doc, regionId, (r) => {
    const { type: _t, ...rest } = r;
    return type ? { ...rest, type } : rest;
  });
}

/**
 * Sets the reading order of top-level regions to exactly `regionIds` (a flat
 * ordered group, keeping the existing group's id and caption), and puts the
 * regions in that order in the file too, for tools that read document order.
 */
export function setRegionOrder(doc: PageDocument, regionIds: readonly string[]): PageDocument {
  const byId = new Map(doc.page.regions.map((r) => [r.id, r]));
  for (const id of regionIds) if (!byId.has(id)) throw new EditError(`"${id}" is not a top-level region`);
  if (new Set(regionIds).size !== regionIds.length) throw new EditError('a region appears twice in the order');
  const rest = doc.page.regions.filter((r) => !regionIds.includes(r.id));
  const old = doc.page.readingOrder?.root;
  const root: OrderGroup = {
    kind: 'group',
    ordered: true,
    id: old?.id || 'ro_1',
    ...(old?.caption !== undefined && { caption: old.caption }),
    labels: old?.labels ?? [],
    items: regionIds.map((id, index) => ({ kind: 'ref', regionRef: id, index })),
  };
  return {
    ...doc,
    page: { ...doc.page, regions: [...regionIds.map((id) => byId.get(id)!), ...rest], readingOrder: { ...(doc.page.readingOrder ?? {}), root } },
  };
}

/** Region ids in reading order: the reading order's refs (by index where ordered), then any region not in it. */
export function regionsInReadingOrder(doc: PageDocument): string[] {
  const out: string[] = [];
  const walk = (g: OrderGroup): void => {
    const items = g.ordered ? [...g.items].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)) : g.items;
    for (const i of items) {
      if (i.kind === 'group') {
        if (i.regionRef) out.push(i.regionRef);
        walk(i);
      } else out.push(i.regionRef);
    }
  };
  if (doc.page.readingOrder) walk(doc.page.readingOrder.root);
  const seen = new Set(out);
  const all: string[] = [];
  const collect = (rs: readonly Region[]): void => {
    for (const r of rs) {
      all.push(r.id);
      collect(r.regions);
    }
  };
  collect(doc.page.regions);
  return [...out.filter((id) => all.includes(id)), ...all.filter((id) => !seen.has(id))];
}

/** The region whose outline contains a point (innermost first), for "draw a line here". */
export function regionAt(doc: PageDocument, p: Point): Region | undefined {
  let found: Region | undefined;
  const walk = (rs: readonly Region[]): void => {
    for (const r of rs) {
      if (r.coords && pointInPolygon(p, r.coords.points)) {
        found = r;
        walk(r.regions);
      }
    }
  };
  walk(doc.page.regions);
  return found;
}

/** Applies `fn` to every text line in one pass (for whole-page results such as recognition). */
export function mapAllLines(doc: PageDocument, fn: (l: TextLine, region: Region) => TextLine): PageDocument {
  return withRegions(
    doc,
    mapRegions(doc.page.regions, (r) => {
      if (!r.lines.length) return r;
      let changed = false;
      const lines = r.lines.map((l) => {
        const n = fn(l, r);
        if (n !== l) changed = true;
        return n;
      });
      return changed ? { ...r, lines } : r;
    }),
  );
}
