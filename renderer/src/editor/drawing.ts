/**
 * Pure edits behind the drawing tools and the clipboard: a line drawn baseline
 * first (its outline follows at the page's usual line height), a polygon region,
 * pasting copies with fresh ids, a line's SegmOnto type.
 */
import type { PageDocument, Point, Points, Region, TextLine, Word } from '../../../electron/common/model/types.js';
import { addLine, addRegion, allIds, findLine, findRegion, newId, regionAt, updateLine } from '../../../electron/common/model/ops.js';
import { allLines } from '../../../electron/common/model/stats.js';
import { bbox } from '../../../electron/common/model/points.js';
import { withStructureType } from '../../../electron/common/model/custom-attr.js';

export interface LineBand {
  /** Pixels of the outline above and below the baseline. */
  readonly above: number;
  readonly below: number;
}

/** The page's usual line: median distance from baseline to outline top and bottom; a guess from the page size without lines. */
export function typicalBand(doc: PageDocument): LineBand {
  const above: number[] = [];
  const below: number[] = [];
  for (const l of allLines(doc.page.regions)) {
    const b = bbox(l.coords?.points ?? []);
    const base = l.baseline?.points;
    if (!b || !base?.length) continue;
    const y = base.reduce((s, p) => s + p.y, 0) / base.length;
    if (y > b.minY && y <= b.maxY) {
      above.push(y - b.minY);
      below.push(b.maxY - y);
    }
  }
  const median = (xs: number[]): number => xs.sort((a, c) => a - c)[xs.length >> 1]!;
  if (above.length) return { above: Math.max(4, Math.round(median(above))), below: Math.max(2, Math.round(median(below))) };
  const h = Math.max(20, Math.round(doc.page.imageHeight / 60));
  return { above: Math.round(h * 0.75), below: Math.round(h * 0.25) };
}

const clampPoint = (doc: PageDocument, p: Point): Point => ({ x: Math.round(Math.max(0, Math.min(doc.page.imageWidth, p.x))), y: Math.round(Math.max(0, Math.min(doc.page.imageHeight, p.y))) });

/** The outline of a line around its baseline: each point moved up by `above` and down by `below`. */
export function outlineAroundBaseline(doc: PageDocument, baseline: Points, band: LineBand): Point[] {
  const up = baseline.map((p) => clampPoint(doc, { x: p.x, y: p.y - band.above }));
  const down = [...baseline].reverse().map((p) => clampPoint(doc, { x: p.x, y: p.y + band.below }));
  return [...up, ...down];
}

const canHoldLines = (r: Region | undefined): boolean => !!r && (r.kind === 'TextRegion' || r.kind === 'TableCell');

/** Adds a line drawn as a baseline: into the text region under its first point, else into a new text region around it. */
export function addLineFromBaseline(doc: PageDocument, baseline: Points, band: LineBand = typicalBand(doc)): { doc: PageDocument; lineId: string } {
  const base = baseline.map((p) => clampPoint(doc, p));
  const coords = outlineAroundBaseline(doc, base, band);
  const taken = allIds(doc);
  const lineId = newId(doc, 'l', taken);
  const mid = base[Math.floor(base.length / 2)]!;
  let region = regionAt(doc, base[0]!) ?? regionAt(doc, mid);
  let out = doc;
  if (!canHoldLines(region)) {
    const b = bbox(coords)!;
    const pad = 4;
    const id = newId(doc, 'r', taken);
    const rect = [clampPoint(doc, { x: b.minX - pad, y: b.minY - pad }), clampPoint(doc, { x: b.maxX + pad, y: b.minY - pad }), clampPoint(doc, { x: b.maxX + pad, y: b.maxY + pad }), clampPoint(doc, { x: b.minX - pad, y: b.maxY + pad })];
    out = addRegion(doc, { kind: 'TextRegion', id, coords: { points: rect } });
    region = findRegion(out, id);
  }
  // Lines go in reading order within the region: before the first line whose baseline starts below this one.
  const lines = region!.lines;
  const yOf = (l: TextLine): number => l.baseline?.points[0]?.y ?? bbox(l.coords?.points ?? [])?.minY ?? 0;
  const index = lines.findIndex((l) => yOf(l) > base[0]!.y);
  out = addLine(out, region!.id, { id: lineId, coords: { points: coords }, baseline: { points: base } }, index < 0 ? undefined : index);
  return { doc: out, lineId };
}

/** A new text region with the drawn outline. */
export function addPolygonRegion(doc: PageDocument, points: Points): { doc: PageDocument; regionId: string } {
  const id = newId(doc, 'r');
  return { doc: addRegion(doc, { kind: 'TextRegion', id, coords: { points: points.map((p) => clampPoint(doc, p)) } }), regionId: id };
}

