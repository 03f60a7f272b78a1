import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readDocument } from '../../common/formats/document-io.js';
import { allLines, lineText } from '../../common/model/stats.js';
import { readXmlFile, writeFileAtomic } from '../../node/io/files.js';
import { findPageImage } from '../../node/images/find-image.js';
import { loadGrey } from '../../node/images/page-image.js';
import { cutLine, encodePng } from '../../node/images/line-cut.js';
import { linePolygon } from '../../node/recognition/recognize-page.js';
import { Progress } from '../progress.js';
import { UsageError, type Command } from '../command.js';

// Later: yolo (layout training), page, alto — behind the ground-truth checker.
const FORMATS = ['lines'] as const;

export const exportCmd: Command = {
  name: 'export',
  summary: 'export ground truth for training (lines: line image + .gt.txt pairs)',
  usage: `htr-studio export INPUT... --format lines -o OUTDIR [--height N] [--straighten dewarp|none] [--no-contrast]

  --format lines writes, for every transcribed line of each PAGE/ALTO input, a PNG
  of the line cut along its polygon (outside = white, straightened along its
  baseline) and NAME.gt.txt with its text; NAME = page stem + "_" + line id. This is
  what kraken, Calamari, tesstrain and HTR Studio's own recipes train on.
  OUTDIR/lines.tsv lists name, page, line id and text. Empty and uncuttable lines
  are skipped and counted. --height N scales every line to N pixels.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        height: { type: 'string' },
        straighten: { type: 'string' },
        'no-contrast': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
      },
      allowPositionals: true,
    });
    if (!values.format) throw new UsageError(`export needs --format (${FORMATS.join(', ')})`);
    if (!(FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`unknown --format "${values.format}"; this version exports: ${FORMATS.join(', ')}`);
    if (!values.output) throw new UsageError('export needs -o OUTDIR');
    if (!positionals.length) throw new UsageError('export needs at least one PAGE/ALTO input');
    const height = values.height === undefined ? undefined : Number(values.height);
    if (height !== undefined && (!Number.isInteger(height) || height < 8 || height > 1024)) throw new UsageError('--height must be a whole number from 8 to 1024');
    const straighten = (values.straighten ?? 'dewarp') as 'dewarp' | 'none';
    if (straighten !== 'dewarp' && straighten !== 'none') throw new UsageError('--straighten must be dewarp or none');
    const outDir = values.output;
    await fs.mkdir(outDir, { recursive: true });
    const used = new Set<string>();
    const index: string[] = ['name\tpage\tline_id\ttext'];
    const skipped = new Map<string, number>();
    const skip = (reason: string): void => void skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    let written = 0;
    let failed = 0;
    const progress = new Progress('export lines', values.quiet);
    for (const [n, input] of positionals.entries()) {
      try {
        const { doc } = readDocument(await readXmlFile(input));
        const image = findPageImage(input, doc.page.imageFilename);
        if (!image) throw new Error(`image "${doc.page.imageFilename}" not found beside ${input} or in its parent folder`);
        const page = await loadGrey(image, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight });
        const stem = path.basename(input).replace(/\.[^.]+$/, '');
        for (const l of allLines(doc.page.regions)) {
          const text = lineText(l).replace(/\s+/g, ' ').trim();
          if (!text) {
            skip('no transcription');
            continue;
          }
          const poly = linePolygon(l);
          if (!poly) {
            skip('no polygon or baseline');
            continue;
          }
          let img;
          try {
            img = await cutLine(page, poly, l.baseline?.points, { straighten, contrast: !values['no-contrast'], ...(height && { height }) });
          } catch (e) {
            skip((e as Error).message.replace(/\d+×\d+/, 'page'));
            continue;
          }
          let name = `${stem}_${l.id || 'line'}`.replace(/[^\p{L}\p{N}._-]+/gu, '_');
          if (used.has(name)) {
            let k = 2;
            while (used.has(`${name}_${k}`)) k++;
            name = `${name}_${k}`;
          }
          used.add(name);
          await fs.writeFile(path.join(outDir, `${name}.png`), await encodePng(img));
          await fs.writeFile(path.join(outDir, `${name}.gt.txt`), text + '\n');
          index.push(`${name}\t${path.basename(input)}\t${l.id}\t${text.replace(/\t/g, ' ')}`);
          written++;
        }
      } catch (e) {
        failed++;
        io.err(`error: ${input}: ${(e as Error).message}`);
      }
      progress.update(n + 1, positionals.length);
    }
    await writeFileAtomic(path.join(outDir, 'lines.tsv'), index.join('\n') + '\n');
    const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
    io.err(`exported ${written} line(s) to ${outDir}; skipped ${skippedTotal}${skippedTotal ? `: ${[...skipped].map(([r, k]) => `${k} ${r}`).join(', ')}` : ''}`);
    return failed ? 1 : 0;
  },
};
