import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeDocument } from '../../common/formats/document-io.js';
import { writeFileAtomic } from '../../node/io/files.js';
import { listDetectors, loadDetector, pickDetector } from '../../node/layout/load.js';
import { segmentPage } from '../../node/layout/segment-page.js';
import { Progress } from '../progress.js';
import { UsageError, type Command } from '../command.js';
import { outputPaths } from '../output-names.js';

export const segment: Command = {
  name: 'segment',
  summary: 'find regions, lines and baselines on page images → PAGE-XML',
  usage: `htr-studio segment IMAGE... -o OUTDIR [--model ID] [--rtl] [--keep-paths] [--json]

  Writes OUTDIR/<stem>.xml (PAGE 2019, schema-valid) for each image, with
  imageFilename pointing at the image (relative to OUTDIR), every line with a
  polygon and a baseline, regions in reading order. --model picks a layout model
  from \`htr-studio models\` (default: the best-measuring one installed).
  --rtl orders columns right to left. Images that would write the same file
  (a/page.jpg, b/page.png) stop the run before it starts (exit 2);
  --keep-paths mirrors the images' folders under OUTDIR instead. --json prints
  each image's regions, lines and time, and the zoom its lines were found at
  where the model (layout.zoom) ran a page of small writing larger.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { output: { type: 'string', short: 'o' }, model: { type: 'string', short: 'm' }, rtl: { type: 'boolean' }, 'keep-paths': { type: 'boolean' }, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
      allowPositionals: true,
    });
    if (!positionals.length) throw new UsageError('segment needs at least one image');
    if (!values.output) throw new UsageError('segment needs -o OUTDIR');
    const outputs = outputPaths(positionals, values.output, () => '.xml', Boolean(values['keep-paths']));
    const chosen = pickDetector(listDetectors(), values.model);
    const detector = await loadDetector(chosen);
    await fs.mkdir(values.output, { recursive: true });
    const progress = new Progress(`segment (${chosen.manifest.id})`, values.quiet);
    const results: unknown[] = [];
    let failed = 0;
    try {
      for (const [i, image] of positionals.entries()) {
        const t0 = performance.now();
        try {
          const out = outputs.get(image)!;
          const { doc, zoom } = await segmentPage(image, detector, { outDir: path.dirname(out), ...(values.rtl && { direction: 'rtl' as const }) });
          const written = writeDocument(doc, 'page-2019');
          for (const w of written.warnings) io.err(`warning: ${image}: ${w}`);
          await writeFileAtomic(out, written.xml);
          const lines = doc.page.regions.reduce((n, r) => n + r.lines.length, 0);
          results.push({ image, output: out, regions: doc.page.regions.length, lines, ...(zoom !== undefined && { zoom }), ms: Math.round(performance.now() - t0) });
        } catch (e) {
          failed++;
          io.err(`error: ${image}: ${(e as Error).message}`);
          results.push({ image, error: (e as Error).message });
        }
        progress.update(i + 1, positionals.length);
      }
    } finally {
      await detector.dispose();
    }
    if (values.json) io.out(JSON.stringify({ model: chosen.manifest.id, results }, null, 2));
    return failed ? 1 : 0;
  },
};
