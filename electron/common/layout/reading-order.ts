/**
 * Reading order from geometry alone: recursive XY-cut over region boxes (bands
 * top to bottom, columns left to right — right to left for RTL pages), so
 * headings spanning columns come before the columns under them; marginalia go
 * right after the main text they stand beside; lines within a region go by rows.
 */
import type { Box } from '../model/points.js';

export type Direction = 'ltr' | 'rtl';

export interface OrderItem {
  readonly id: string;
  readonly box: Box;
  /** Marginalia, numbering, running titles in the margin: placed beside their main text. */
  readonly margin?: boolean;
}

/** Boxes are shrunk a little before projecting, so touching or slightly overlapping regions still separate. */
function shrink(b: Box, f = 0.1): Box {
  const dx = ((b.maxX - b.minX) * f) / 2;
  const dy = ((b.maxY - b.minY) * f) / 2;
  return { minX: b.minX + dx, maxX: b.maxX - dx, minY: b.minY + dy, maxY: b.maxY - dy };
}

/** Groups items whose projections on one axis overlap; groups in ascending order. */
function split(items: readonly OrderItem[], axis: 'x' | 'y'): OrderItem[][] {
  const lo = (b: Box): number => (axis === 'x' ? b.minX : b.minY);
  const hi = (b: Box): number => (axis === 'x' ? b.maxX : b.maxY);
  const sorted = [...items].sort((a, b) => lo(shrink(a.box)) - lo(shrink(b.box)));
  const groups: OrderItem[][] = [];
  let end = -Infinity;
  for (const it of sorted) {
    const s = shrink(it.box);
    if (!groups.length || lo(s) > end) {
      groups.push([it]);
      end = hi(s);
    } else {
      groups[groups.length - 1]!.push(it);
      end = Math.max(end, hi(s));
    }
  }
  return groups;
}

function xyCut(items: readonly OrderItem[], dir: Direction, depth = 0): OrderItem[] {
  if (items.length <= 1 || depth > 50) return [...items];
  const bands = split(items, 'y');
  if (bands.length > 1) return bands.flatMap((b) => xyCut(b, dir, depth + 1));
  const cols = split(items, 'x');
  if (cols.length > 1) return (dir === 'rtl' ? cols.reverse() : cols).flatMap((c) => xyCut(c, dir, depth + 1));
  // No clean cut: top to bottom by their tops, then by x.
  return [...items].sort((a, b) => a.box.minY - b.box.minY || (dir === 'rtl' ? b.box.maxX - a.box.maxX : a.box.minX - b.box.minX));
}

function verticalOverlap(a: Box, b: Box): number {
  return Math.max(0, Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY));
}

/** Region ids in reading order. */
export function orderRegions(items: readonly OrderItem[], dir: Direction = 'ltr'): string[] {
  const main = items.filter((i) => !i.margin);
  const margins = items.filter((i) => i.margin).sort((a, b) => a.box.minY - b.box.minY);
  const order = xyCut(main, dir).map((i) => i.id);
  if (!main.length) return xyCut(margins, dir).map((i) => i.id);
  // Each marginal note follows the main region beside it: among those it overlaps
  // vertically, the horizontally nearest; if it overlaps none, the nearest by centre.
  const after = new Map<string, string[]>();
  const gapX = (a: Box, b: Box): number => Math.max(0, Math.max(a.minX, b.minX) - Math.min(a.maxX, b.maxX));
  const centreDist = (a: Box, b: Box): number => Math.hypot((a.minX + a.maxX - b.minX - b.maxX) / 2, (a.minY + a.maxY - b.minY - b.maxY) / 2);
  for (const m of margins) {
    const beside = main.filter((r) => verticalOverlap(m.box, r.box) > 0);
    const best = beside.length
      ? beside.reduce((a, b) => (gapX(m.box, b.box) < gapX(m.box, a.box) ? b : a))
      : main.reduce((a, b) => (centreDist(m.box, b.box) < centreDist(m.box, a.box) ? b : a));
    after.set(best.id, [...(after.get(best.id) ?? []), m.id]);
  }
  return order.flatMap((id) => [id, ...(after.get(id) ?? [])]);
}

/** Lines of one region in reading order: rows top to bottom, within a row by x. */
export function orderLines(items: readonly OrderItem[], dir: Direction = 'ltr'): string[] {
  const byY = [...items].sort((a, b) => (a.box.minY + a.box.maxY) / 2 - (b.box.minY + b.box.maxY) / 2);
  const rows: OrderItem[][] = [];
  for (const it of byY) {
    const row = rows[rows.length - 1];
    const h = it.box.maxY - it.box.minY;
    // Same row when most of the shorter line's height overlaps (split fragments of one line).
    if (row && row.some((r) => verticalOverlap(r.box, it.box) > 0.5 * Math.min(h, r.box.maxY - r.box.minY))) row.push(it);
    else rows.push([it]);
  }
  return rows.flatMap((row) => stacks(row, dir).flatMap((st) => st.map((i) => i.id)));
}

/**
 * A row's items by x; items stacked one above the other within the row (cells of
 * a register row chained into one row by their neighbours) top to bottom, so a
 * line is never read after the line under it.
 */
function stacks(row: readonly OrderItem[], dir: Direction): OrderItem[][] {
  const byX = [...row].sort((a, b) => (dir === 'rtl' ? b.box.maxX - a.box.maxX : a.box.minX - b.box.minX));
  const out: { items: OrderItem[]; minX: number; maxX: number }[] = [];
  for (const it of byX) {
    const w = it.box.maxX - it.box.minX;
    const st = out.find((s) => Math.min(s.maxX, it.box.maxX) - Math.max(s.minX, it.box.minX) > 0.5 * Math.min(w, s.maxX - s.minX));
    if (st) {
      st.items.push(it);
      st.minX = Math.min(st.minX, it.box.minX);
      st.maxX = Math.max(st.maxX, it.box.maxX);
    } else out.push({ items: [it], minX: it.box.minX, maxX: it.box.maxX });
  }
  return out.map((s) => s.items.sort((a, b) => a.box.minY + a.box.maxY - b.box.minY - b.box.maxY));
}
