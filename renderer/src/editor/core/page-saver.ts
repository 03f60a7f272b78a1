/**
 * Saving one page: by hand (Ctrl+S), automatically a while after the last edit,
 * when leaving the page and when the window closes. One write at a time, always
 * of the newest document; a failed write is reported and leaves the page dirty,
 * so nothing is lost; a refused one (saved elsewhere meanwhile) is handed to the
 * conflict resolution, and autosave waits for the person's choice. No React: the
 * editor drives it, and the unit tests drive it with a service of their own.
 */
import type { StudioService } from '../../../../electron/common/api/service.js';
import { ApiError } from '../../../../electron/common/api/errors.js';
import { writeDocument } from '../../../../electron/common/formats/document-io.js';
import type { PageDocument } from '../../../../electron/common/model/types.js';
import { strings as t } from '../../i18n/strings.js';
import type { EditorStore } from './editor-store.js';

export type SaveHow = 'manual' | 'auto';

export interface PageSaverHooks {
  /** A conflict is waiting for the person's choice: nothing is written meanwhile. */
  readonly blocked: () => boolean;
  /** The engine refused the save (saved elsewhere): `base` as last opened or saved, `ours` the refused one. */
  readonly refused: (base: PageDocument, ours: PageDocument) => Promise<void>;
  /** A write started (true) or ended (false). */
  readonly onBusy: (busy: boolean) => void;
  /** The last write's error, or null once a write succeeded. */
  readonly onError: (message: string | null) => void;
  /** A write reached the disk. */
  readonly onSaved: () => void;
}

export class PageSaver {
  private inflight: Promise<boolean> | null = null;

  constructor(
    private readonly store: EditorStore,
    private readonly service: Pick<StudioService, 'savePage'>,
    private readonly pageId: string,
    /** The page's revision on disk, shared with the journal and the conflict resolution. */
    readonly revision: { current: string | null },
    private readonly hooks: PageSaverHooks,
  ) {}

  /** Resolves true when nothing is left unsaved. Autosave writes only unsaved edits, and never a drag in progress. */
  async save(how: SaveHow): Promise<boolean> {
    while (this.inflight) await this.inflight;
    const { doc, saved, gestureStart } = this.store.getState();
    if (this.hooks.blocked()) return false;
    if (how === 'auto' && (doc === saved || gestureStart)) return doc === saved;
    const run = this.write(how, doc, saved);
    this.inflight = run;
    try {
      return await run;
    } finally {
      this.inflight = null;
    }
  }

  private async write(how: SaveHow, doc: PageDocument, saved: PageDocument): Promise<boolean> {
    const { store, hooks } = this;
    hooks.onBusy(true);
    try {
      // Without a target: the page's own format and version, keeping everything it was read with.
      const { xml } = writeDocument(doc);
      const r = await this.service.savePage(this.pageId, xml, this.revision.current);
      this.revision.current = r.revision;
      store.dispatch({ type: 'saved', doc });
      hooks.onError(null);
      if (how === 'manual') store.dispatch({ type: 'notice', kind: 'info', text: t.savedAs(r.xmlPath) });
      hooks.onSaved();
      return true;
    } catch (e) {
      const message = (e as Error).message;
      hooks.onError(message);
      store.dispatch({ type: 'notice', kind: 'error', text: t.saveFailed(message) });
      if (e instanceof ApiError && e.code === 'conflict') await hooks.refused(saved, doc);
      return false;
    } finally {
      hooks.onBusy(false);
    }
  }
}
