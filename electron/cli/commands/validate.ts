import { parseArgs } from 'node:util';
import { readDocument, describeFormat, splitPages } from '../../common/formats/document-io.js';
import { checkDocument } from '../../common/formats/page-checks.js';
import { readXmlFile } from '../../node/io/files.js';
import { validateAgainstXsd } from '../../node/xsd/xsd-validate.js';
import { UsageError, type Command } from '../command.js';

export const validate: Command = {
  name: 'validate',
  summary: 'check PAGE-XML / ALTO files: structure, and the official XSD with --schemas',
  usage: `htr-studio validate FILE... [--schemas DIR] [--verbose] [--json]

  One line per file: OK or INVALID with the first problem. Checks that ids are
  unique valid xs:IDs, Coords are present, baselines have 2+ points, points lie
  inside the page and reading-order references exist. With --schemas DIR (a
  folder holding the official PAGE/ALTO XSDs), also validates against the XSD of
  the version the file declares. Exit 1 if any file is invalid.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { schemas: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (!positionals.length) throw new UsageError('validate needs at least one file');
    let invalid = 0;
    const rows: unknown[] = [];
    for (const file of positionals) {
      let problems: string[] = [];
      let format = '';
      try {
        const text = await readXmlFile(file);
        const { doc } = readDocument(text);
        format = describeFormat(doc);
        // Every page of a multi-page ALTO file, each problem named by its page.
        const pages = splitPages(doc);
        problems = pages.flatMap((d, i) => checkDocument(d).map((p) => (pages.length > 1 ? `page ${i + 1}: ${p.message}` : p.message)));
        if (values.schemas) {
          const xsd = await validateAgainstXsd(text, values.schemas, doc.format);
          problems.push(...xsd.errors.map((e) => `schema: ${e}`));
        }
      } catch (e) {
        problems = [(e as Error).message];
      }
      if (problems.length) invalid++;
      if (values.json) rows.push({ file, format, valid: problems.length === 0, problems });
      else if (!problems.length) io.out(`OK\t${file}\t${format}`);
      else {
        io.out(`INVALID\t${file}\t${format || '?'}\t${problems.length} problem(s); first: ${problems[0]}`);
        if (values.verbose) for (const p of problems.slice(1)) io.out(`\t${p}`);
      }
    }
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    return invalid ? 1 : 0;
  },
};
