/**
 * A job request turned into work: the open page (from the editor's current
 * text, its result sent back as an event), some of its lines, or every page of
 * the project (the others read from and written back to disk, one after another).
 */
import path from 'node:path';
import type { JobRequest, RecognizePagesRequest } from '../../common/api/service.js';
import type { PageDocument } from '../../common/model/types.js';
import { readDocument, writeDocument } from '../../common/formats/document-io.js';
import type { JobContext, JobWork } from './job-runner.js';
import type { ModelProvider } from './model-catalog.js';
import { detectDocument, recognizeDocument, type PageWorkOptions } from './page-work.js';
import { mergeLineTexts, personLineCount } from '../../common/model/merge.js';
import type { ModelKind } from '../project/project-manifest.js';
import type { LineRecognizer } from '../recognition/recognizer.js';
import type { LayoutDetector } from '../layout/detector.js';

export interface JobPage {
  readonly id: string;
  readonly name: string;
  /** Absolute path; null when the page's image cannot be found. */
  readonly imageFile: string | null;
}

/** What a job needs of the project (LocalProjectService gives it; tests give a temp folder). */
export interface JobProject {
  pages(): Promise<JobPage[]>;
  /** The page as saved (a blank document for an image without a transcription file). */
  read(pageId: string): Promise<PageDocument>;
  /** The page as saved and its revision (null: no file yet), as savePage checks it. */
  readVersion(pageId: string): Promise<{ doc: PageDocument; revision: string | null }>;
  /**
   * Writes the page if it is still at `revision`. If someone saved it meanwhile, `rebase`
   * gets the page as it is now and returns what to write instead, or undefined to leave it.
   */
  write(pageId: string, doc: PageDocument, revision: string | null, rebase: (current: PageDocument) => PageDocument | undefined): Promise<'written' | 'merged' | 'skipped'>;
  /** Notes that a model read (or laid out) a page: the project's manifest keeps the last of each kind. */
  modelUsed?(pageId: string, kind: ModelKind, model: { readonly id: string; readonly version?: string }): Promise<void>;
}

type PageStep = (doc: PageDocument, imageFile: string, opts: PageWorkOptions) => Promise<{ doc: PageDocument; lines: number; keptCorrected: number }>;

/** Progress of a multi-page job in these steps per page, so a bar moves within a page too. */
const STEPS_PER_PAGE = 100;

