/**
 * The editor's "Train a model on corrected pages": the chosen pages' lines cut
 * as the base model reads them, finetune.py in a child process (its events
 * relayed as "training" job events, cancel = SIGTERM, which keeps the best model
 * so far), then the collection's character LM and installation in the user
 * models folder under the chosen name, so the model lists show it at once.
 */
import path from 'node:path';
import type { TrainingRequest } from '../../common/api/service.js';
import { percent as pct } from '../../common/training/finetune-events.js';
import type { PageDocument } from '../../common/model/types.js';
import { listModels, pickRecognizer } from '../models/registry.js';
import { findTorchPython } from '../training/find-python.js';
import { cutTrainingLines, transcribedLines } from '../training/cut-training-lines.js';
import { runFinetune } from '../training/finetune-process.js';
import { addCollectionLm, installModel } from '../training/finish-model.js';
import type { JobContext, JobWork } from './job-runner.js';
import type { JobPage } from './project-job.js';

export interface TrainingProject {
  pages(): Promise<JobPage[]>;
  read(pageId: string): Promise<PageDocument>;
  /** Where the run's lines and checkpoints go (a cache: the installed model is the result). */
  readonly workDir: string;
}


export function trainingWork(req: TrainingRequest, project: TrainingProject): JobWork {
  return async (ctx: JobContext) => {
    const py = findTorchPython();
    if (py.python === null) throw new Error(py.message);
    const base = pickRecognizer(listModels().models, req.baseModelId ?? undefined);
    if (!base.dir || !base.manifest.input || base.manifest.family !== 'crnn-ctc') throw new Error(`${base.manifest.id} cannot be fine-tuned (only CRNN-CTC models such as htr-default)`);
    const total = Math.round(req.minutes * 60);
    ctx.progress(0, total, null, 'cutting lines');
    const chosen = new Set(req.pageIds);
    const pages = [];
    for (const p of await project.pages()) {
      if (!p.imageFile || (chosen.size && !chosen.has(p.id))) continue;
      const doc = await project.read(p.id);
      if (transcribedLines(doc)) pages.push({ name: p.name, doc, imageFile: p.imageFile });
    }
    if (!pages.length) throw new Error('no page with transcribed lines to train on');
    const outDir = path.join(project.workDir, req.name);
    const linesDir = path.join(outDir, '.training', 'lines');
    const n = await cutTrainingLines(pages, base.manifest.input, linesDir, ctx.signal);
    if (n < 2) throw new Error(`only ${n} transcribed line(s) on those pages: training needs corrected pages`);
    const started = Date.now();
    const done = await runFinetune({
      python: py.python,
      baseDir: base.dir,
      linesDir,
      outDir,
      minutes: req.minutes,
      id: req.name,
      name: req.name,
      signal: ctx.signal,
      onEvent: (event) => {
        ctx.emit({ type: 'training', event });
        const elapsed = Math.min(total, Math.round((Date.now() - started) / 1000));
        const label = event.event === 'eval' ? `training: held-back CER ${pct(event.val_cer)}` : event.event === 'done' ? 'saving the model' : 'training';
        ctx.progress(elapsed, total, null, label);
      },
    });
    await addCollectionLm(outDir, linesDir);
    await installModel(outDir, req.name);
    return `model "${req.name}" trained on ${done.lines} lines of ${done.pages} page(s): held-back CER ${pct(done.before_val_cer)} → ${pct(done.after_val_cer)}`;
  };
}
