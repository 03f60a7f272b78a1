/**
 * Text regions made consistent with their lines: a detector's zones are drawn
 * independently of its lines, and often split one block of text into two zones
 * that overlap by hundreds of pixels, or stop short of lines they hold. So a
 * text region with lines is fitted to them (its zone's extent is only the
 * detector's guess, and growing zones to their lines made merged zones swallow
 * the margins beside them); two text regions that still overlap by more than a
 * small share are merged when the detector drew one block twice (SAME_BLOCK) or
 * their lines interleave, else cut apart where a straight cut leaves each its own
 * lines; a zone with no line that overlaps another text region is a duplicate and
 * is dropped. Non-text regions (graphics, tables, noise) are left as detected.
 */
import type { Points, RegionKind, TextLine } from '../model/types.js';
import { boxArea, boxPolygon, unionBox, type Box } from '../model/points.js';

export interface PlacedLine {
  readonly line: TextLine;
  readonly box: Box;
}

export interface RegionDraft {
  readonly id: string;
  readonly kind: RegionKind;
  readonly polygon: Points;
  readonly box: Box;
  readonly conf?: number;
  readonly segmonto?: string;
  readonly margin?: boolean;
  readonly lines: readonly PlacedLine[];
  /** The zone's box as detected (regions made from orphan lines have none). */
  readonly detected?: Box;
}

/**
 * Detected zones overlapping by more than this share of the smaller are one block
 * of text drawn twice (a Testaments page: two zones sharing 600 px of one main
 * text), merged even where a cut would separate their lines; less, they are
 * neighbours (columns with a narrow gutter) and are cut apart where possible.
 */
const SAME_BLOCK = 0.25;

/** Share of the smaller box's area that two boxes share (0 when apart). */
export function boxOverlapShare(a: Box, b: Box): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.max(1, Math.min(boxArea(a), boxArea(b)));
}

/** Padding around a region's lines, in pixels. */
const PAD = 5;

/** The tight box of a region's lines, padded and kept on the page; a region without lines keeps its outline. */
function fitted(r: RegionDraft, width: number, height: number): RegionDraft {
  if (!r.lines.length) return r;
  const u = unionBox(r.lines.map((l) => l.box))!;
  const box = { minX: Math.max(0, u.minX - PAD), minY: Math.max(0, u.minY - PAD), maxX: Math.min(width, u.maxX + PAD), maxY: Math.min(height, u.maxY + PAD) };
  return { ...r, box, polygon: boxPolygon(box) };
}

/** Share of its area a line keeps inside its region after a cut (the page checks ask 0.9; the margin covers their estimate). */
const MIN_INSIDE = 0.92;

/**
 * A straight cut between two regions that leaves each its own lines (each line
 * keeping MIN_INSIDE of its area inside its region, cuts made before included):
 * both regions trimmed to it, or undefined when their lines interleave.
 */
function cutApart(a: RegionDraft, b: RegionDraft): [RegionDraft, RegionDraft] | undefined {
  type Side = 'x' | 'y';
  const options: { first: RegionDraft; second: RegionDraft; axis: Side; at: number; lost: number }[] = [];
  for (const axis of ['x', 'y'] as Side[]) for (const [first, second] of [[a, b], [b, a]] as const) {
    const lo = (x: Box): number => (axis === 'x' ? x.minX : x.minY);
    const hi = (x: Box): number => (axis === 'x' ? x.maxX : x.maxY);
    // The line's overlap with its region across the cut, which the cut does not change.
    const across = (l: Box, r: Box): number => (axis === 'x' ? Math.min(l.maxY, r.maxY) - Math.max(l.minY, r.minY) : Math.min(l.maxX, r.maxX) - Math.max(l.minX, r.minX));
    const need = (l: Box, r: Box): number => (MIN_INSIDE * (l.maxX - l.minX) * (l.maxY - l.minY)) / Math.max(1e-9, across(l, r));
    // The first region keeps what lies before the cut, the second what lies after it.
    const from = Math.max(...first.lines.map((l) => Math.max(lo(l.box), lo(first.box)) + need(l.box, first.box)));
    const to = Math.min(...second.lines.map((l) => Math.min(hi(l.box), hi(second.box)) - need(l.box, second.box)));
    if (from > to) continue;
    const at = Math.round((from + to) / 2);
    const lost = Math.max(0, hi(first.box) - at) + Math.max(0, at - lo(second.box));
    options.push({ first, second, axis, at, lost });
  }
  if (!options.length) return undefined;
  const best = options.reduce((p, q) => (q.lost < p.lost ? q : p));
  const trim = (r: RegionDraft, side: 'end' | 'start'): RegionDraft => {
    const b = r.box, at = best.at;
    const box =
      best.axis === 'x'
        ? side === 'end' ? { ...b, maxX: Math.min(b.maxX, at) } : { ...b, minX: Math.max(b.minX, at) }
        : side === 'end' ? { ...b, maxY: Math.min(b.maxY, at) } : { ...b, minY: Math.max(b.minY, at) };
    return { ...r, box, polygon: boxPolygon(box) };
  };
  return [trim(best.first, 'end'), trim(best.second, 'start')];
}

