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

/** The text of a line: its first TextEquiv by index, else its words joined. */
export function lineText(l: TextLine): string {
  if (l.textEquivs.length) {
    let best = l.textEquivs[0]!;
    for (const t of l.textEquivs) if ((t.index ?? 0) < (best.index ?? 0)) best = t;
    return best.unicode;
  }
  return l.words.map((w) => w.textEquivs[0]?.unicode ?? '').filter(Boolean).join(' ');
}

export function allLines(regions: readonly Region[], out: TextLine[] = []): TextLine[] {
  for (const r of regions) {
    out.push(...r.lines);
    allLines(r.regions, out);
  }
  return out;
}

export function pageStats(doc: PageDocument): PageStats {
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
    const t = lineText(l);
    if (t.trim()) withText++;
    characters += [...t].length;
    if (l.baseline) withBaseline++;
    words += l.words.length;
    for (const w of l.words) glyphs += w.glyphs.length;
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
