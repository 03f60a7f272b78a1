import { parseArgs } from 'node:util';
import { readDocument, writeDocument, TARGET_FORMATS, type TargetFormat } from '../../common/formats/document-io.js';
import { readXmlFile, writeFileAtomic } from '../../node/io/files.js';
import { UsageError, type Command } from '../command.js';

export const convert: Command = {
  name: 'convert',
  summary: 'convert PAGE-XML / ALTO, losslessly or to a schema-valid target',
  usage: `htr-studio convert IN -o OUT [--to ${TARGET_FORMATS.join('|')}]

  Without --to, OUT keeps IN's format and version and everything in it.
  With --to, OUT is valid against the target's official schema; every repair
  and every detail the target cannot hold is reported on stderr.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { output: { type: 'string', short: 'o' }, to: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('convert takes one input file');
    if (!values.output) throw new UsageError('convert needs -o OUT');
    const to = values.to as TargetFormat | undefined;
    if (to !== undefined && !TARGET_FORMATS.includes(to)) throw new UsageError(`unknown --to "${to}"; use one of ${TARGET_FORMATS.join(', ')}`);
    const input = positionals[0]!;
    const read = readDocument(await readXmlFile(input));
    const written = writeDocument(read.doc, to);
    for (const w of [...read.warnings, ...written.warnings]) io.err(`warning: ${input}: ${w}`);
    await writeFileAtomic(values.output, written.xml);
    return 0;
  },
};
