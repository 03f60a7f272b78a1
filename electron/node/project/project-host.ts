/**
 * The engine of the desktop app and of browser mode (`htr-studio serve`): one
 * project open at a time, or none (the start screen), switched when the user opens
 * another folder — the old project's lock released, the new one's taken — with the
 * loaded models and the job-event stream kept across switches. Every open is
 * recorded in the recent projects. In the desktop app it runs in Electron's utility
 * process (see server/engine-port.ts), so recognition never blocks the window's main process.
 */
import type { AccuracyReport, ImportRequest, LanguagesReport, RecentProject, RevealTarget, StartInfo, ProjectExportRequest, ProjectExportResult, ExportFormat, ExportResult, JobEventSource, JobRequest, JobStarted, ModelInfo, OpenedPage, PageStatus, PageSummary, ProjectInfo, SaveResult, StudioService, RecognizePagesRequest, TrainingRequest, TrainingSetup } from '../../common/api/service.js';
import { ApiError } from '../../common/api/errors.js';
import type { CharSet } from '../../common/transcription/char-sets.js';
import type { FindOptions, ProjectFind, ReplaceOutcome } from '../../common/transcription/find.js';
import { JobEventHub } from '../../common/api/job-events.js';
import { ModelCatalog, type ModelProvider } from '../jobs/model-catalog.js';
import { LocalProjectService } from './local-service.js';
import fs from 'node:fs/promises';
import { lockProject, ProjectLockedError, type ProjectLock } from './project-lock.js';
import { RecentProjects } from './recent-projects.js';
import { createProjectFolder, expandHome } from './new-project.js';
import { copySample } from './sample-copy.js';
import { runtimePaths } from '../paths.js';

export interface ProjectHostOptions {
  /** Who holds the project's lock, as another HTR Studio is told. */
  readonly lockedBy?: string;
  /** The recent projects (default: recent.json in the user data folder). */
  readonly recent?: RecentProjects;
  /** This session's log file, shown on the start screen (browser mode; the desktop app's main process has its own). */
  readonly sessionLog?: string | null;
}

export class ProjectHost implements StudioService {
  private project: LocalProjectService | null = null;
  private lock: { readonly dir: string; readonly lock: ProjectLock } | undefined;
  readonly events = new JobEventHub();

  private readonly recent: RecentProjects;

  constructor(
    private readonly cacheDir: string,
    private readonly models: ModelProvider = new ModelCatalog(),
    private readonly opts: ProjectHostOptions = {},
  ) {
    this.recent = opts.recent ?? new RecentProjects(runtimePaths().userData);
  }

  get jobEvents(): JobEventSource {
    return this.events;
  }

  /** Opens a folder; a job still running in the previous project is cancelled. */
  async open(dir: string): Promise<ProjectInfo> {
    // One editor per project: another window or process on this folder is named, not raced.
    const target = expandHome(dir);
    if (!(await fs.stat(target).catch(() => undefined))?.isDirectory()) throw new ApiError('not-found', `no such folder: ${target}`);
    let lock = this.lock?.dir === target ? this.lock.lock : undefined;
    if (!lock) {
      try {
        lock = await lockProject(target, this.opts.lockedBy ?? 'the HTR Studio app');
      } catch (e) {
        if (e instanceof ProjectLockedError) throw new ApiError('conflict', e.message);
        throw e;
      }
      await this.lock?.lock.release();
    }
    const old = this.project;
    if (old?.jobs.running) old.jobs.cancel(old.jobs.running);
    this.lock = { dir: target, lock };
    this.project = new LocalProjectService(target, { cacheDir: this.cacheDir, models: this.models, events: this.events, prefetchNext: true });
    const info = await this.project.getProject();
    // The list is a convenience: failing to write it never fails an open.
    await this.recent.add(info.dir).catch(() => undefined);
    return info;
  }

  openProject(dir: string): Promise<ProjectInfo> {
    return this.open(dir);
  }

  async createProject(dir: string): Promise<ProjectInfo> {
    return this.open(await createProjectFolder(dir));
  }

  async openSample(): Promise<ProjectInfo> {
    const paths = runtimePaths();
    return this.open(copySample(paths.sample, paths.userSample));
  }

  async recentProjects(): Promise<RecentProject[]> {
    return this.recent.list();
  }

  forgetRecentProject(dir: string): Promise<RecentProject[]> {
    return this.recent.remove(dir);
  }

  async startInfo(): Promise<StartInfo> {
    const paths = runtimePaths();
    return { userModels: paths.userModels, sessionLog: this.opts.sessionLog ?? null, logsDir: paths.logs };
  }

