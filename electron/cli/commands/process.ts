import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDocument } from '../../common/formats/document-io.js';
import { writeFileAtomic } from '../../node/io/files.js';
import { listDetectors, loadDetector, pickDetector } from '../../node/layout/load.js';
import { loadGrey } from '../../node/images/page-image.js';
import { segmentPage } from '../../node/layout/segment-page.js';
import { listModels, pickRecognizer } from '../../node/models/registry.js';
import { loadRecognizer } from '../../node/recognition/load.js';
import { recognizePage } from '../../node/recognition/recognize-page.js';
import { Progress } from '../progress.js';
import { intOption, UsageError, type Command } from '../command.js';
import { outputPaths } from '../output-names.js';
import { parseShard, readInputList, shardOf } from '../shard.js';

export const processCmd: Command = {
  name: 'process',
  summary: 'segment and recognise page images in one go → PAGE-XML with text',
  usage: `htr-studio process IMAGE... [--list FILE] -o OUTDIR [--layout-model ID] [--model ID] [--beam N] [--jobs N] [--force] [--rtl] [--keep-paths] [--shard I/N] [--json]

  For each image: layout detection, baselines, reading order, then recognition of
  every line; writes OUTDIR/<stem>.xml (PAGE 2019). Models are loaded once; pages
  run --jobs at a time (default: up to 2). Resumable: pages whose output exists are
  skipped unless --force. A failing page is reported and the others go on (exit 1).
  Images that would write the same file (a/page.jpg, b/page.png) stop the run
  before it starts (exit 2); --keep-paths mirrors their folders under OUTDIR.
  --list FILE adds the images named in FILE (one per line). --shard I/N works on
  the I-th of N slices of the sorted inputs (0 ≤ I < N): give every task of an
  array job the same inputs and its own I ($SLURM_ARRAY_TASK_ID,
  $JOB_COMPLETION_INDEX); the slices never overlap and together cover every input.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        output: { type: 'string', short: 'o' },
        'layout-model': { type: 'string' },
        model: { type: 'string', short: 'm' },
        beam: { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        force: { type: 'boolean', short: 'f' },
        'keep-paths': { type: 'boolean' },
        list: { type: 'string' },
        shard: { type: 'string' },
        rtl: { type: 'boolean' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
      },
      allowPositionals: true,
    });
    const all = [...positionals, ...(values.list ? await readInputList(values.list) : [])];
    if (!all.length) throw new UsageError('process needs at least one image');
    if (!values.output) throw new UsageError('process needs -o OUTDIR');
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    // Not given: the model's own default (its manifest's decoder.beam; greedy for models without one).
    const beam = intOption(values.beam, 'beam', 0, 100);
    const jobs = intOption(values.jobs, 'jobs', 1, 64) ?? Math.max(1, Math.min(2, os.availableParallelism()));
    const outDir = values.output;
    await fs.mkdir(outDir, { recursive: true });
    // Clashes are looked for among all inputs, so that every shard agrees on them.
    const outputs = outputPaths(all, outDir, () => '.xml', Boolean(values['keep-paths']));
    const outputOf = (image: string): string => outputs.get(image)!;
    const mine = shard ? shardOf(all, shard) : all;
    if (shard) io.err(`shard ${shard.index}/${shard.count}: ${mine.length} of ${new Set(all).size} image(s)`);
    const todo = mine.filter((image) => values.force || !existsSync(outputOf(image)));
    const skipped = mine.length - todo.length;
    if (skipped) io.err(`${skipped} page(s) already processed in ${outDir}: skipped (use --force to redo them)`);

    const layout = pickDetector(listDetectors(), values['layout-model']);
    const recModel = pickRecognizer(listModels().models, values.model);
    const [detector, recognizer] = await Promise.all([loadDetector(layout), loadRecognizer(recModel)]);
    const progress = new Progress(`process (${layout.manifest.id} + ${recModel.manifest.id})`, values.quiet);
    const results: unknown[] = [];
    let failed = 0;
    let done = 0;
    const queue = [...todo];
    const worker = async (): Promise<void> => {
      for (let image = queue.shift(); image !== undefined; image = queue.shift()) {
        const t0 = performance.now();
        try {
          // One grey decode serves the line splitting, the baselines and the line cuts
          // (segmentPage guards it against going unhandled when detection fails first).
          const grey = loadGrey(image);
          const { doc: segmented, zoom } = await segmentPage(image, detector, { outDir: path.dirname(outputOf(image)), grey, ...(values.rtl && { direction: 'rtl' as const }) });
          const rec = await recognizePage(segmented, image, recognizer, { beam, page: await grey });
          const written = writeDocument(rec.doc, 'page-2019');
          for (const w of written.warnings) io.err(`warning: ${image}: ${w}`);
          await writeFileAtomic(outputOf(image), written.xml);
          results.push({ image, output: outputOf(image), lines: rec.lines, ...(zoom !== undefined && { zoom }), ms: Math.round(performance.now() - t0) });
        } catch (e) {
          failed++;
          io.err(`error: ${image}: ${(e as Error).message}`);
          results.push({ image, error: (e as Error).message });
        }
        progress.update(++done, todo.length, path.basename(image));
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
    } finally {
      await Promise.all([detector.dispose(), recognizer.dispose()]);
    }
    if (values.json) io.out(JSON.stringify({ layoutModel: layout.manifest.id, model: recModel.manifest.id, skipped, results }, null, 2));
    return failed ? 1 : 0;
  },
};
