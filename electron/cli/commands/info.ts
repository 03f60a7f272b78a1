import { parseArgs } from 'node:util';
import { describeFormat, splitPages } from '../../common/formats/document-io.js';
import { lineCounts, pageStats, type LineCounts, type PageStats } from '../../common/model/stats.js';
import type { TextLine } from '../../common/model/types.js';
import { readDocumentPieces } from '../../node/io/read-document.js';
import { lineStandIn } from '../../common/formats/page-read.js';
import { UsageError, type Command } from '../command.js';

/** The counts of every page together (a multi-page ALTO file counts all its pages). */
function fileStats(pages: readonly PageStats[]): PageStats {
  if (pages.length === 1) return pages[0]!;
  const sum = (key: keyof PageStats): number => pages.reduce((n, s) => n + (s[key] as number), 0);
  const regionKinds: Record<string, number> = {};
  for (const s of pages) for (const [k, n] of Object.entries(s.regionKinds)) regionKinds[k] = (regionKinds[k] ?? 0) + n;
  const lines = sum('lines');
  const linesWithText = sum('linesWithText');
  return {
    regions: sum('regions'), regionKinds, lines, linesWithText, linesWithBaseline: sum('linesWithBaseline'), words: sum('words'),
    glyphs: sum('glyphs'), characters: sum('characters'), textCoverage: lines ? linesWithText / lines : 0, readingOrder: sum('readingOrder'),
  };
}

export const info: Command = {
  name: 'info',
  summary: 'counts of regions, lines and words, and how much text is transcribed',
  usage: `htr-studio info FILE... [--json]

  A multi-page ALTO file is counted over all its pages.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
    if (!positionals.length) throw new UsageError('info needs at least one file');
    const rows = [];
    for (const file of positionals) {
      // Read in pieces, each PAGE line kept only as its counts: a 200 MB file is never one string, nor one model.
      const counts = new WeakMap<TextLine, LineCounts>();
      const { doc, warnings } = await readDocumentPieces(file, {
        keepLine: (line) => {
          const standIn = lineStandIn(line);
          counts.set(standIn, lineCounts(line));
          return standIn;
        },
      });
      const pages = splitPages(doc);
      const s = fileStats(pages.map((p) => pageStats(p, (l) => counts.get(l) ?? lineCounts(l))));
      rows.push({ file, format: describeFormat(doc), pages: pages.length, image: doc.page.imageFilename, width: doc.page.imageWidth, height: doc.page.imageHeight, ...s, warnings });
      if (!values.json) {
        io.out(`${file}`);
        io.out(`  format       ${describeFormat(doc)}`);
        if (pages.length > 1) io.out(`  pages        ${pages.length} (counts below are over all pages; the size is the first page's)`);
        io.out(`  image        ${doc.page.imageFilename} (${doc.page.imageWidth}×${doc.page.imageHeight})`);
        io.out(`  regions      ${s.regions} (${Object.entries(s.regionKinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
        io.out(`  lines        ${s.lines} (${s.linesWithText} with text, ${s.linesWithBaseline} with a baseline)`);
        io.out(`  words        ${s.words}`);
        io.out(`  glyphs       ${s.glyphs}`);
        io.out(`  coverage     ${(s.textCoverage * 100).toFixed(1)}% of lines transcribed, ${s.characters} characters`);
        if (s.readingOrder) io.out(`  reading order ${s.readingOrder} region references`);
      }
    }
    if (values.json) io.out(JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2));
    return 0;
  },
};
