/** Reading-order views of a document the panels and keyboard navigation share. */
import type { PageDocument, Region, TextLine } from '../../../electron/common/model/types.js';
export interface LineInOrder {
    readonly line: TextLine;
    readonly region: Region;
}
/** Every text line, region by region in reading order, lines in their region's order. */
export declare function linesInReadingOrder(doc: PageDocument): LineInOrder[];
/** Top-level regions in reading order: what the reading-order list shows and setRegionOrder takes. */
export declare function topRegionsInOrder(doc: PageDocument): Region[];
export declare function lineText(line: TextLine): string;
/** Moves one item of a list to a new index (for reorder by drag or keys). */
export declare function moveItem<T>(list: readonly T[], from: number, to: number): T[];
/** The top-level region holding a region or line (itself, for a top-level region). */
export declare function topRegionOf(doc: PageDocument, id: string): string | undefined;
/**
 * The next line in reading order (after `fromId`, or from the start; `step` -1:
 * before it, from the end) whose machine text is less sure than `threshold`: a
 * confidence on its text below it. Lines a person wrote (no confidence) are never
 * uncertain. Wraps around the page once; undefined when there is none.
 */
export declare function nextUncertainLine(lines: readonly LineInOrder[], fromId: string | null, threshold: number, step: 1 | -1): string | undefined;
