/**
 * The engine side of the service interface for one project folder: lists pages,
 * reads and atomically writes their files, and serves image tiles. Both hosts
 * use it (HTTP server in browser mode, IPC in Electron); arguments arrive
 * already checked by the schema in common/api/methods.ts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { RecentProject, StartInfo, ExportFormat, ExportResult, JobEventSource, JobRequest, JobStarted, ModelInfo, OpenedPage, PageStatus, PageSummary, ProjectInfo, SaveResult, StudioService, RecognizePagesRequest, TrainingRequest, TrainingSetup } from '../../common/api/service.js';
import { ApiError } from '../../common/api/errors.js';
import { JobEventHub } from '../../common/api/job-events.js';
import type { PageDocument } from '../../common/model/types.js';
import { pageCount, readDocument, TARGET_NAMES, writeDocument } from '../../common/formats/document-io.js';
import { targetDocumentFormat } from '../../common/formats/target-format.js';
import { assertSchemaValid, findSchemaFolder } from '../xsd/schema-folder.js';
import { JobRunner } from '../jobs/job-runner.js';
import { ModelCatalog, type ModelProvider } from '../jobs/model-catalog.js';
import { jobWork, recognizePagesWork, type JobProject } from '../jobs/project-job.js';
import { importWork } from '../jobs/import-job.js';
import { LineImageCache } from './line-images.js';
import { trainingWork } from '../jobs/train-job.js';
import { findTorchPython } from '../training/find-python.js';
import { transcribedLines } from '../training/cut-training-lines.js';
import { readXmlBytes, readXmlFile, removeInterruptedWrites, writeFileAtomic } from '../io/files.js';
import { withFileLock } from '../io/file-lock.js';
import { imageHeader, shouldOrient, TileCache } from '../tiles/pyramid.js';
import { insideProject, newXmlFileFor, relativeId, scanProject, XML_SUBFOLDERS, type ScannedPage } from './scan.js';
import { blankPageXml } from './blank-page.js';
import { readProjectManifest, recordModelUse, updatePageEntries, updateSettings, type TextNormalization } from './project-manifest.js';
import { reorderPages, syncProjectMets } from './project-mets.js';
import { readJournal, removeJournal, writeJournal } from './edit-journal.js';
import { ProjectSearch } from './project-search.js';
import type { FindOptions, ProjectFind, ReplaceOutcome } from '../../common/transcription/find.js';
import type { CharSet } from '../../common/transcription/char-sets.js';
import { charSetsFile, parseCharSets } from '../../common/transcription/user-char-sets.js';
import { runtimePaths, userDataDir } from '../paths.js';

/** The person's character sets: in the user data folder, shared by every project. */
function charSetsPath(): string {
  return path.join(userDataDir(), 'char-sets.json');
}
import { personLineCount } from '../../common/model/merge.js';
import { accuracyReport, type AccuracyReport } from '../../common/eval/accuracy-report.js';
import { languagesReport, type LanguagesReport } from '../../common/language/page-languages.js';
import { parseSplit, plainCutter } from '../export/gt-export.js';
import { exportDestination, exportProjectPackage } from '../export/export-package.js';
import type { ImportRequest, ProjectExportRequest, ProjectExportResult } from '../../common/api/service.js';

export interface LocalServiceOptions {
  readonly cacheDir: string;
  /** Shared across projects in one engine (loaded models outlive a project switch); tests pass fakes. */
  readonly models?: ModelProvider;
  /** Where job events go; shared when the host switches projects, so subscribers stay subscribed. */
  readonly events?: JobEventHub;
  /** Build the next page's pyramid once the open page's is done (the app: yes; tests that remove the cache at once: no). */
  readonly prefetchNext?: boolean;
}

/**
 * A file version: a hash of its bytes, so any change is seen — also one that keeps
 * the size and modification time (`cp -p`, `rsync -t`, a restore from backup).
 */
