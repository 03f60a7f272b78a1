/**
 * The service as the desktop app serves it: the same LocalProjectService as
 * browser mode, plus choosing the project folder with the native dialog.
 */
import type { OpenedPage, PageSummary, ProjectInfo, SaveResult, StudioService } from '../common/api/service.js';
import { ApiError } from '../common/api/errors.js';
import { LocalProjectService } from '../node/project/local-service.js';

export class DesktopService implements StudioService {
  private project: LocalProjectService | null = null;

  constructor(
    private readonly cacheDir: string,
    /** Shows the native folder dialog; resolves to the chosen folder or undefined. */
    private readonly pickFolder: () => Promise<string | undefined>,
    private readonly onProjectChanged: (dir: string) => void,
  ) {}

  open(dir: string): void {
    this.project = new LocalProjectService(dir, { cacheDir: this.cacheDir });
    this.onProjectChanged(this.project.root);
  }

  private get current(): LocalProjectService {
    if (!this.project) throw new ApiError('not-found', 'no project folder is open');
    return this.project;
  }

  async getProject(): Promise<ProjectInfo | null> {
    return this.project ? this.project.getProject() : null;
  }

  async chooseProject(): Promise<ProjectInfo | null> {
    const dir = await this.pickFolder();
    if (!dir) return null;
    this.open(dir);
    return this.current.getProject();
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

  getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array> {
    return this.current.getTile(pageId, level, col, row);
  }
}
