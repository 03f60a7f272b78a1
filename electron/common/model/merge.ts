/**
 * Three-way merge of line texts, for two writers of one page: the editor and
 * another window, or a project-wide job and the person editing that page.
 * `base` is the version both started from, `ours` and `theirs` their results.
 * Only text merges: when `ours` changed anything else (geometry, lines added or
 * removed, reading order) there is no safe automatic merge and the caller asks.
 */
import type { PageDocument, TextLine } from './types.js';
import { mapAllLines } from './ops.js';
import { allLines, lineText, mainTextEquiv } from './stats.js';
import { copyHistory, withoutHistory } from './provenance.js';

/**
 * A person's text: written or confirmed by someone (no model confidence on it),
 * or imported ground truth. Recognition writes a confidence on every line it
 * reads; editing a line's text drops it (setLineText).
 */
export function isPersonText(line: TextLine): boolean {
  const i = mainTextEquiv(line);
  return i >= 0 && lineText(line).trim() !== '' && line.textEquivs[i]!.conf === undefined;
}

export function personLineCount(doc: PageDocument): number {
  return allLines(doc.page.regions).filter(isPersonText).length;
}

const sameText = (a: TextLine, b: TextLine): boolean => JSON.stringify(a.textEquivs) === JSON.stringify(b.textEquivs);

/** The document with every line's text (and the text's history) left out: what a text-only change leaves unchanged. */
function withoutTexts(doc: PageDocument): string {
  return JSON.stringify(mapAllLines(doc, (l) => ({ ...withoutHistory(l), textEquivs: [], words: [] })));
}

export interface TextMerge {
  /** `theirs` with our text changes applied where they changed no line themselves; undefined when `ours` changed more than text. */
  readonly doc: PageDocument | undefined;
  /** Lines whose text we changed and they changed too (their text kept) or removed. */
  readonly conflicts: readonly string[];
  /** Lines whose text came from `ours`. */
  readonly merged: number;
}

export function mergeLineTexts(base: PageDocument, ours: PageDocument, theirs: PageDocument): TextMerge {
  if (withoutTexts(base) !== withoutTexts(ours)) return { doc: undefined, conflicts: [], merged: 0 };
  const baseLines = new Map(allLines(base.page.regions).map((l) => [l.id, l]));
  const changed = new Map(allLines(ours.page.regions).filter((l) => !sameText(l, baseLines.get(l.id)!)).map((l) => [l.id, l]));
  const conflicts: string[] = [];
  let merged = 0;
  const doc = mapAllLines(theirs, (l) => {
    const mine = changed.get(l.id);
    if (!mine) return l;
    changed.delete(l.id);
    const was = baseLines.get(l.id);
    if (was && sameText(l, was)) {
      merged++;
      return copyHistory({ ...l, textEquivs: mine.textEquivs, words: mine.words }, mine);
    }
    if (!sameText(l, mine)) conflicts.push(l.id);
    return l;
  });
  // Lines we changed that they removed.
  conflicts.push(...changed.keys());
  return { doc, conflicts, merged };
}