export function jobWork(req: JobRequest, project: JobProject, models: ModelProvider): JobWork {
  return async (ctx: JobContext) => {
    const all = await project.pages();
    const open = all.find((p) => p.id === req.pageId);
    if (!open) throw new Error(`no page "${req.pageId}" in this project`);
    const targets = req.scope === 'project' ? all.filter((p) => p.imageFile) : [open];
    if (!open.imageFile && req.scope !== 'project') throw new Error(`page "${open.name}" has no image to work on`);
    ctx.progress(0, targets.length * STEPS_PER_PAGE, null, 'loading model');
    const lineIds = req.scope === 'lines' ? req.lineIds : null;
    const scope = { lineIds, replaceCorrected: req.replaceCorrected };
    const recognize = (rec: LineRecognizer): PageStep => (doc, image, opts) => recognizeDocument(doc, image, rec, scope, req.beam === null ? opts : { ...opts, beam: req.beam });
    const detect = (det: LayoutDetector): PageStep => async (doc, image, opts) => {
      // Layout detection replaces every line: a page with a person's text is left as it is unless asked.
      const corrected = personLineCount(doc);
      if (corrected && !req.replaceCorrected) return { doc, lines: 0, keptCorrected: corrected };
      return { ...(await detectDocument(doc, image, det, path.dirname(image), opts)), keptCorrected: 0 };
    };
    const { step: processPage, model } = req.kind === 'recognize'
      ? await models.recognizer(req.modelId).then((rec) => ({ step: recognize(rec), model: rec.manifest }))
      : await models.detector(req.modelId).then((det) => ({ step: detect(det), model: det.manifest }));
    const kind: ModelKind = req.kind === 'recognize' ? 'recognition' : 'layout';
    ctx.signal.throwIfAborted();

    let lines = 0;
    let written = 0;
    let kept = 0;
    let skipped = 0;
    for (const [i, page] of targets.entries()) {
      ctx.signal.throwIfAborted();
      const isOpen = page.id === req.pageId;
      const { doc, revision } = isOpen ? { doc: readDocument(req.xml).doc, revision: null } : await project.readVersion(page.id);
      const label = targets.length > 1 ? `${page.name} (${i + 1}/${targets.length})` : page.name;
      const opts = {
        signal: ctx.signal,
        onProgress: (done: number, total: number) => ctx.progress(i * STEPS_PER_PAGE + Math.round((STEPS_PER_PAGE * done) / Math.max(1, total)), targets.length * STEPS_PER_PAGE, page.id, label),
      };
      ctx.progress(i * STEPS_PER_PAGE, targets.length * STEPS_PER_PAGE, page.id, label);
      const r = await processPage(doc, page.imageFile!, opts);
      lines += r.lines;
      kept += r.keptCorrected;
      if (isOpen) {
        ctx.emit({ type: 'page-result', kind: req.kind, pageId: page.id, xml: writeDocument(r.doc).xml, lineIds: lineIds && [...lineIds] });
        // The editor applies it (one undo takes it back): the model still read the page.
        if (r.doc !== doc) await project.modelUsed?.(page.id, kind, model);
      } else if (r.doc !== doc) {
        ctx.signal.throwIfAborted();
        // Saved by someone while we worked: our text goes only into lines they left as they were;
        // a new layout cannot be merged, so that page is left alone.
        const rebase = (current: PageDocument) => (req.kind === 'recognize' ? mergeLineTexts(doc, r.doc, current).doc : undefined);
        const outcome = await project.write(page.id, r.doc, revision, rebase);
        if (outcome === 'skipped') skipped++;
        else {
          written++;
          await project.modelUsed?.(page.id, kind, model);
          ctx.emit({ type: 'page-saved', pageId: page.id });
        }
      }
    }
    const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
    const what = req.kind === 'recognize' ? `${n(lines, 'line')} recognised` : `${n(lines, 'line')} found`;
    const notes = [
      ...(kept ? [req.kind === 'recognize' ? `${n(kept, 'corrected line')} left as people wrote them` : `pages with ${n(kept, 'corrected line')} left as they were`] : []),
      ...(skipped ? [`${n(skipped, 'page')} changed meanwhile and left alone`] : []),
    ];
    const tail = notes.length ? `; ${notes.join('; ')}` : '';
    return targets.length > 1 ? `${what} on ${targets.length} pages (${written} saved)${tail}` : `${what}${tail}`;
  };
}

/**
 * Pages recognised for the editor to apply when it opens them (see
 * RecognizePagesRequest): read from disk, never written; one "page-result" each.
 */
export function recognizePagesWork(req: RecognizePagesRequest, project: JobProject, models: ModelProvider): JobWork {
  return async (ctx: JobContext) => {
    const wanted = new Set(req.pageIds);
    const targets = (await project.pages()).filter((p) => wanted.has(p.id) && p.imageFile);
    ctx.progress(0, targets.length * STEPS_PER_PAGE, null, 'loading model');
    const rec = await models.recognizer(req.modelId);
    let lines = 0;
    let kept = 0;
    for (const [i, page] of targets.entries()) {
      ctx.signal.throwIfAborted();
      const label = `${page.name} (${i + 1}/${targets.length})`;
      const opts = {
        signal: ctx.signal,
        onProgress: (done: number, total: number) => ctx.progress(i * STEPS_PER_PAGE + Math.round((STEPS_PER_PAGE * done) / Math.max(1, total)), targets.length * STEPS_PER_PAGE, page.id, label),
        ...(req.beam !== null && { beam: req.beam }),
      };
      const r = await recognizeDocument(await project.read(page.id), page.imageFile!, rec, { lineIds: null, replaceCorrected: req.replaceCorrected }, opts);
      lines += r.lines;
      kept += r.keptCorrected;
      ctx.emit({ type: 'page-result', kind: 'recognize', pageId: page.id, xml: writeDocument(r.doc).xml, lineIds: null });
    }
    const keptNote = kept ? `; ${kept} corrected line${kept === 1 ? '' : 's'} left as people wrote them` : '';
    return `${lines} line${lines === 1 ? '' : 's'} recognised on ${targets.length} page${targets.length === 1 ? '' : 's'}${keptNote}; each is applied when its page is opened (undo restores it)`;
  };
}
