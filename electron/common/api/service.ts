/**
 * The one interface between the editor (renderer) and the engine. The renderer
 * talks only to this; it is served over Electron IPC (electron/main) and over
 * HTTP in browser mode (electron/node/server). Every value is plain data, so it
 * crosses both transports unchanged.
 */
import type { FinetuneEvent } from '../training/finetune-events.js';
import { TARGET_NAMES, type TargetFormat } from '../formats/document-io.js';
import type { AccuracyReport } from '../eval/accuracy-report.js';
import type { CharSet } from '../transcription/char-sets.js';
import type { LanguagesReport } from '../language/page-languages.js';

export type { LanguagesReport } from '../language/page-languages.js';
import type { FindOptions, ProjectFind, ReplaceOutcome } from '../transcription/find.js';

export type { FindOptions, ProjectFind, ProjectHit, ReplaceOutcome } from '../transcription/find.js';

export type { AccuracyReport } from '../eval/accuracy-report.js';

export interface ProjectInfo {
  /** Folder name, for the window title. */
  readonly name: string;
  /** Absolute folder path (shown to the user, never sent back as an argument). */
  readonly dir: string;
  readonly pageCount: number;
  /** How line texts are stored (the project's setting, htr-studio.json): NFC unless set otherwise. */
  readonly textNormalization: 'NFC' | 'NFD' | 'none';
}

/**
 * Where a page stands in the work: new (nobody has corrected it), in progress
 * (set when a person's text is first saved), done (corrected), ground truth
 * (checked: fit to train and evaluate on). People set done and ground truth.
 */