/** Sets (or with null, removes) a line's SegmOnto type, e.g. DefaultLine, HeadingLine. */
export function setLineType(doc: PageDocument, lineId: string, type: string | null): PageDocument {
  return updateLine(doc, lineId, (l) => {
    const custom = withStructureType(l.custom, type ?? undefined);
    const { custom: _c, ...rest } = l;
    return { ...rest, ...(custom !== undefined && { custom }) };
  });
}

/** Selected ids without those inside another selected region (moving both would move them twice). */
export function topmostSelected(doc: PageDocument, ids: readonly string[]): string[] {
  const chosen = new Set(ids);
  const insideChosen = (id: string): boolean => {
    const hit = findLine(doc, id);
    if (hit) return chosen.has(hit.region.id) || insideChosen(hit.region.id);
    const parentOf = (rs: readonly Region[], parent: Region | null): Region | null | undefined => {
      for (const r of rs) {
        if (r.id === id) return parent;
        const p = parentOf(r.regions, r);
        if (p !== undefined) return p;
      }
      return undefined;
    };
    const parent = parentOf(doc.page.regions, null);
    return !!parent && (chosen.has(parent.id) || insideChosen(parent.id));
  };
  return ids.filter((id) => (findLine(doc, id) || findRegion(doc, id)) && !insideChosen(id));
}

// ---- clipboard --------------------------------------------------------------

export interface Clip {
  readonly regions: readonly Region[];
  /** Lines copied without their region, with the region they came from. */
  readonly lines: readonly { readonly line: TextLine; readonly regionId: string }[];
}

export function copySelection(doc: PageDocument, ids: readonly string[]): Clip | null {
  const top = topmostSelected(doc, ids);
  const regions = top.flatMap((id) => (findLine(doc, id) ? [] : [findRegion(doc, id)!]));
  const lines = top.flatMap((id) => {
    const hit = findLine(doc, id);
    return hit ? [{ line: hit.line, regionId: hit.region.id }] : [];
  });
  return regions.length || lines.length ? { regions, lines } : null;
}

const shiftPts = (pts: Points, d: number): Point[] => pts.map((p) => ({ x: p.x + d, y: p.y + d }));

function renumberLine(l: TextLine, taken: Set<string>, doc: PageDocument, d: number): TextLine {
  const words = l.words.map((w): Word => ({ ...w, id: newId(doc, 'w', taken), ...(w.coords && { coords: { points: shiftPts(w.coords.points, d) } }), glyphs: w.glyphs.map((g) => ({ ...g, id: newId(doc, 'g', taken), ...(g.coords && { coords: { points: shiftPts(g.coords.points, d) } }) })) }));
  return { ...l, id: newId(doc, 'l', taken), ...(l.coords && { coords: { points: shiftPts(l.coords.points, d) } }), ...(l.baseline && { baseline: { points: shiftPts(l.baseline.points, d) } }), words };
}

function renumberRegion(r: Region, taken: Set<string>, doc: PageDocument, d: number): Region {
  return {
    ...r,
    id: newId(doc, 'r', taken),
    ...(r.coords && { coords: { points: shiftPts(r.coords.points, d) } }),
    lines: r.lines.map((l) => renumberLine(l, taken, doc, d)),
    regions: r.regions.map((s) => renumberRegion(s, taken, doc, d)),
  };
}

/**
 * Pastes copies with new ids, moved by `offset` px so they do not hide the
 * originals. Lines go into `target` (a selected text region), else back into
 * their own region, else into a new text region. Returns the new ids.
 */
export function pasteClip(doc: PageDocument, clip: Clip, offset: number, target: string | null): { doc: PageDocument; ids: string[] } {
  const taken = allIds(doc);
  let out = doc;
  const ids: string[] = [];
  for (const r of clip.regions) {
    const copy = renumberRegion(r, taken, doc, offset);
    out = addRegion(out, copy);
    ids.push(copy.id);
  }
  for (const { line, regionId } of clip.lines) {
    const copy = renumberLine(line, taken, doc, offset);
    const into = [target, regionId].find((id) => id && canHoldLines(findRegion(out, id)));
    if (into) out = addLine(out, into, copy);
    else {
      const b = bbox(copy.coords?.points ?? copy.baseline?.points ?? [])!;
      const rid = newId(doc, 'r', taken);
      out = addRegion(out, { kind: 'TextRegion', id: rid, coords: { points: [{ x: b.minX, y: b.minY }, { x: b.maxX, y: b.minY }, { x: b.maxX, y: b.maxY }, { x: b.minX, y: b.maxY }] } });
      out = addLine(out, rid, copy);
    }
    ids.push(copy.id);
  }
  return { doc: out, ids };
}
