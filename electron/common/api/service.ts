/**
 * The one interface between the editor (renderer) and the engine. The renderer
 * talks only to this; it is served over Electron IPC (electron/main) and over
 * HTTP in browser mode (electron/node/server). Every value is plain data, so it
 * crosses both transports unchanged.
 */

export interface ProjectInfo {
  /** Folder name, for the window title. */
  readonly name: string;
  /** Absolute folder path (shown to the user, never sent back as an argument). */
  readonly dir: string;
  readonly pageCount: number;
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
}

export interface SaveResult {
  readonly revision: string;
  /** Relative path the page was written to. */
  readonly xmlPath: string;
}

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
  /** One JPEG tile of the page image's pyramid. */
  getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array>;
  /** Asks the user for a project folder (Electron only; browser mode answers "unsupported"). */
  chooseProject(): Promise<ProjectInfo | null>;
}

export type ApiMethod = keyof StudioService;