  async revealPath(_target: RevealTarget): Promise<void> {
    throw new ApiError('unsupported', 'only the desktop app can show a folder in the file manager; the start screen shows its path');
  }


  private get current(): LocalProjectService {
    if (!this.project) throw new ApiError('not-found', 'no project folder is open');
    return this.project;
  }

  async getProject(): Promise<ProjectInfo | null> {
    return this.project ? this.project.getProject() : null;
  }

  async chooseProject(): Promise<ProjectInfo | null> {
    throw new ApiError('unsupported', 'the folder dialog belongs to the window, not the engine');
  }

  listPages(): Promise<PageSummary[]> {
    return this.current.listPages();
  }

  openPage(pageId: string): Promise<OpenedPage> {
    return this.current.openPage(pageId);
  }

  savePage(pageId: string, xml: string, baseRevision: string | null): Promise<SaveResult> {
    return this.current.savePage(pageId, xml, baseRevision);
  }

  nextUncertainLine(fromPageId: string, threshold: number, step: 1 | -1): Promise<{ pageId: string; lineId: string } | null> {
    return this.current.nextUncertainLine(fromPageId, threshold, step);
  }

  findInProject(query: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null): Promise<ProjectFind> {
    return this.current.findInProject(query, opts, pageIds, skipPageId);
  }

  replaceInProject(query: string, replacement: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null, person: string): Promise<ReplaceOutcome> {
    return this.current.replaceInProject(query, replacement, opts, pageIds, skipPageId, person);
  }

  undoProjectReplace(batchId: string): Promise<{ restored: string[]; changedSince: string[] }> {
    return this.current.undoProjectReplace(batchId);
  }

  journalPage(pageId: string, xml: string | null, baseRevision: string | null): Promise<void> {
    return this.current.journalPage(pageId, xml, baseRevision);
  }

  getCharSets(): Promise<CharSet[]> {
    return this.current.getCharSets();
  }

  saveCharSets(json: string): Promise<CharSet[]> {
    return this.current.saveCharSets(json);
  }

  setTextNormalization(form: 'NFC' | 'NFD' | 'none'): Promise<void> {
    return this.current.setTextNormalization(form);
  }

  exportProject(req: ProjectExportRequest): Promise<ProjectExportResult> {
    return this.current.exportProject(req);
  }

  languagesReport(threshold: number): Promise<LanguagesReport> {
    return this.current.languagesReport(threshold);
  }

  accuracyReport(): Promise<AccuracyReport> {
    return this.current.accuracyReport();
  }

  setPageStatus(pageId: string, status: PageStatus): Promise<void> {
    return this.current.setPageStatus(pageId, status);
  }

  reorderPages(pageIds: readonly string[]): Promise<PageSummary[]> {
    return this.current.reorderPages(pageIds);
  }

  exportPage(pageId: string, xml: string, format: ExportFormat): Promise<ExportResult> {
    return this.current.exportPage(pageId, xml, format);
  }

  getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array> {
    return this.current.getTile(pageId, level, col, row);
  }

  async listModels(): Promise<ModelInfo[]> {
    return this.models.recognizers();
  }

  async listDetectors(): Promise<ModelInfo[]> {
    return this.models.detectors();
  }

  startJob(request: JobRequest): Promise<JobStarted> {
    return this.current.startJob(request);
  }

  recognizePages(request: RecognizePagesRequest): Promise<JobStarted> {
    return this.current.recognizePages(request);
  }

  async chooseImportSources(): Promise<string[]> {
    throw new ApiError('unsupported', 'the file dialog belongs to the window, not the engine');
  }

  importSources(request: ImportRequest): Promise<JobStarted> {
    return this.current.importSources(request);
  }

  trainingSetup(): Promise<TrainingSetup> {
    return this.current.trainingSetup();
  }

  startTraining(request: TrainingRequest): Promise<JobStarted> {
    return this.current.startTraining(request);
  }

  cancelJob(jobId: string): Promise<boolean> {
    return this.current.cancelJob(jobId);
  }

  getLineImage(pageId: string, polygon: readonly number[], baseline: readonly number[]): Promise<string> {
    return this.current.getLineImage(pageId, polygon, baseline);
  }

  async dispose(): Promise<void> {
    if (this.project?.jobs.running) this.project.jobs.cancel(this.project.jobs.running);
    await this.project?.jobs.idle();
    await this.models.dispose();
    // The project's lock goes back with the engine (a killed engine's goes stale: its process is gone).
    await this.lock?.lock.release();
    this.lock = undefined;
  }
}
