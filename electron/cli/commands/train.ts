import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { listModels, pickRecognizer } from '../../node/models/registry.js';
import { findTorchPython } from '../../node/training/find-python.js';
import { runFinetune } from '../../node/training/finetune-process.js';
import { addCollectionLm, installModel } from '../../node/training/finish-model.js';
import { percent as pct, type FinetuneEvent } from '../../common/training/finetune-events.js';
import { NOT_HANDWRITING } from '../../node/training/cut-training-lines.js';
import { exportCmd } from './export.js';
import { exportYolo } from '../../node/export/yolo-export.js';
import { listDetectors, pickDetector } from '../../node/layout/load.js';
import { UsageError, type Command, type Io } from '../command.js';

const f1 = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(3));

/** A folder stands for its page files (and those in its page/ folder); files stand for themselves. */
function pageFiles(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new UsageError(`no such file or folder: ${input}`);
    if (!statSync(input).isDirectory()) {
      out.push(input);
      continue;
    }
    for (const dir of [input, path.join(input, 'page')]) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) {
        if (/\.(xml|pxml)$/i.test(f) && !/^(mets|metadata)\.xml$/i.test(f)) out.push(path.join(dir, f));
      }
    }
  }
  return out;
}

/** Human progress on stderr (with --json the events go to stdout as they come). */
function describe(e: FinetuneEvent): string | undefined {
  switch (e.event) {
    case 'start':
      if (e.before_val_f1 !== undefined) return `training the layout model on ${e.pages} page(s), ${e.val_pages ?? 0} held back; ${e.base}'s line F1 on them: ${f1(e.before_val_f1)}`;
      return `training on ${e.lines} lines of ${e.pages} page(s), ${e.val_lines} held back; ${e.resumed_at ? `resumed at step ${e.resumed_at}; ` : ''}` +
        `new characters: ${e.new_characters || 'none'}; ${e.base} reads the held-back lines at ${pct(e.before_val_cer)} CER`;
    case 'eval':
      if (e.val_f1 !== undefined) return `step ${e.step}: held-back line F1 ${f1(e.val_f1)}, loss ${e.loss}, ${e.minutes_left} min left`;
      return `step ${e.step}: held-back CER ${pct(e.val_cer)} (best ${pct(e.best_val_cer)}), loss ${e.loss}, ${e.minutes_left} min left`;
    default:
      return undefined;
  }
}

