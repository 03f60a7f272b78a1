/**
 * Which recognised line goes with which ground-truth line. By id when the two
 * files share their line ids (the same layout, recognised again); by geometry
 * when they do not — a fresh `process` of a page has its own layout and ids, and
 * pairing those by id would score every line as missing (100% CER). Each
 * recognised line goes to the ground-truth line its box overlaps most (at least
 * half of its own box); a ground-truth line covered by several gets their text
 * left to right; a recognised line that overlaps none is an extra line, scored
 * as text inserted where the ground truth has none.
 */
import type { PageDocument, TextLine } from '../model/types.js';
import { allLines, lineText } from '../model/stats.js';
import { bbox, type Box } from '../model/points.js';

export interface LinePair {
  readonly name: string;
  readonly gt: string;
  /** undefined: no recognised line for it. */
  readonly hyp: string | undefined;
}

export interface Pairing {
  readonly by: 'id' | 'geometry';
  readonly pairs: readonly LinePair[];
}

const boxOf = (l: TextLine): Box | undefined => bbox(l.coords?.points.length ? l.coords.points : (l.baseline?.points ?? []));
const area = (b: Box): number => Math.max(0, b.maxX - b.minX) * Math.max(0, b.maxY - b.minY);
function overlap(a: Box, b: Box): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Of its own box, at least this much must lie on a ground-truth line for a recognised line to belong to it. */
const MIN_SHARE = 0.5;

export function pairLines(gt: PageDocument, hyp: PageDocument): Pairing {
  const gtLines = allLines(gt.page.regions);
  const hypLines = allLines(hyp.page.regions);
  const hypById = new Map(hypLines.map((l) => [l.id, l]));
  if (gtLines.length && gtLines.every((l) => hypById.has(l.id))) {
    return { by: 'id', pairs: gtLines.map((l) => ({ name: l.id, gt: lineText(l), hyp: lineText(hypById.get(l.id)!) })) };
  }
  const gtBoxes = gtLines.map(boxOf);
  const assigned = new Map<number, { x: number; text: string }[]>();
  const extra: LinePair[] = [];
  for (const h of hypLines) {
    const hb = boxOf(h);
    let best = -1;
    let bestArea = 0;
    if (hb) {
      gtBoxes.forEach((gb, i) => {
        const a = gb ? overlap(hb, gb) : 0;
        if (a > bestArea) [best, bestArea] = [i, a];
      });
    }
    if (hb && best >= 0 && bestArea >= MIN_SHARE * Math.max(1, area(hb))) {
      assigned.set(best, [...(assigned.get(best) ?? []), { x: hb.minX, text: lineText(h) }]);
    } else if (lineText(h).trim()) {
      extra.push({ name: `(extra) ${h.id}`, gt: '', hyp: lineText(h) });
    }
  }
  const pairs = gtLines.map((l, i) => {
    const parts = assigned.get(i);
    return { name: l.id, gt: lineText(l), hyp: parts ? parts.sort((a, b) => a.x - b.x).map((p) => p.text).join(' ') : undefined };
  });
  return { by: 'geometry', pairs: [...pairs, ...extra] };
}