/** Two overlapping text regions as one: the larger one's id and type, both sets of lines. */
function merged(a: RegionDraft, b: RegionDraft, width: number, height: number): RegionDraft {
  const [big, small] = boxArea(a.box) >= boxArea(b.box) ? [a, b] : [b, a];
  const conf = Math.max(a.conf ?? 0, b.conf ?? 0);
  return fitted({
    id: big.id,
    kind: 'TextRegion',
    polygon: big.polygon,
    box: big.box,
    ...((a.conf !== undefined || b.conf !== undefined) && { conf }),
    ...((big.segmonto ?? small.segmonto) !== undefined && { segmonto: (big.segmonto ?? small.segmonto)! }),
    ...(a.margin && b.margin && { margin: true }),
    lines: [...big.lines, ...small.lines],
    ...((a.detected || b.detected) && { detected: unionBox([a.detected, b.detected])! }),
  }, width, height);
}

export function settleRegions(drafts: readonly RegionDraft[], width: number, height: number, maxOverlap = 0.02): RegionDraft[] {
  const other = drafts.filter((r) => r.kind !== 'TextRegion');
  let text = drafts.filter((r) => r.kind === 'TextRegion');
  // Zones the detector drew over one block of text are one region, whether or not their lines still overlap once fitted.
  for (let merging = true; merging; ) {
    merging = false;
    for (let i = 0; i < text.length && !merging; i++) for (let j = i + 1; j < text.length; j++) {
      const a = text[i]!, b = text[j]!;
      if (!a.detected || !b.detected || !a.lines.length || !b.lines.length || boxOverlapShare(a.detected, b.detected) <= SAME_BLOCK) continue;
      text = [...text.filter((_, k) => k !== i && k !== j), merged(a, b, width, height)];
      merging = true;
      break;
    }
  }
  text = text.map((r) => fitted(r, width, height));
  for (let guard = 0; guard < 1000; guard++) {
    let pair: [number, number] | undefined;
    for (let i = 0; i < text.length && !pair; i++) for (let j = i + 1; j < text.length; j++) {
      if (boxOverlapShare(text[i]!.box, text[j]!.box) > maxOverlap) {
        pair = [i, j];
        break;
      }
    }
    if (!pair) break;
    const [a, b] = [text[pair[0]]!, text[pair[1]]!];
    // An empty zone over another region adds nothing but a duplicate outline.
    const next = !a.lines.length && (b.lines.length || (b.conf ?? 0) >= (a.conf ?? 0)) ? [b] : !b.lines.length ? [a] : cutApart(a, b) ?? [merged(a, b, width, height)];
    text = [...text.filter((_, k) => k !== pair[0] && k !== pair[1]), ...next];
  }
  const order = new Map(drafts.map((d, i) => [d.id, i]));
  return [...other, ...text].sort((x, y) => order.get(x.id)! - order.get(y.id)!);
}
