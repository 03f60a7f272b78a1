import { parseArgs } from 'node:util';
import { describeFormat, splitPages } from '../../common/formats/document-io.js';
import { checkDocument } from '../../common/formats/page-checks.js';
import { readDocumentFile } from '../../node/io/read-document.js';
import { checkAgainstSchema, findSchemaFolder } from '../../node/xsd/schema-folder.js';
import { UsageError, type Command } from '../command.js';

export const validate: Command = {
  name: 'validate',
  summary: 'check PAGE-XML / ALTO files: structure and the official XSD',
  usage: `htr-studio validate FILE... [--schemas DIR] [--verbose] [--json]

  One line per file: OK or INVALID with the first problem. INVALID is what the
  file's own schema forbids: ids that are missing, duplicated or not xs:IDs,
  missing PAGE Coords, baselines of fewer than 2 points, reading-order references
  to nothing; and the XSD of the version the file declares, from the XSDs built
  into the app (or put in <user data>/schemas; --schemas DIR names another folder
  of the official PAGE/ALTO XSDs; where there is none, stderr says so). HTR
  Studio's own rules (points
  outside the page, ALTO lines without a position, …) are warnings: an OK line
  counts them and names the first. Exit 1 if any file is invalid.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { schemas: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (!positionals.length) throw new UsageError('validate needs at least one file');
    const folder = findSchemaFolder(values.schemas);
    if (!folder) io.err('validate: no XSD checked (no schema folder: the app was built without the official XSDs; give --schemas DIR)');
    let invalid = 0;
    const rows: unknown[] = [];
    for (const file of positionals) {
      let problems: string[] = [];
      let warnings: string[] = [];
      let format = '';
      try {
        const { doc, warnings: read, text } = await readDocumentFile(file);
        format = describeFormat(doc);
        // Every page of a multi-page ALTO file, each problem named by its page.
        const pages = splitPages(doc);
        const found = pages.flatMap((d, i) => checkDocument(d).map((p) => ({ ...p, message: pages.length > 1 ? `page ${i + 1}: ${p.message}` : p.message })));
        problems = found.filter((p) => p.severity === 'invalid').map((p) => p.message);
        // What reading had to assume (a page size taken from the PrintSpace, …) is a warning too.
        warnings = [...read, ...found.filter((p) => p.severity === 'warning').map((p) => p.message)];
        if (folder) {
          const xsd = await checkAgainstSchema(text, doc.format, folder);
          if ('skipped' in xsd) warnings.push(`not checked against the XSD: ${xsd.skipped}`);
          else problems.push(...xsd.errors.map((e) => `schema: ${e}`));
        }
      } catch (e) {
        problems = [(e as Error).message];
      }
      if (problems.length) invalid++;
      if (values.json) rows.push({ file, format, valid: problems.length === 0, problems, warnings });
      else if (!problems.length) {
        io.out(warnings.length ? `OK\t${file}\t${format}\t${warnings.length} warning(s); first: ${warnings[0]}` : `OK\t${file}\t${format}`);
        if (values.verbose) for (const w of warnings.slice(1)) io.out(`\twarning: ${w}`);
      } else {
        io.out(`INVALID\t${file}\t${format || '?'}\t${problems.length} problem(s); first: ${problems[0]}`);
        if (values.verbose) {
          for (const p of problems.slice(1)) io.out(`\t${p}`);
          for (const w of warnings) io.out(`\twarning: ${w}`);
        }
      }
    }
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    return invalid ? 1 : 0;
  },
};
