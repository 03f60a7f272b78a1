import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { listDetectors, pickDetector } from '../../node/layout/load.js';
import { listModels, pickRecognizer } from '../../node/models/registry.js';
import { DEFAULT_ATTEMPTS } from '../../node/queue/defaults.js';
import type { PageJobData } from '../../node/queue/page-job.js';
import { intOption, UsageError, type Command } from '../command.js';
import { outputPaths } from '../output-names.js';
import { readInputList } from '../shard.js';
import { queueTarget } from '../queue-target.js';

export const enqueue: Command = {
  name: 'enqueue',
  summary: 'add page images to a Redis job queue for `htr-studio worker`s (queue mode)',
  usage: `htr-studio enqueue IMAGE... [--list FILE] --queue URL --out DIR [--layout-model ID] [--model ID] [--beam N] [--attempts N] [--json]

  Adds one job per page to the queue at URL (redis://HOST[:PORT][/DB] or
  rediss://… for TLS); workers started with \`htr-studio worker --queue URL\` on
  any machine that sees the same paths write DIR/<stem>.xml (PAGE 2019), as
  \`process\` does. Idempotent: a page already in the queue (waiting, running,
  done or failed) or whose output exists is not added again. Paths are stored
  absolute, so images and DIR must be on storage every worker mounts at the same
  path. DIR must exist. The models are resolved here (default: this machine's),
  so every worker reads the backlog with the same ones. --attempts N: tries per
  page before it is dead-lettered (default ${DEFAULT_ATTEMPTS}; 5 s, 10 s, 20 s… apart).`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        queue: { type: 'string' },
        out: { type: 'string' },
        list: { type: 'string' },
        'layout-model': { type: 'string' },
        model: { type: 'string', short: 'm' },
        beam: { type: 'string' },
        attempts: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const all = [...positionals, ...(values.list ? await readInputList(values.list) : [])].map((p) => path.resolve(p));
    if (!all.length) throw new UsageError('enqueue needs at least one image (or --list FILE)');
    if (!values.out) throw new UsageError('enqueue needs --out DIR');
    const beam = intOption(values.beam, 'beam', 0, 100);
    const attempts = intOption(values.attempts, 'attempts', 1, 100) ?? DEFAULT_ATTEMPTS;
    const outDir = path.resolve(values.out);
    // Not created here: a missing folder on a cluster is usually storage that is not mounted.
    if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new Error(`output folder ${outDir} does not exist (create it on the shared storage first)`);
    const outputs = outputPaths(all, outDir, () => '.xml', false);
    const pages = [...new Set(all)];
    const todo = pages.filter((image) => !existsSync(outputs.get(image)!));
    const skipped = pages.length - todo.length;
    // The ids are pinned in the jobs (a folder given as --model stays a path, made absolute).
    const ref = (r: string | undefined, id: string): string => (r && existsSync(r) ? path.resolve(r) : id);
    const layoutModel = ref(values['layout-model'], pickDetector(listDetectors(), values['layout-model']).manifest.id);
    const model = ref(values.model, pickRecognizer(listModels().models, values.model).manifest.id);
    const target = await queueTarget(values.queue, 'enqueue');
    const { enqueuePages, openQueue } = await import('../../node/queue/page-queue.js');
    const queue = openQueue(target);
    try {
      const jobs: PageJobData[] = todo.map((image) => ({ image, output: outputs.get(image)!, layoutModel, model, ...(beam !== undefined && { beam }) }));
      const r = await enqueuePages(queue, jobs, outDir, attempts);
      io.err(`queued ${r.added} page(s)${r.present ? `; ${r.present} already in the queue` : ''}${skipped ? `; ${skipped} already have an output in ${outDir}` : ''} (${layoutModel} + ${model})`);
      if (values.json) io.out(JSON.stringify({ added: r.added, alreadyQueued: r.present, alreadyDone: skipped, layoutModel, model }, null, 2));
    } finally {
      await queue.close();
    }
    return 0;
  },
};
