import type { PageDocument, Region, TextLine } from './types.js';

export interface PageStats {
  readonly regions: number;
  readonly regionKinds: Record<string, number>;
  readonly lines: number;
  readonly linesWithText: number;
  readonly linesWithBaseline: number;
  readonly words: number;
  readonly glyphs: number;
  readonly characters: number;
  /** Share of lines with a non-empty transcription (0 when there are no lines). */
  readonly textCoverage: number;
  readonly readingOrder: number;
}

/**
 * Which of a line's TextEquivs holds its text: the one with the lowest index (PAGE:
 * index 0, or the lowest, is the reading to use; absent counts as 0), the first of
 * equals; -1 when it has none. The one rule for the editor, export, eval and edits.
 */
export function mainTextEquiv(l: Pick<TextLine, 'textEquivs'>): number {
  let best = -1;
  l.textEquivs.forEach((t, i) => {
    if (best < 0 || (t.index ?? 0) < (l.textEquivs[best]!.index ?? 0)) best = i;
  });
  return best;
}

/** The text of a line: its main TextEquiv's Unicode (its PlainText where only that is given), else its words joined. */
export function lineText(l: TextLine): string {
  const i = mainTextEquiv(l);
  if (i >= 0) {
    const te = l.textEquivs[i]!;
    return te.unicode !== '' ? te.unicode : (te.plainText ?? '');
  }
  return l.words.map((w) => w.textEquivs[0]?.unicode ?? '').filter(Boolean).join(' ');
}

/** The model confidence on a line's text, undefined for a person's text. */
export function lineConf(l: TextLine): number | undefined {
  const i = mainTextEquiv(l);
  return i >= 0 ? l.textEquivs[i]!.conf : undefined;
}

export function allLines(regions: readonly Region[], out: TextLine[] = []): TextLine[] {
  for (const r of regions) {
    out.push(...r.lines);
    allLines(r.regions, out);
  }
  return out;
}

/** What pageStats counts of one line. */
export interface LineCounts {
  /** lineText's. */
  readonly text: string;
  readonly baseline: boolean;
  readonly words: number;
  readonly glyphs: number;
}

export function lineCounts(l: TextLine): LineCounts {
  let glyphs = 0;
  for (const w of l.words) glyphs += w.glyphs.length;
  return { text: lineText(l), baseline: l.baseline !== undefined, words: l.words.length, glyphs };
}

/**
 * The counts of a page. `countsOf`: each line's counts (lineCounts by default; `info`
 * on a big file keeps only these of each line while it is read, see LineKeeper).
 */
export function pageStats(doc: PageDocument, countsOf: (l: TextLine) => LineCounts = lineCounts): PageStats {
  const kinds: Record<string, number> = {};
  let regions = 0;
  const walk = (rs: readonly Region[]): void => {
    for (const r of rs) {
      regions++;
      kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      walk(r.regions);
    }
  };
  walk(doc.page.regions);
  const lines = allLines(doc.page.regions);
  let words = 0, glyphs = 0, characters = 0, withText = 0, withBaseline = 0;
  for (const l of lines) {
    const c = countsOf(l);
    if (c.text.trim()) withText++;
    characters += [...c.text].length;
    if (c.baseline) withBaseline++;
    words += c.words;
    glyphs += c.glyphs;
  }
  let refs = 0;
  const count = (items: readonly { kind: string; items?: readonly unknown[] }[]): void => {
    for (const i of items) {
      if (i.kind === 'ref') refs++;
      else count((i as { items: readonly { kind: string }[] }).items);
    }
  };
  if (doc.page.readingOrder) count(doc.page.readingOrder.root.items);
  return {
    regions,
    regionKinds: kinds,
    lines: lines.length,
    linesWithText: withText,
    linesWithBaseline: withBaseline,
    words,
    glyphs,
    characters,
    textCoverage: lines.length ? withText / lines.length : 0,
    readingOrder: refs,
  };
}
