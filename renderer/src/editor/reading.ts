/** Reading-order views of a document the panels and keyboard navigation share. */
import type { PageDocument, Region, TextLine } from '../../../electron/common/model/types.js';
import { findRegion, regionsInReadingOrder } from '../../../electron/common/model/ops.js';

export interface LineInOrder {
  readonly line: TextLine;
  readonly region: Region;
}

/** Every text line, region by region in reading order, lines in their region's order. */
export function linesInReadingOrder(doc: PageDocument): LineInOrder[] {
  const out: LineInOrder[] = [];
  for (const id of regionsInReadingOrder(doc)) {
    const region = findRegion(doc, id);
    if (region) for (const line of region.lines) out.push({ line, region });
  }
  return out;
}

/** Top-level regions in reading order: what the reading-order list shows and setRegionOrder takes. */
export function topRegionsInOrder(doc: PageDocument): Region[] {
  const top = new Map(doc.page.regions.map((r) => [r.id, r]));
  return regionsInReadingOrder(doc).flatMap((id) => top.get(id) ?? []);
}

/** One rule for a line's text everywhere (stats.ts): the editor shows and edits what export and eval read. */
export { lineText } from '../../../electron/common/model/stats.js';

/** Moves one item of a list to a new index (for reorder by drag or keys). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, item!);
  return out;
}

/** The top-level region holding a region or line (itself, for a top-level region). */
export function topRegionOf(doc: PageDocument, id: string): string | undefined {
  const holds = (r: Region): boolean => r.id === id || r.lines.some((l) => l.id === id) || r.regions.some(holds);
  return doc.page.regions.find(holds)?.id;
}