export const trainCmd: Command = {
  name: 'train',
  summary: 'fine-tune a recognition (or layout) model on corrected pages (needs Python with PyTorch)',
  usage: `htr-studio train INPUT... --base MODEL -o DIR [--minutes N] [--task recognition|layout] [--json]
                         [--name NAME] [--resume] [--lr X] [--threads N]

  INPUT: PAGE/ALTO files with their images, or folders of them (their page/
  folder too). Every transcribed line is training data, so give corrected pages.
  Lines are cut exactly as \`recognize\` feeds MODEL (export --format lines
  --cut-as MODEL; printed/typewritten lines left out); every 10th line of each
  page is held back to measure the model and stop early. Training runs
  --minutes N (default 10) in native-models/recipes/htr/finetune.py; new
  characters get new output classes.
  DIR gets model.onnx, model.json (with its lineage: base, lines, pages, date),
  charlm.json (the base's character LM plus the new text) and MODEL_CARD.md
  (held-back CER before/after); DIR works wherever a model id does
  (recognize --model DIR). --name NAME also installs it as NAME in the user
  models folder. Ctrl-C / SIGTERM stops early and keeps the best model so far;
  --resume continues from DIR/.training (INPUT, --task and --base optional: those
  of the run it continues).
  --task layout fine-tunes a layout model (default layout-default) instead: the
  pages are exported as for \`export --format yolo\` (one page held back when two
  or more are given, to measure line F1 and keep the best checkpoint), then
  native-models/recipes/layout/finetune.py; DIR gets model.onnx, model.json with
  its lineage and MODEL_CARD.md, and works as \`segment --model DIR\`.
  --json: the recipe's progress events, one JSON object a line, then the result.
  Python: $HTR_STUDIO_PYTHON, else python3, else /usr/bin/python3, with torch,
  onnx, Pillow and numpy; none: exit 2 saying what to install.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        base: { type: 'string' },
        output: { type: 'string', short: 'o' },
        minutes: { type: 'string' },
        task: { type: 'string' },
        json: { type: 'boolean' },
        name: { type: 'string' },
        resume: { type: 'boolean' },
        lr: { type: 'string' },
        threads: { type: 'string' },
        'max-steps': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
      allowPositionals: true,
    });
    if (!values.output) throw new UsageError('train needs -o DIR');
    // --resume without --task/--base: what the run started with (recorded when it started).
    const runFile = path.join(path.resolve(values.output), '.training', 'run.json');
    const started = values.resume && existsSync(runFile) ? (JSON.parse(await fs.readFile(runFile, 'utf8')) as { task?: string; base?: string }) : {};
    const task = values.task ?? started.task ?? 'recognition';
    if (task !== 'recognition' && task !== 'layout') throw new UsageError('--task must be recognition or layout');
    if (!positionals.length && !values.resume) throw new UsageError('train needs at least one INPUT (or --resume)');
    const minutes = Number(values.minutes ?? 10);
    if (!(minutes > 0 && minutes <= 24 * 60)) throw new UsageError('--minutes must be a number of minutes above 0');
    const num = (k: 'lr' | 'threads' | 'max-steps'): number | undefined => {
      if (values[k] === undefined) return undefined;
      const n = Number(values[k]);
      if (!(n > 0)) throw new UsageError(`--${k} must be a positive number`);
      return n;
    };
    const lr = num('lr');
    const threads = num('threads');
    const maxSteps = num('max-steps');
    const outDir = path.resolve(values.output);
    const linesDir = path.join(outDir, '.training', 'lines');

    const py = findTorchPython();
    if (py.python === null) {
      io.err(py.message);
      return 2;
    }
    const baseRef = values.base ?? started.base ?? (task === 'layout' ? 'layout-default' : 'htr-default');
    let base;
    try {
      base = task === 'layout' ? pickDetector(listDetectors(), baseRef).model : pickRecognizer(listModels().models, baseRef);
    } catch (e) {
      throw new UsageError(`--base: ${(e as Error).message}`);
    }
    if (!base?.dir || !['crnn-ctc', 'yolo'].includes(base.manifest.family)) {
      throw new UsageError(`--base: ${baseRef} cannot be fine-tuned: only HTR Studio's own models (htr-default, layout-default) and models trained from them can`);
    }
    const dataYaml = path.join(outDir, '.training', 'data', 'data.yaml');

    if (task === 'layout' && positionals.length) {
      const pages = pageFiles(positionals);
      if (!pages.length) throw new UsageError('no PAGE/ALTO files in the inputs');
      await fs.rm(path.dirname(dataYaml), { recursive: true, force: true });
      // One page of the user's own held back (two or more pages given): the best checkpoint and the F1 figures.
      const layout = base.manifest.layout as { imgsz?: number } | undefined;
      const r = await exportYolo(pages, { outDir: path.dirname(dataYaml), classes: 'both', ...(layout?.imgsz && { imgsz: layout.imgsz }), valFraction: pages.length > 1 ? 1 / pages.length : 0, splitBy: 'page', seed: 0, warn: (l) => io.err(l) });
      if (r.pages.train < 1) throw new UsageError('no page with lines to train on');
    } else if (task === 'layout' && !existsSync(dataYaml)) {
      throw new UsageError(`--resume without INPUT: no training data in ${path.dirname(dataYaml)}`);
    } else if (positionals.length) {
      const pages = pageFiles(positionals);
      if (!pages.length) throw new UsageError('no PAGE/ALTO files in the inputs');
      await fs.rm(linesDir, { recursive: true, force: true });
      const quietIo: Io = { out: () => {}, err: (l) => (values.quiet ? undefined : io.err(l)) };
      // The app's one line cutter, as `export --format lines --cut-as BASE` runs it.
      const code = await exportCmd.run([...pages, '--format', 'lines', '--cut-as', base.dir, '--exclude-type', NOT_HANDWRITING.join(','), '-o', linesDir, '-q'], quietIo);
      if (code !== 0) io.err('some pages could not be read (see above); training on the others');
    } else if (!existsSync(linesDir)) {
      throw new UsageError(`--resume without INPUT: no lines in ${linesDir}`);
    }
    const nLines = task === 'layout' ? Infinity : (await fs.readdir(linesDir)).filter((f) => f.endsWith('.gt.txt')).length;
    if (nLines < 2) throw new UsageError(`only ${nLines} transcribed line(s) in the inputs: training needs corrected pages`);

    await fs.mkdir(path.dirname(runFile), { recursive: true });
    await fs.writeFile(runFile, JSON.stringify({ task, base: base.dir }) + '\n');
    const controller = new AbortController();
    const stop = (): void => {
      if (!controller.signal.aborted) io.err('stopping: keeping the best model so far…');
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    let done;
    try {
      done = await runFinetune({
        python: py.python,
        task,
        baseDir: base.dir,
        linesDir: task === 'layout' ? dataYaml : linesDir,
        outDir,
        minutes,
        ...(values.resume && { resume: true }),
        ...(lr !== undefined && { lr }),
        ...(threads !== undefined && { threads }),
        ...(maxSteps !== undefined && { maxSteps }),
        id: values.name ?? path.basename(outDir),
        ...(values.name && { name: values.name }),
        signal: controller.signal,
        onEvent: (e) => {
          if (values.json) io.out(JSON.stringify(e));
          else if (!values.quiet) {
            const line = describe(e);
            if (line) io.err(line);
          }
        },
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    const lmLines = task === 'layout' ? 0 : await addCollectionLm(outDir, linesDir);
    const installed = values.name ? await installModel(outDir, values.name) : undefined;
    const result = { ...done, event: 'result', lm_lines: lmLines, installed: installed ?? null };
    if (values.json) io.out(JSON.stringify(result));
    else {
      if (task === 'layout') io.out(`${outDir}: ${done.cancelled ? 'stopped early; ' : ''}held-back line F1 ${f1(done.before_val_f1)} → ${f1(done.after_val_f1)} (${done.pages} page(s))${installed ? `; installed as ${values.name}` : ''}`);
      else io.out(`${outDir}: ${done.cancelled ? 'stopped early; ' : ''}held-back CER ${pct(done.before_val_cer)} → ${pct(done.after_val_cer)} ` +
        `(${done.lines} lines, ${done.pages} page(s), best at step ${done.best_step})${installed ? `; installed as ${values.name}` : ''}`);
    }
    return 0;
  },
};
