/**
 * The service as the desktop app serves it: every call goes to the engine in
 * its utility process (EngineClient), except choosing the project folder,
 * which needs the native dialog of the window's main process, and showing a
 * folder in the file manager (the shell is the main process's too).
 */
import type { AccuracyReport, ImportRequest, LanguagesReport, RecentProject, RevealTarget, StartInfo, ProjectExportRequest, ProjectExportResult, ExportFormat, ExportResult, JobRequest, JobStarted, ModelInfo, OpenedPage, PageStatus, PageSummary, ProjectInfo, SaveResult, StudioService, RecognizePagesRequest, TrainingRequest, TrainingSetup } from '../common/api/service.js';
import { writeFileAtomic } from '../node/io/files.js';
import type { EngineClient } from '../node/server/engine-port.js';
import type { CharSet } from '../common/transcription/char-sets.js';
import type { FindOptions, ProjectFind, ReplaceOutcome } from '../common/transcription/find.js';

export class DesktopService implements StudioService {
  constructor(
    /** The engine now running (a new one after a crash). */
    private readonly engine: () => EngineClient,
    /** Shows the native folder dialog; resolves to the chosen folder or undefined. */
    private readonly pickFolder: () => Promise<string | undefined>,
    private readonly onProjectChanged: (dir: string) => void,
    /** Shows the native save dialog for a suggested file name; resolves to the chosen path or undefined. */
    private readonly pickSaveFile: (suggestedName: string) => Promise<string | undefined> = async () => undefined,
    /** The start screen's "show in the file manager", and this session's log (main's, which holds the engine's output too). */
    private readonly shell: { readonly reveal: (target: RevealTarget, info: StartInfo) => Promise<void>; readonly sessionLog: string | null } = { reveal: async () => undefined, sessionLog: null },
    /** The native open dialog for import sources: files (several) or a folder; resolves to the chosen paths (none when cancelled). */
    private readonly pickImportSources: (kind: 'files' | 'folder') => Promise<string[]> = async () => [],
  ) {}

  private get remote(): StudioService {
    return this.engine().service;
  }

  async open(dir: string): Promise<ProjectInfo> {
    const info = await this.engine().open(dir);
    this.onProjectChanged(info.dir);
    return info;
  }

  getProject(): Promise<ProjectInfo | null> {
    return this.remote.getProject();
  }

  // Every open goes through open(): the engine's restart reopens it, the menu and the log hear of it.
  openProject(dir: string): Promise<ProjectInfo> {
    return this.open(dir);
  }

  async createProject(dir: string): Promise<ProjectInfo> {
    return this.open((await this.remote.createProject(dir)).dir);
  }

  async openSample(): Promise<ProjectInfo> {
    return this.open((await this.remote.openSample()).dir);
  }

  recentProjects(): Promise<RecentProject[]> {
    return this.remote.recentProjects();
  }

  forgetRecentProject(dir: string): Promise<RecentProject[]> {
    return this.remote.forgetRecentProject(dir);
  }

  async startInfo(): Promise<StartInfo> {
    return { ...(await this.remote.startInfo()), sessionLog: this.shell.sessionLog };
  }

  async revealPath(target: RevealTarget): Promise<void> {
    await this.shell.reveal(target, await this.startInfo());
  }

  async chooseProject(): Promise<ProjectInfo | null> {
    const dir = await this.pickFolder();
    return dir ? this.open(dir) : null;
  }

  /** The engine converts; the file goes where the user says in the native dialog, written atomically. */
  async exportPage(pageId: string, xml: string, format: ExportFormat): Promise<ExportResult> {
    const r = await this.remote.exportPage(pageId, xml, format);
    const file = await this.pickSaveFile(r.fileName);
    if (!file) return { ...r, text: null, cancelled: true };
    await writeFileAtomic(file, r.text ?? '');
    return { ...r, text: null, savedTo: file };
  }

  listPages(): Promise<PageSummary[]> {
    return this.remote.listPages();
  }

  openPage(pageId: string): Promise<OpenedPage> {
    return this.remote.openPage(pageId);
  }

  savePage(pageId: string, xml: string, baseRevision: string | null): Promise<SaveResult> {
    return this.remote.savePage(pageId, xml, baseRevision);
  }

  nextUncertainLine(fromPageId: string, threshold: number, step: 1 | -1): Promise<{ pageId: string; lineId: string } | null> {
    return this.remote.nextUncertainLine(fromPageId, threshold, step);
  }

  findInProject(query: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null): Promise<ProjectFind> {
    return this.remote.findInProject(query, opts, pageIds, skipPageId);
  }

  replaceInProject(query: string, replacement: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null, person: string): Promise<ReplaceOutcome> {
    return this.remote.replaceInProject(query, replacement, opts, pageIds, skipPageId, person);
  }

  undoProjectReplace(batchId: string): Promise<{ restored: string[]; changedSince: string[] }> {
    return this.remote.undoProjectReplace(batchId);
  }

  journalPage(pageId: string, xml: string | null, baseRevision: string | null): Promise<void> {
    return this.remote.journalPage(pageId, xml, baseRevision);
  }

  getCharSets(): Promise<CharSet[]> {
    return this.remote.getCharSets();
  }

  saveCharSets(json: string): Promise<CharSet[]> {
    return this.remote.saveCharSets(json);
  }

  setTextNormalization(form: 'NFC' | 'NFD' | 'none'): Promise<void> {
    return this.remote.setTextNormalization(form);
  }

  exportProject(req: ProjectExportRequest): Promise<ProjectExportResult> {
    return this.remote.exportProject(req);
  }

  languagesReport(threshold: number): Promise<LanguagesReport> {
    return this.remote.languagesReport(threshold);
  }

  accuracyReport(): Promise<AccuracyReport> {
    return this.remote.accuracyReport();
  }

  setPageStatus(pageId: string, status: PageStatus): Promise<void> {
    return this.remote.setPageStatus(pageId, status);
  }

  reorderPages(pageIds: readonly string[]): Promise<PageSummary[]> {
    return this.remote.reorderPages(pageIds);
  }

  getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array> {
    return this.remote.getTile(pageId, level, col, row);
  }

  listModels(): Promise<ModelInfo[]> {
    return this.remote.listModels();
  }

  listDetectors(): Promise<ModelInfo[]> {
    return this.remote.listDetectors();
  }

  startJob(request: JobRequest): Promise<JobStarted> {
    return this.remote.startJob(request);
  }

  recognizePages(request: RecognizePagesRequest): Promise<JobStarted> {
    return this.remote.recognizePages(request);
  }

  chooseImportSources(kind: 'files' | 'folder'): Promise<string[]> {
    return this.pickImportSources(kind);
  }

  importSources(request: ImportRequest): Promise<JobStarted> {
    return this.remote.importSources(request);
  }

  trainingSetup(): Promise<TrainingSetup> {
    return this.remote.trainingSetup();
  }

  startTraining(request: TrainingRequest): Promise<JobStarted> {
    return this.remote.startTraining(request);
  }

  cancelJob(jobId: string): Promise<boolean> {
    return this.remote.cancelJob(jobId);
  }

  getLineImage(pageId: string, polygon: readonly number[], baseline: readonly number[]): Promise<string> {
    return this.remote.getLineImage(pageId, polygon, baseline);
  }
}