export const PAGE_STATUSES = ['new', 'in-progress', 'done', 'ground-truth'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

/** What the editor's "Export ground truth" asks for: the same choices as `htr-studio export`. */
export const DOCUMENT_EXPORT_FORMATS = [
  TARGET_NAMES['page-2019'].exportFormat, TARGET_NAMES['page-2013'].exportFormat, TARGET_NAMES['alto-4'].exportFormat, 'text',
  // An OCR-D workspace: mets.xml with the images and PAGE 2019 files it lists (node/export/mets-export.ts).
  'mets',
] as const;
export const TRAINER_EXPORT_FORMATS = ['kraken', 'tesstrain', 'pylaia', 'loghi'] as const;
export const PROJECT_EXPORT_FORMATS = [...DOCUMENT_EXPORT_FORMATS, ...TRAINER_EXPORT_FORMATS] as const;
export type ProjectExportFormat = (typeof PROJECT_EXPORT_FORMATS)[number];

export interface ProjectExportRequest {
  readonly format: ProjectExportFormat;
  /** Only pages of these statuses; null: every page. */
  readonly statuses: readonly PageStatus[] | null;
  /** "80/10/10" or null (everything in one folder). */
  readonly split: string | null;
  /** Leave out lines the checker finds breaking instead of refusing. */
  readonly force: boolean;
  /** One zip (`exports/FORMAT-TIME.zip`) instead of a folder; both hold export-manifest.json. */
  readonly zip: boolean;
}

export interface ProjectExportResult {
  /** The folder (or zip) written, relative to the project (null when refused). */
  readonly folder: string | null;
  readonly pages: Readonly<Record<'train' | 'val' | 'test', number>>;
  readonly lines: Readonly<Record<'train' | 'val' | 'test', number>>;
  readonly filtered: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly breaking: Readonly<Record<string, number>>;
  readonly refused: boolean;
}

export interface PageSummary {
  /** Opaque page id: the page file's path relative to the project, with forward slashes. */
  readonly id: string;
  /** Display name (the file's base name without extension). */
  readonly name: string;
  /** Relative path of the PAGE/ALTO file, or null for an image with no transcription file yet. */
  readonly xmlPath: string | null;
  /** Relative path of the page image, or null when it cannot be found. */
  readonly imagePath: string | null;
  readonly status: PageStatus;
}

/** A Deep Zoom pyramid: level `maxLevel` is full size, each level below halves it, tiles are `tileSize` square. */
export interface ImageInfo {
  readonly width: number;
  readonly height: number;
  readonly tileSize: number;
  readonly maxLevel: number;
}

export interface OpenedPage {
  readonly id: string;
  /** PAGE-XML or ALTO text; for an image without a file, a fresh empty PAGE document. */
  readonly xml: string;
  /** Identifies the file version that was read; null when there is no file yet. */
  readonly revision: string | null;
  readonly image: ImageInfo | null;
  /**
   * Edits of this page that were never saved (the app or its engine stopped first),
   * kept by the journal: the editor offers them back. Absent when there are none.
   */
  readonly journal?: { readonly xml: string; readonly savedAt: string };
}

/** Formats a page can be exported to (the same names as `htr-studio convert --to`). */
/** What a page can be exported as: the formats `convert --to` writes (one list, document-io.ts). */
export type ExportFormat = TargetFormat;

/**
 * What exporting did. Desktop app: the engine converts, the window's main
 * process asks where to save (native dialog) and writes the file: `savedTo`, or
 * `cancelled`. Browser mode (no file dialog on the server): the converted text
 * comes back for the browser to download as `fileName`.
 */
export interface ExportResult {
  readonly fileName: string;
  readonly text: string | null;
  readonly savedTo: string | null;
  readonly cancelled: boolean;
  /** Each repair the target's schema needed, and each detail it cannot hold. */
  readonly warnings: readonly string[];
}

export interface SaveResult {
  readonly revision: string;
  /** Relative path the page was written to. */
  readonly xmlPath: string;
}

/** A recognition or layout model the engine can run. */
export interface ModelInfo {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly description: string;
  readonly languages: readonly string[];
  /** Where it comes from: shipped with HTR Studio, the user's models folder, Tesseract, or built in. */
  readonly origin: 'shipped' | 'user' | 'tesseract' | 'builtin';
  /** The one the editor preselects (htr-default when installed, else the engine's pick). */
  readonly isDefault: boolean;
}

export type JobKind = 'recognize' | 'detect';
/** The open page, some of its lines (recognition only), or every page of the project. */
export type JobScope = 'page' | 'lines' | 'project';

export interface JobRequest {
  readonly kind: JobKind;
  readonly scope: JobScope;
  /** null: the default model. */
  readonly modelId: string | null;
  /** The page open in the editor. Its result comes back as an event (never written), so unsaved edits stay the editor's. */
  readonly pageId: string;
  /** The open page as the editor has it now (PAGE or ALTO text), maybe unsaved. */
  readonly xml: string;
  /** Scope "lines": the lines to recognise; their text only is replaced. */
  readonly lineIds: readonly string[];
  /** Recognition: CTC beam width (with the model's language model, if it has one); null: the model's own default. */
  readonly beam: number | null;
  /**
   * Also replace a person's text (lines written or confirmed by someone, isPersonText):
   * false leaves those lines' text alone, and layout detection leaves pages that have them.
   */
  readonly replaceCorrected: boolean;
}

/** Fine-tuning a recogniser on the project's corrected pages (a long job: progress, cancel). */
export interface TrainingRequest {
  /** Pages to train on; empty: every page with transcribed lines. */
  readonly pageIds: readonly string[];
  /** The model to start from; null: the default recogniser. */
  readonly baseModelId: string | null;
  readonly minutes: number;
  /** The new model's id (and folder in the user models folder). */
  readonly name: string;
}

/**
 * Recognising pages the editor will open later (after training a model: the pages
 * not yet corrected). Nothing is written: each result comes back as a
 * "page-result" event, and the editor applies it as one undoable edit when that
 * page is (or already is) open.
 */
export interface RecognizePagesRequest {
  readonly pageIds: readonly string[];
  readonly modelId: string | null;
  readonly beam: number | null;
  /** As in JobRequest: false leaves lines people wrote or confirmed as they are. */
  readonly replaceCorrected: boolean;
}

/** What the editor's "Train a model" dialog offers. */
export interface TrainingSetup {
  /** null when training can run here; else one line saying what to install. */
  readonly unavailable: string | null;
  /** Pages with transcribed lines (candidates for training). */
  readonly pages: readonly { readonly id: string; readonly name: string; readonly lines: number }[];
}

export interface JobStarted {
  readonly jobId: string;
}

export type JobStatus = 'done' | 'cancelled' | 'failed';

/** What a running job reports (IPC events in Electron, Server-Sent Events under /api/events in browser mode). */
export type JobEvent =
  | { readonly type: 'progress'; readonly jobId: string; readonly done: number; readonly total: number; readonly pageId: string | null; readonly label: string }
  /** The open page's new document (PAGE/ALTO text), to apply in the editor as one undoable command. */
  | { readonly type: 'page-result'; readonly jobId: string; readonly kind: JobKind; readonly pageId: string; readonly xml: string; readonly lineIds: readonly string[] | null }
  /** Another page of the project was processed and written to disk. */
  | { readonly type: 'page-saved'; readonly jobId: string; readonly pageId: string }
  /** A training job's progress: the recipe's events (steps, held-back CER after each evaluation, the result). */
  | { readonly type: 'training'; readonly jobId: string; readonly event: FinetuneEvent }
  | { readonly type: 'finished'; readonly jobId: string; readonly status: JobStatus; readonly message: string };

export type JobEventListener = (event: JobEvent) => void;

/** How the renderer hears job events; the transports implement it. */
export interface JobEventSource {
  /** Returns the unsubscribe function. */
  subscribe(listener: JobEventListener): () => void;
}

/** A project folder opened before (the engine keeps the list in the user data folder, most recent first). */
export interface RecentProject {
  readonly dir: string;
  /** The folder's name, for display. */
  readonly name: string;
  /** False when the folder is gone (moved, deleted, an unplugged disk): shown greyed, removable. */
  readonly exists: boolean;
}

/** What the start screen shows besides the recent projects: where things are on this computer. */
export interface StartInfo {
  /** The user models folder: a model folder dropped here is listed with the shipped ones. */
  readonly userModels: string;
  /** This session's log file (null when there is none), and the folder of all of them. */
  readonly sessionLog: string | null;
  readonly logsDir: string;
}

/** What the Import dialog (and the start screen's Import) asks the engine for: `htr-studio import` into the open project. */
export interface ImportRequest {
  /** Files and folders on this computer (absolute, or ~/…), or http(s) URLs of IIIF manifests. */
  readonly sources: readonly string[];
  /** Hard-link image files instead of copying them (same disk only). */
  readonly reference: boolean;
  /** Resolution of PDF pages (null: 300). */
  readonly dpi: number | null;
  /** METS file groups to use (an image group and/or a PAGE group); empty: the usual ones. */
  readonly fileGroups: readonly string[];
}

/** Folders the desktop app can show in the system's file manager. */
export const REVEAL_TARGETS = ['user-models', 'session-log'] as const;
export type RevealTarget = (typeof REVEAL_TARGETS)[number];

export interface StudioService {
  /** The open project, or null when none is open yet (Electron before a folder is chosen). */
  getProject(): Promise<ProjectInfo | null>;
  listPages(): Promise<PageSummary[]>;
  openPage(pageId: string): Promise<OpenedPage>;
  /**
   * Writes a page atomically. `baseRevision` is the revision it was opened at:
   * if the file changed on disk since, the save is refused (code "conflict").
   */
  savePage(pageId: string, xml: string, baseRevision: string | null): Promise<SaveResult>;
  /**
   * How right the models were on the lines people corrected or verified, over every
   * saved page of the project (the machine text from each line's history against the
   * person's text), with the same CER/WER as `htr-studio eval`.
   */
  accuracyReport(): Promise<AccuracyReport>;
  /**
   * Finds text in the project's saved pages (all, or `pageIds`), leaving out
   * `skipPageId` (the open page, which the editor searches as it is on screen).
   */
  findInProject(query: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null): Promise<ProjectFind>;
  /**
   * Review across pages: the first line (step 1; the last for -1) whose machine text is
   * under `threshold` on the next (previous) saved page that has one, in project order
   * after `fromPageId`, wrapping round; null when no other page has one.
   */
  nextUncertainLine(fromPageId: string, threshold: number, step: 1 | -1): Promise<{ pageId: string; lineId: string } | null>;
  /**
   * Replaces every hit in those pages, each written as a save (the person's change in
   * the lines' history); `undoProjectReplace` puts them back.
   */
  replaceInProject(query: string, replacement: string, opts: FindOptions, pageIds: readonly string[] | null, skipPageId: string | null, person: string): Promise<ReplaceOutcome>;
  /** Undoes a replace across pages where nobody saved the page since; says which pages were restored. */
  undoProjectReplace(batchId: string): Promise<{ restored: string[]; changedSince: string[] }>;
  /** The person's own special-character sets (kept per user, shared by every project). */
  getCharSets(): Promise<CharSet[]>;
  /**
   * Replaces the person's sets with those of a char-sets file's text (what the panel
   * edits, imports and exports); a file with problems is refused (bad-request, the reasons).
   */
  saveCharSets(json: string): Promise<CharSet[]>;
  /** The project's text normalisation (htr-studio.json). */
  setTextNormalization(form: 'NFC' | 'NFD' | 'none'): Promise<void>;
  /**
   * Keeps the page's unsaved edits in the project's journal (null: there are none any
   * more), so that a crash before the save loses nothing; a save clears it.
   */
  journalPage(pageId: string, xml: string | null, baseRevision: string | null): Promise<void>;
  /**
   * Exports the project's ground truth (as `htr-studio export`) into a new folder
   * `exports/FORMAT-TIME/` (or zip `exports/FORMAT-TIME.zip`) inside the project, with
   * its export-manifest.json, and says what it wrote or why it refused.
   */
  exportProject(request: ProjectExportRequest): Promise<ProjectExportResult>;
  /** The languages of the project's saved pages and of all of them together (as `htr-studio languages`). */
  languagesReport(threshold: number): Promise<LanguagesReport>;
  /** Sets a page's status (kept in the project's htr-studio.json, so it works for every file format). */
  setPageStatus(pageId: string, status: PageStatus): Promise<void>;
  /**
   * Puts the pages in this order (page ids; pages left out follow, by name), kept in the
   * project's htr-studio.json with its mets.xml; answers the page list in its new order.
   */
  reorderPages(pageIds: readonly string[]): Promise<PageSummary[]>;
  /** One JPEG tile of the page image's pyramid. */
  getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array>;
  /** Recognition models, the default first. */
  listModels(): Promise<ModelInfo[]>;
  /** Layout detectors, the default first. */
  listDetectors(): Promise<ModelInfo[]>;
  /** Starts a long job; progress and results arrive as JobEvents. One job runs at a time (else "conflict"). */
  startJob(request: JobRequest): Promise<JobStarted>;
  /** Whether training can run here (Python with torch), and the pages it could train on. */
  trainingSetup(): Promise<TrainingSetup>;
  /**
   * Starts fine-tuning (one job at a time, as startJob); "training" events carry its
   * progress; the model is installed under request.name, also when cancelled (the best so far).
   */
  startTraining(request: TrainingRequest): Promise<JobStarted>;
  /** Starts recognising pages without writing them (results as "page-result" events; one job at a time). */
  recognizePages(request: RecognizePagesRequest): Promise<JobStarted>;
  /**
   * Starts importing into the open project (one job at a time, as startJob): progress
   * events while it reads, converts and fetches, cancel with cancelJob; nothing in the
   * project changes unless the whole import succeeds. The finished message says how many
   * pages came in, with any warnings.
   */
  importSources(request: ImportRequest): Promise<JobStarted>;
  /** The native dialog for the Import dialog's sources: files (several) or one folder (desktop app only; browser mode answers "unsupported"). */
  chooseImportSources(kind: 'files' | 'folder'): Promise<string[]>;
  /** Asks a running job to stop; false when it is not running (any more). */
  cancelJob(jobId: string): Promise<boolean>;
  /**
   * A line cut from the page image along its polygon and straightened along its
   * baseline (as a recogniser sees it), as a PNG data: URL. Points are flat
   * x,y lists in image pixels, so unsaved geometry is shown as drawn.
   */
  getLineImage(pageId: string, polygon: readonly number[], baseline: readonly number[]): Promise<string>;
  /** Asks the user for a project folder (Electron only; browser mode answers "unsupported"). */
  chooseProject(): Promise<ProjectInfo | null>;
  /** The page as the editor has it now (unsaved edits included), converted to `format` (schema-valid, repairs reported). */
  exportPage(pageId: string, xml: string, format: ExportFormat): Promise<ExportResult>;
  /**
   * Start screen. Opening another project releases the open one's lock and takes the
   * new one's (a job running in the old project is cancelled); every open is recorded
   * in the recent projects.
   */
  openProject(dir: string): Promise<ProjectInfo>;
  /** Creates an empty project (the folder, absent or empty, and its htr-studio.json) and opens it. */
  createProject(dir: string): Promise<ProjectInfo>;
  /** Opens the user's copy of the shipped sample project, copying what is missing first (edits to the copy are kept). */
  openSample(): Promise<ProjectInfo>;
  recentProjects(): Promise<RecentProject[]>;
  /** Removes a folder from the recent projects; returns the list left. */
  forgetRecentProject(dir: string): Promise<RecentProject[]>;
  startInfo(): Promise<StartInfo>;
  /** Shows a folder in the system's file manager (desktop app only; browser mode answers "unsupported"). */
  revealPath(target: RevealTarget): Promise<void>;
}

export type ApiMethod = keyof StudioService;
