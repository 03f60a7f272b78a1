import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeDocument } from '../../common/formats/document-io.js';
import { writeFileAtomic } from '../../node/io/files.js';
import { findPageImage } from '../../node/images/find-image.js';
import { loadGrey } from '../../node/images/page-image.js';
import { listModels, pickRecognizer } from '../../node/models/registry.js';
import { loadRecognizer } from '../../node/recognition/load.js';
import { cutWholeLine, recognizePage } from '../../node/recognition/recognize-page.js';
import type { LineRecognizer } from '../../node/recognition/recognizer.js';
import { Progress } from '../progress.js';
import { intOption, UsageError, type Command } from '../command.js';
import { outputPaths } from '../output-names.js';
import { readDocumentFile } from '../../node/io/read-document.js';

const IMAGE_EXT = /\.(png|jpe?g|tiff?|webp|bmp|gif|jp2)$/i;

export const recognize: Command = {
  name: 'recognize',
  summary: 'recognise the text of every line of PAGE/ALTO pages, or of line images',
  usage: `htr-studio recognize INPUT... -o OUTDIR [--model ID] [--beam N] [--glyphs] [--keep-paths] [--json]

  INPUT is a PAGE/ALTO file (its image is found via imageFilename, relative to the
  XML file, then to its parent folder) → OUTDIR/<stem>.xml, PAGE 2019 with text and
  confidence on every line; or a line image (.png/.jpg/.tif) → OUTDIR/<stem>.txt.
  --model picks a model from \`htr-studio models\` (default: htr-default).
  --beam N uses a CTC beam search of width N, with the model's character
           language model where its manifest names one (default: the model's
           own setting; greedy for models without one; --beam 0: greedy).
  --glyphs also writes one Glyph per character. Progress goes to stderr; --json
  prints the results on stdout. A failing input is reported and the others go on;
  the exit code is then 1.
  Inputs that would write the same file stop the run before it starts (exit 2);
  --keep-paths mirrors their folders under OUTDIR.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        output: { type: 'string', short: 'o' },
        model: { type: 'string', short: 'm' },
        beam: { type: 'string' },
        glyphs: { type: 'boolean' },
        'keep-paths': { type: 'boolean' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
      },
      allowPositionals: true,
    });
    if (!positionals.length) throw new UsageError('recognize needs at least one input');
    if (!values.output) throw new UsageError('recognize needs -o OUTDIR');
    // Not given: the model's own default (its manifest's decoder.beam; greedy for models without one).
    const beam = intOption(values.beam, 'beam', 0, 100);
    const outputs = outputPaths(positionals, values.output, (input) => (IMAGE_EXT.test(input) ? '.txt' : '.xml'), Boolean(values['keep-paths']));
    const { models } = listModels();
    const chosen = pickRecognizer(models, values.model);
    const rec: LineRecognizer = await loadRecognizer(chosen);
    await fs.mkdir(values.output, { recursive: true });
    const results: unknown[] = [];
    let failed = 0;
    const progress = new Progress(`recognize (${chosen.manifest.id})`, values.quiet);
    try {
      for (const [n, input] of positionals.entries()) {
        const out = outputs.get(input)!;
        const t0 = performance.now();
        try {
          if (IMAGE_EXT.test(input)) {
            const img = await loadGrey(input);
            const line = await cutWholeLine(img, rec.input);
            const [res] = await rec.recognize([line], { beam });
            await writeFileAtomic(out, res!.text + '\n');
            results.push({ input, output: out, text: res!.text, conf: res!.conf, ms: Math.round(performance.now() - t0) });
          } else {
            const { doc, warnings } = (await readDocumentFile(input));
            const image = findPageImage(input, doc.page.imageFilename);
            if (!image) throw new Error(`image "${doc.page.imageFilename}" not found beside ${input} or in its parent folder`);
            const r = await recognizePage(doc, image, rec, { beam, glyphs: Boolean(values.glyphs), onProgress: (d, t) => progress.update(d, t, path.basename(input)) });
            const written = writeDocument(r.doc, 'page-2019');
            for (const w of [...warnings, ...written.warnings]) io.err(`warning: ${input}: ${w}`);
            for (const s of r.skipped) io.err(`warning: ${input}: line ${s.id} skipped: ${s.reason}`);
            await writeFileAtomic(out, written.xml);
            results.push({ input, output: out, image, lines: r.lines, skipped: r.skipped.length, ms: Math.round(performance.now() - t0) });
          }
        } catch (e) {
          failed++;
          io.err(`error: ${input}: ${(e as Error).message}`);
          results.push({ input, error: (e as Error).message });
        }
        if (!values.json && positionals.length > 1) progress.update(n + 1, positionals.length);
      }
    } finally {
      await rec.dispose();
    }
    if (values.json) io.out(JSON.stringify({ model: chosen.manifest.id, results }, null, 2));
    if (failed) io.err(`${failed} of ${positionals.length} input(s) failed`);
    return failed ? 1 : 0;
  },
};
