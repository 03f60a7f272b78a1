import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  pageTargetVersion, writeDocumentAsTo, writeDocumentPages, writeDocumentTo, TARGET_FORMATS, type ReadOutcome, type TargetFormat,
} from '../../common/formats/document-io.js';
import { PreparedLineConflict } from '../../common/formats/page-repair.js';
import { writeFileAtomic, writeFileAtomicFrom } from '../../node/io/files.js';
import { readDocumentPieces } from '../../node/io/read-document.js';
import { LineSpool } from '../../node/io/line-spool.js';
import { targetDocumentFormat } from '../../common/formats/target-format.js';
import { assertSchemaValid, findSchemaFolder, schemaCheckAsWritten } from '../../node/xsd/schema-folder.js';
import { UsageError, type Command, type Io } from '../command.js';

/**
 * The files of a multi-page ALTO written as PAGE, one per page: OUT names a folder
 * (files named after IN) or, ending in .xml, gives the name: NAME_0001.xml, NAME_0002.xml, …
 */
export function pageFileNames(input: string, output: string, count: number): string[] {
  const asFile = /\.xml$/i.test(output);
  const dir = asFile ? path.dirname(output) : output;
  const name = asFile ? path.basename(output).replace(/\.xml$/i, '') : path.basename(input).replace(/\.[^.]*$/, '');
  return Array.from({ length: count }, (_, i) => path.join(dir, `${name}_${String(i + 1).padStart(4, '0')}.xml`));
}

