import { parseArgs } from 'node:util';
import { readDocument, describeFormat } from '../../common/formats/document-io.js';
import { pageStats } from '../../common/model/stats.js';
import { readXmlFile } from '../../node/io/files.js';
import { UsageError, type Command } from '../command.js';

export const info: Command = {
  name: 'info',
  summary: 'counts of regions, lines and words, and how much text is transcribed',
  usage: `htr-studio info FILE... [--json]`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
    if (!positionals.length) throw new UsageError('info needs at least one file');
    const rows = [];
    for (const file of positionals) {
      const { doc, warnings } = readDocument(await readXmlFile(file));
      const s = pageStats(doc);
      rows.push({ file, format: describeFormat(doc), image: doc.page.imageFilename, width: doc.page.imageWidth, height: doc.page.imageHeight, ...s, warnings });
      if (!values.json) {
        io.out(`${file}`);
        io.out(`  format       ${describeFormat(doc)}`);
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