async function revisionOf(file: string): Promise<string | null> {
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  return bytes && revisionOfBytes(bytes);
}

function revisionOfBytes(bytes: Buffer): string {
  return `sha256-${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;
}

/** The text and the revision of the same bytes, read under the file's lock (never a save in between). */
function readWithRevision(file: string): Promise<{ xml: string; revision: string }> {
  return withFileLock(file, async () => {
    const { text, bytes } = await readXmlBytes(file);
    return { xml: text, revision: revisionOfBytes(bytes) };
  });
}

/** Pages in a saved file: more than one only in an ALTO file (1 when it does not read). */
async function pagesOnDisk(file: string): Promise<number> {
  // Only an ALTO file is read whole: a PAGE save costs a look at the file's head.
  const handle = await fs.open(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  if (!/<(\w+:)?alto\b/.test(head)) return 1;
  try {
    return pageCount(readDocument(await readXmlFile(file)).doc);
  } catch {
    return 1;
  }
}

function declaredSize(xml: string): { width: number; height: number } | undefined {
  const w = /\bimageWidth\s*=\s*"(\d+)"/.exec(xml) ?? /<(?:\w+:)?Page\b[^>]*\bWIDTH\s*=\s*"(\d+)"/.exec(xml);
  const h = /\bimageHeight\s*=\s*"(\d+)"/.exec(xml) ?? /<(?:\w+:)?Page\b[^>]*\bHEIGHT\s*=\s*"(\d+)"/.exec(xml);
  return w && h ? { width: Number(w[1]), height: Number(h[1]) } : undefined;
}

export class LocalProjectService implements StudioService {
  readonly root: string;
  private pages: ScannedPage[] | undefined;
  /** Pages whose pyramid was built ahead of their opening (prefetchNext). */
  private readonly prefetched = new Set<string>();
  private readonly tiles: TileCache;
  /** Per page: whether its tiles are EXIF-rotated, decided when it was opened. */
  private readonly orientation = new Map<string, boolean>();
  /** Per page: the image size its transcription declares (decides EXIF rotation for line images). */
  private readonly declared = new Map<string, { width: number; height: number }>();
  readonly models: ModelProvider;
  readonly events: JobEventHub;
  readonly jobs: JobRunner;
  private readonly lineImages = new LineImageCache();

  private cleaned: Promise<string[]> | undefined;
  private readonly prefetchOn: boolean;
  private readonly cacheDir: string;

  constructor(root: string, opts: LocalServiceOptions) {
    this.root = path.resolve(root);
    this.prefetchOn = opts.prefetchNext ?? false;
    this.cacheDir = opts.cacheDir;
    this.tiles = new TileCache(opts.cacheDir);
    this.models = opts.models ?? new ModelCatalog();
    this.events = opts.events ?? new JobEventHub();
    this.jobs = new JobRunner(this.events);
  }

  /** Job events of this project (progress, results); the HTTP server streams them. */
  get jobEvents(): JobEventSource {
    return this.events;
  }

  async getProject(): Promise<ProjectInfo> {
    const pages = await this.scan();
    const manifest = await readProjectManifest(this.root);
    return { name: path.basename(this.root), dir: this.root, pageCount: pages.length, textNormalization: manifest.settings.textNormalization };
  }

  async listPages(): Promise<PageSummary[]> {
    const [pages, manifest] = await Promise.all([this.scan(), readProjectManifest(this.root)]);
    // Pages added or removed outside HTR Studio: its own mets.xml follows (a foreign one, or none, is left alone).
    await syncProjectMets(this.root, { create: false, pages }).catch(() => undefined);
    return pages.map(({ id, name, xmlPath, imagePath }) => ({ id, name, xmlPath, imagePath, status: manifest.pages[id]?.status ?? 'new' }));
  }

  async openPage(pageId: string): Promise<OpenedPage> {
    const page = await this.find(pageId);
    let xml: string;
    let revision: string | null = null;
    // Read once: for a blank page's size, the EXIF rule and the pyramid's levels.
    const header = page.imageFile ? await imageHeader(page.imageFile) : undefined;
    if (page.xmlFile) {
      ({ xml, revision } = await readWithRevision(page.xmlFile));
    } else {
      xml = blankPageXml(path.basename(page.imageFile!), header!.width, header!.height);
    }
    const size = declaredSize(xml);
    if (size) this.declared.set(pageId, size);
    let image = null;
    if (page.imageFile && header) {
      const orient = shouldOrient(header, size);
      this.orientation.set(pageId, orient);
      // At once from the header: the pyramid is built behind it, a quick preview first.
      image = await this.tiles.info(page.imageFile, orient, header);
      if (this.prefetchOn) void this.prefetchNext(pageId, page.imageFile, orient);
    }
    // Unsaved edits left by a crash, unless they are what the file holds now.
    const journal = await readJournal(this.root, pageId);
    const offered = journal && journal.xml !== xml ? { journal: { xml: journal.xml, savedAt: journal.savedAt } } : {};
    if (journal && !offered.journal) await removeJournal(this.root, pageId).catch(() => undefined);
    return { id: pageId, xml, revision, image, ...offered };
  }

  /**
   * Archivists work through a volume page by page: once this page's pyramid is
   * built, the next page's is built too, so "next page" opens from a warm cache.
   * One page ahead only, and after the open page (never competing with it).
   */
  private async prefetchNext(pageId: string, imageFile: string, orient: boolean): Promise<void> {
    try {
      await this.tiles.pyramid(imageFile, orient);
      const pages = this.pages ?? (await this.scan());
      const next = pages[pages.findIndex((p) => p.id === pageId) + 1];
      if (!next?.imageFile || this.prefetched.has(next.id)) return;
      this.prefetched.add(next.id);
      const xml = next.xmlFile ? await readXmlFile(next.xmlFile) : '';
      const header = await imageHeader(next.imageFile);
      await this.tiles.pyramid(next.imageFile, shouldOrient(header, declaredSize(xml)), header);
    } catch {
      // A page that cannot be prefetched says so when it is opened.
    }
  }

  async savePage(pageId: string, xml: string, baseRevision: string | null): Promise<SaveResult> {
    const page = await this.find(pageId);
    // Refuse anything that is not a readable PAGE/ALTO document: a save must never leave a broken file.
    let pages: number;
    let doc: PageDocument;
    try {
      doc = readDocument(xml).doc;
      pages = pageCount(doc);
    } catch (e) {
      throw new ApiError('bad-request', `not saved: the page does not read back (${(e as Error).message})`);
    }
    const file = page.xmlFile ?? (await newXmlFileFor(this.root, page.imageFile!));
    await this.mustBeInside(file);
    return withFileLock(file, async () => {
      const current = await revisionOf(file);
      if (current !== baseRevision) {
        throw new ApiError('conflict', current === null
          ? `not saved: ${relativeId(this.root, file)} was removed since it was opened`
          : `not saved: ${relativeId(this.root, file)} was changed since it was opened (by another window, a job or another program)`, { revision: current });
      }
      // A multi-page ALTO file opens at its first page, and the document the editor keeps carries the
      // other pages, so its saves write them all back. Should any save hold fewer pages than the file
      // (a client that wrote the shown page only), it is refused rather than losing pages.
      const before = current === null ? 1 : await pagesOnDisk(file);
      if (pages < before) {
        throw new ApiError('bad-request', `not saved: ${relativeId(this.root, file)} is an ALTO file of ${before} pages and this save holds ${pages}; saving would lose pages (HTR Studio edits the first page of such a file and keeps the others)`);
      }
      await writeFileAtomic(file, xml);
      // Saved: the journal's copy of these edits is no longer needed.
      await removeJournal(this.root, pageId).catch(() => undefined);
      if (!page.xmlFile) {
        this.pages = undefined; // the image-only page now has a file: rescan next time
        await this.pageFileMade();
      }
      // A person's text saved for the first time: the page is in progress (people set done and ground truth).
      if (personLineCount(doc) > 0) {
        await updatePageEntries(this.root, (all) => ((all[pageId]?.status ?? 'new') === 'new' ? { [pageId]: { status: 'in-progress', changed: new Date().toISOString() } } : undefined))
          .catch(() => undefined); // the page is saved; a status that could not be written is not worth failing the save
      }
      // The bytes just written (writeFileAtomic writes UTF-8): no second read for their revision.
      return { revision: revisionOfBytes(Buffer.from(xml, 'utf8')), xmlPath: relativeId(this.root, file) };
    });
  }

  /** Every saved page that reads; one that does not is left out of a report, not a reason to give none. */
  private async savedPages(): Promise<{ id: string; name: string; doc: PageDocument }[]> {
    const pages: { id: string; name: string; doc: PageDocument }[] = [];
    for (const p of await this.scan()) {
      if (!p.xmlFile) continue;
      const doc = await readXmlFile(p.xmlFile).then((xml) => readDocument(xml).doc, () => undefined);
      if (doc) pages.push({ id: p.id, name: p.name, doc });
    }
    return pages;
  }

  async accuracyReport(): Promise<AccuracyReport> {
    return accuracyReport(await this.savedPages());
  }

  async exportProject(req: ProjectExportRequest): Promise<ProjectExportResult> {
    let split;
    try {
      split = req.split ? parseSplit(req.split) : undefined;
    } catch (e) {
      throw new ApiError('bad-request', (e as Error).message);
    }
    const inputs = (await this.scan()).filter((p) => p.xmlFile).map((p) => p.xmlFile!);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const folder = path.join('exports', `${req.format}-${stamp}${req.zip ? '.zip' : ''}`);
    const r = await exportProjectPackage(inputs, {
      format: req.format,
      ...(req.statuses && { statuses: req.statuses }),
      ...(split && { split }),
      force: req.force,
      cut: plainCutter(),
      warn: () => undefined,
    }, exportDestination(path.join(this.root, folder), req.zip), {
      command: null,
      options: { ...(req.statuses && { statuses: req.statuses }), ...(req.split && { split: req.split }), force: req.force, zip: req.zip },
    });
    return { folder: r.refused ? null : folder.split(path.sep).join('/'), pages: r.pages, lines: r.lines, filtered: r.filtered, skipped: r.skipped, breaking: r.breaking, refused: r.refused };
  }

  async languagesReport(threshold: number): Promise<LanguagesReport> {
    return languagesReport(await this.savedPages(), threshold);
  }

  private readonly search = new ProjectSearch(revisionOf, (text) => revisionOfBytes(Buffer.from(text, 'utf8')));

  /** The pages to search: all or those asked for, the open one left out (the editor has it as on screen). */
  private async searchPages(pageIds: readonly string[] | null, skip: string | null): Promise<ScannedPage[]> {
    const all = await this.scan();
    const wanted = pageIds ? new Set(pageIds) : null;
    return all.filter((p) => p.id !== skip && (!wanted || wanted.has(p.id)));
  }

  async findInProject(query: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null): Promise<ProjectFind> {
    const r = await this.search.find(await this.searchPages(pageIds, skipPageId), query, opts);
    if (r instanceof Error) throw new ApiError('bad-request', r.message);
    return r;
  }

  async nextUncertainLine(fromPageId: string, threshold: number, step: 1 | -1): Promise<{ pageId: string; lineId: string } | null> {
    return this.search.nextUncertain(await this.scan(), fromPageId, threshold, step);
  }

  async replaceInProject(query: string, replacement: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null, person: string): Promise<ReplaceOutcome> {
    const pages = await this.searchPages(pageIds, skipPageId);
    for (const p of pages) if (p.xmlFile) await this.mustBeInside(p.xmlFile);
    const r = await this.search.replace(pages, query, replacement, opts, { kind: 'person', ...(person.trim() && { name: person.trim() }) });
    // People's text saved on these pages: new ones are in progress now, as after a save.
    const changed = new Set(r.pages);
    if (changed.size) await updatePageEntries(this.root, (all) => Object.fromEntries([...changed].filter((id) => (all[id]?.status ?? 'new') === 'new').map((id) => [id, { status: 'in-progress' as const, changed: new Date().toISOString() }]))).catch(() => undefined);
    return r;
  }

  undoProjectReplace(batchId: string): Promise<{ restored: string[]; changedSince: string[] }> {
    return this.search.undo(batchId);
  }

  async journalPage(pageId: string, xml: string | null, baseRevision: string | null): Promise<void> {
    await this.find(pageId);
    if (xml === null) return removeJournal(this.root, pageId);
    await writeJournal(this.root, pageId, xml, baseRevision);
  }

  async getCharSets(): Promise<CharSet[]> {
    const text = await fs.readFile(charSetsPath(), 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    // A file damaged by hand reads as far as it is sound: the panel still opens.
    return parseCharSets(text).sets;
  }

  async saveCharSets(json: string): Promise<CharSet[]> {
    const { sets, problems } = parseCharSets(json);
    if (problems.length) throw new ApiError('bad-request', `character sets not saved: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
    await fs.mkdir(path.dirname(charSetsPath()), { recursive: true });
    await withFileLock(charSetsPath(), () => writeFileAtomic(charSetsPath(), charSetsFile(sets)));
    return sets;
  }

  async setTextNormalization(form: TextNormalization): Promise<void> {
    await updateSettings(this.root, { textNormalization: form });
  }

  async reorderPages(pageIds: readonly string[]): Promise<PageSummary[]> {
    // Only ids the scan knows, each once: an unknown one is the caller's mistake, not a hole in the order.
    for (const id of pageIds) await this.find(id);
    await reorderPages(this.root, pageIds);
    return this.listPages();
  }

  async setPageStatus(pageId: string, status: PageStatus): Promise<void> {
    await this.find(pageId);
    await updatePageEntries(this.root, () => ({ [pageId]: { status, changed: new Date().toISOString() } }));
  }

  async getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array> {
    const page = await this.find(pageId);
    if (!page.imageFile) throw new ApiError('not-found', `page "${pageId}" has no image`);
    const tile = await this.tiles.tile(page.imageFile, this.orientation.get(pageId) ?? false, level, col, row);
    if (!tile) throw new ApiError('not-found', `no tile ${level}/${col}_${row}`);
    return new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
  }

  async exportPage(pageId: string, xml: string, format: ExportFormat): Promise<ExportResult> {
    const page = await this.find(pageId);
    let converted: { xml: string; warnings: string[] };
    try {
      converted = writeDocument(readDocument(xml).doc, format);
    } catch (e) {
      throw new ApiError('bad-request', `not exported: the page does not read (${(e as Error).message})`);
    }
    // The official XSD of the format (where the app has them) has the last word: an invalid file is never handed over as an export.
    try {
      const skipped = await assertSchemaValid(converted.xml, targetDocumentFormat(format), `page "${pageId}" as ${format}`, findSchemaFolder());
      if (skipped) converted.warnings.push(`not checked against the ${format} XSD: ${skipped}`);
    } catch (e) {
      throw new ApiError('bad-request', `not exported: ${(e as Error).message}`);
    }
    return { fileName: exportFileName(page.xmlFile ?? page.imageFile!, format), text: converted.xml, savedTo: null, cancelled: false, warnings: converted.warnings };
  }

  async listModels(): Promise<ModelInfo[]> {
    return this.models.recognizers();
  }

  async listDetectors(): Promise<ModelInfo[]> {
    return this.models.detectors();
  }

  async startJob(request: JobRequest): Promise<JobStarted> {
    await this.find(request.pageId); // an unknown page is the caller's mistake, answered now rather than as a failed job
    if (request.scope === 'lines' && request.kind !== 'recognize') throw new ApiError('bad-request', 'layout detection works on whole pages, not on selected lines');
    if (request.scope === 'lines' && !request.lineIds.length) throw new ApiError('bad-request', 'no lines selected');
    const known = request.kind === 'recognize' ? this.models.recognizers() : this.models.detectors();
    if (request.modelId !== null && !known.some((m) => m.id === request.modelId)) throw new ApiError('not-found', `no model "${request.modelId}"`);
    return { jobId: this.jobs.start(jobWork(request, this.jobProject(), this.models)) };
  }

  async recognizePages(request: RecognizePagesRequest): Promise<JobStarted> {
    for (const id of request.pageIds) await this.find(id);
    if (request.modelId !== null && !this.models.recognizers().some((m) => m.id === request.modelId)) throw new ApiError('not-found', `no model "${request.modelId}"`);
    return { jobId: this.jobs.start(recognizePagesWork(request, this.jobProject(), this.models)) };
  }

  async chooseImportSources(): Promise<string[]> {
    throw new ApiError('unsupported', 'the file dialog belongs to the desktop app; type or paste the paths');
  }

  async importSources(request: ImportRequest): Promise<JobStarted> {
    if (!request.sources.length) throw new ApiError('bad-request', 'nothing to import');
    return { jobId: this.jobs.start(importWork(request, this.root)) };
  }

  async trainingSetup(): Promise<TrainingSetup> {
    const py = findTorchPython();
    const project = this.jobProject();
    const pages = [];
    for (const p of await this.scan()) {
      if (!p.xmlFile || !p.imageFile) continue;
      const lines = await project.read(p.id).then(transcribedLines, () => 0);
      if (lines) pages.push({ id: p.id, name: p.name, lines });
    }
    return { unavailable: py.python === null ? py.message : null, pages };
  }

  async startTraining(request: TrainingRequest): Promise<JobStarted> {
    for (const id of request.pageIds) await this.find(id);
    if (request.baseModelId !== null && !this.models.recognizers().some((m) => m.id === request.baseModelId)) throw new ApiError('not-found', `no model "${request.baseModelId}"`);
    const project = this.jobProject();
    return { jobId: this.jobs.start(trainingWork(request, { pages: project.pages, read: project.read, workDir: path.join(this.cacheDir, 'training') })) };
  }

  async cancelJob(jobId: string): Promise<boolean> {
    return this.jobs.cancel(jobId);
  }

  async getLineImage(pageId: string, polygon: readonly number[], baseline: readonly number[]): Promise<string> {
    const page = await this.find(pageId);
    if (!page.imageFile) throw new ApiError('not-found', `page "${pageId}" has no image`);
    return this.lineImages.get(page.imageFile, this.declared.get(pageId), polygon, baseline);
  }

  /** Pages as jobs see them: read from disk (blank for an image alone), written atomically. */
  private jobProject(): JobProject {
    return {
      pages: async () => (await this.scan()).map((p) => ({ id: p.id, name: p.name, imageFile: p.imageFile })),
      read: async (pageId) => (await this.readVersion(pageId)).doc,
      readVersion: (pageId) => this.readVersion(pageId),
      // A model's reading is worth more than a record of it: a manifest that cannot be written does not fail the job.
      modelUsed: (pageId, kind, model) => recordModelUse(this.root, pageId, kind, model).catch(() => undefined),
      write: async (pageId, doc, revision, rebase) => {
        const page = await this.find(pageId);
        const file = page.xmlFile ?? (await newXmlFileFor(this.root, page.imageFile!));
        await this.mustBeInside(file);
        // The check and the write in one critical section with savePage's.
        const outcome = await withFileLock(file, async () => {
          let out: PageDocument | undefined = doc;
          let how: 'written' | 'merged' = 'written';
          const current = await revisionOf(file);
          if (current !== revision) {
            out = current === null ? undefined : rebase(readDocument(await readXmlFile(file)).doc);
            how = 'merged';
          }
          if (!out) return 'skipped' as const;
          await writeFileAtomic(file, writeDocument(out).xml);
          return how;
        });
        if (!page.xmlFile) {
          this.pages = undefined;
          if (outcome !== 'skipped') await this.pageFileMade();
        }
        return outcome;
      },
    };
  }

  /** A page's first transcription file was written: mets.xml lists it (made now if the project has none). */
  private async pageFileMade(): Promise<void> {
    // The page is saved; a mets.xml that could not follow is brought in step by the next page list.
    await syncProjectMets(this.root, { create: true }).catch(() => undefined);
  }

  /** The page as saved and the revision savePage will check (null: an image without its file yet). */
  private async readVersion(pageId: string): Promise<{ doc: PageDocument; revision: string | null }> {
    const page = await this.find(pageId);
    if (page.xmlFile) {
      const { xml, revision } = await readWithRevision(page.xmlFile);
      return { doc: readDocument(xml).doc, revision };
    }
    const h = await imageHeader(page.imageFile!);
    return { doc: readDocument(blankPageXml(path.basename(page.imageFile!), h.width, h.height)).doc, revision: null };
  }

  async chooseProject(): Promise<ProjectInfo | null> {
    throw new ApiError('unsupported', 'choosing a folder is not available here; start with --project DIR');
  }

  // One folder's service: switching projects and the start screen belong to its host (project-host.ts).
  async openProject(): Promise<ProjectInfo> {
    throw new ApiError('unsupported', 'this engine serves one folder; switching projects is the project host\'s');
  }

  createProject(): Promise<ProjectInfo> {
    return this.openProject();
  }

  openSample(): Promise<ProjectInfo> {
    return this.openProject();
  }

  async recentProjects(): Promise<RecentProject[]> {
    return [];
  }

  async forgetRecentProject(): Promise<RecentProject[]> {
    return [];
  }

  async startInfo(): Promise<StartInfo> {
    return { userModels: runtimePaths().userModels, sessionLog: null, logsDir: runtimePaths().logs };
  }

  async revealPath(): Promise<void> {
    throw new ApiError('unsupported', 'only the desktop app can show a folder in the file manager');
  }

  private async scan(): Promise<ScannedPage[]> {
    // Once per opening: leftovers of saves that were killed half-way are removed.
    this.cleaned ??= (async () => {
      const dirs = ['', ...XML_SUBFOLDERS].map((d) => path.join(this.root, d));
      const inside = await Promise.all(dirs.map((d) => insideProject(this.root, d)));
      return removeInterruptedWrites(dirs.filter((_, i) => inside[i])).catch(() => []);
    })();
    await this.cleaned;
    this.pages = await scanProject(this.root);
    return this.pages;
  }

  /** Checked again at write time: a folder may have been replaced by a link since the scan. */
  private async mustBeInside(file: string): Promise<void> {
    if (!(await insideProject(this.root, file))) throw new ApiError('bad-request', `not saved: ${relativeId(this.root, file)} leads outside the project folder (a link?)`);
  }

  /** Only ids the scan produced resolve to files: an id is never turned into a path directly. */
  private async find(pageId: string): Promise<ScannedPage> {
    let page = (this.pages ?? (await this.scan())).find((p) => p.id === pageId);
    if (!page) page = (await this.scan()).find((p) => p.id === pageId);
    if (!page) throw new ApiError('not-found', `no page "${pageId}" in this project`);
    return page;
  }
}

/** A name that says what the file holds and never equals the project's own page file: `<stem>.page2019.xml`, `<stem>.alto.xml`. */
export function exportFileName(file: string, format: ExportFormat): string {
  const stem = path.basename(file).replace(/\.(page\.)?(xml|pxml|alto|jpe?g|png|tiff?|jp2|webp)$/i, '');
  return `${stem}.${TARGET_NAMES[format].fileSuffix}.xml`;
}