export const convert: Command = {
  name: 'convert',
  summary: 'convert PAGE-XML / ALTO, losslessly or to a schema-valid target',
  usage: `htr-studio convert IN -o OUT [--to ${TARGET_FORMATS.join('|')}] [--schemas DIR]

  Without --to, OUT keeps IN's format and version and everything in it.
  With --to, OUT is valid against the target's official schema; every repair
  and every detail the target cannot hold is reported on stderr. The output is
  checked against that XSD before it is written (the XSDs built into the app, or
  --schemas DIR): one that still fails is not written (exit 2, the first schema
  error). Without any XSD folder this check is skipped, with a warning. The
  check reads the output as it streams by, so a file of any size is checked.
  A PAGE file is converted line by line, never held whole in memory, unless
  a line's ids would come out otherwise (then it is read again, whole).
  A multi-page ALTO file stays one file as ALTO; as PAGE (one page per file) it
  becomes OUT/IN_0001.xml, OUT/IN_0002.xml, … (OUT a folder), or
  NAME_0001.xml, … beside OUT when OUT is NAME.xml.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { output: { type: 'string', short: 'o' }, to: { type: 'string' }, schemas: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('convert takes one input file');
    if (!values.output) throw new UsageError('convert needs -o OUT');
    const to = values.to as TargetFormat | undefined;
    if (to !== undefined && !TARGET_FORMATS.includes(to)) throw new UsageError(`unknown --to "${to}"; use one of ${TARGET_FORMATS.join(', ')}`);
    const input = positionals[0]!;
    if (!to) {
      // Lossless: the file read in pieces, each PAGE line written (to a spool beside OUT) as it
      // is read, and the write going to OUT as it is made: a 200 MB file is never one string, nor one model.
      const spool = new LineSpool(values.output);
      try {
        const read = await readDocumentPieces(input, { keepLine: spool.keepLine, keepPoints: spool.keepPoints });
        if (read.doc.format.kind === 'page') {
          const warnings = await writeFileAtomicFrom(values.output, (write) => writeDocumentTo(read.doc, write, {}, { lineText: spool.lineText, pointsText: spool.pointsText }));
          for (const w of [...read.warnings, ...warnings]) io.err(`warning: ${input}: ${w}`);
          return 0;
        }
        return await writeConverted(input, values.output, read, undefined, values.schemas, io);
      } finally {
        spool.close();
      }
    }
    return (await convertTo(input, values.output, to, values.schemas, io)).code;
  },
};

/**
 * `convert --to TARGET`. A PAGE file is read in pieces, each line repaired on its own and
 * written for the target (to a spool beside OUT) as it is read, the document repaired and
 * written around the lines' stand-ins to OUT as it is made, then checked against the
 * target's XSD before it takes its name (the streaming check, fed each chunk as it is
 * written). Where a line cannot be written on its own
 * (an id the whole write may change, a line ALTO nests otherwise), the file is read again
 * whole and written from the whole model (writeConverted), as an ALTO file is: either way
 * the same file and the same warnings (tests/unit/big-page-convert.test.ts).
 * `how`: 'whole' always takes the whole model (the tests' reference). `spooled`: which way it went.
 */
export async function convertTo(
  input: string, output: string, to: TargetFormat, schemas: string | undefined, io: Io, how: 'auto' | 'whole' = 'auto',
): Promise<Converted> {
  const done = how === 'auto' ? await convertSpooled(input, output, to, schemas, io) : undefined;
  // Giving way, the spooled read (its stand-ins, what the spool holds of each line) is already let go.
  return done ?? { code: await writeConverted(input, output, await readDocumentPieces(input), to, schemas, io), spooled: false, outlinesKept: 0 };
}

interface Converted {
  readonly code: number;
  /** Written line by line (the line spool), not from the whole model. */
  readonly spooled: boolean;
  /** Big outlines kept as text, not as points (BigPoints). */
  readonly outlinesKept: number;
}

/** convertTo's spooled way; undefined where the file has to be written from the whole model (nothing written). */
async function convertSpooled(input: string, output: string, to: TargetFormat, schemas: string | undefined, io: Io): Promise<Converted | undefined> {
  const spool = new LineSpool(output, to === 'alto-4' ? 'alto' : pageTargetVersion(to));
  try {
    const read = await readDocumentPieces(input, { keepLine: spool.keepLine, keepPoints: spool.keepPoints });
    if (read.doc.format.kind !== 'page') return { code: await writeConverted(input, output, read, to, schemas, io), spooled: false, outlinesKept: 0 };
    if (spool.unfit !== undefined) return undefined;
    // Checked as it is written, each chunk as it goes to the file: the file is not read again.
    const check = await schemaCheckAsWritten(targetDocumentFormat(to), `${input} as ${to}`, findSchemaFolder(schemas));
    try {
      await writeFileAtomicFrom(
        output,
        (write) => writeDocumentAsTo(read.doc, to, (chunk) => {
          write(chunk);
          check.feed(chunk);
        }, {}, spool),
        async (tmp, warnings) => {
          // As writeConverted: the warnings, then the verdict of the XSD check.
          for (const w of [...read.warnings, ...warnings]) io.err(`warning: ${input}: ${w}`);
          const skipped = await check.assertValid(tmp);
          if (skipped) io.err(`warning: ${input}: not checked against the ${to} XSD: ${skipped}`);
        },
      );
    } catch (e) {
      if (e instanceof PreparedLineConflict) return undefined;
      throw e;
    }
    return { code: 0, spooled: true, outlinesKept: spool.bigPoints.count };
  } finally {
    spool.close();
  }
}

/** A document written as `to` (or as ALTO, its own format): each file checked against the target's XSD, then written. */
async function writeConverted(input: string, output: string, read: ReadOutcome, to: TargetFormat | undefined, schemas: string | undefined, io: Io): Promise<number> {
  const written = writeDocumentPages(read.doc, to);
  for (const w of [...read.warnings, ...written.warnings]) io.err(`warning: ${input}: ${w}`);
  if (to) {
    // Every output file passes its target's XSD before any is written: a user never receives an invalid file as a success.
    const folder = findSchemaFolder(schemas);
    for (const [i, xml] of written.xmls.entries()) {
      const what = written.xmls.length > 1 ? `page ${i + 1} of ${input} as ${to}` : `${input} as ${to}`;
      const skipped = await assertSchemaValid(xml, targetDocumentFormat(to), what, folder);
      if (skipped) io.err(`warning: ${input}: ${written.xmls.length > 1 ? `page ${i + 1}: ` : ''}not checked against the ${to} XSD: ${skipped}`);
      if (skipped && !folder) break;
    }
  }
  if (written.xmls.length === 1) {
    await writeFileAtomic(output, written.xmls[0]!);
    return 0;
  }
  const files = pageFileNames(input, output, written.xmls.length);
  for (const [i, file] of files.entries()) await writeFileAtomic(file, written.xmls[i]!);
  io.err(`wrote ${files.length} PAGE files, one per page of ${input}: ${files[0]} … ${files[files.length - 1]}`);
  return 0;
}
