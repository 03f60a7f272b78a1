/**
 * When a save is refused because the page was saved elsewhere since it was
 * opened (another window, a project-wide job, another program): the version on
 * disk is fetched and the editor offers to merge the person's line edits into
 * it, to keep their own version, or to take the saved one. Nothing is lost
 * silently: each choice is one undoable step, and the refused version stays in
 * the editor until the person chooses.
 */
import { useCallback, useRef, useState, type MutableRefObject } from 'react';
import type { StudioService } from '../../../electron/common/api/service.js';
import type { PageDocument } from '../../../electron/common/model/types.js';
import { mergeLineTexts, type TextMerge } from '../../../electron/common/model/merge.js';
import { readDocument } from '../../../electron/common/formats/document-io.js';
import { strings as t } from '../i18n/strings.js';
import type { EditorAction } from './core/editor-state.js';

export interface SaveConflict {
  /** The page as saved elsewhere. */
  readonly theirs: PageDocument;
  /** Its revision (null: its file was removed). */
  readonly revision: string | null;
  readonly merge: TextMerge;
}

export type ConflictChoice = 'merge' | 'mine' | 'theirs';

export interface SaveConflictState {
  readonly conflict: SaveConflict | null;
  /** A save was refused: `base` is the document as last opened or saved, `ours` the one refused. */
  readonly refused: (base: PageDocument, ours: PageDocument) => Promise<void>;
  readonly choose: (how: ConflictChoice) => void;
}

export function useSaveConflict(service: StudioService, pageId: string, dispatch: (a: EditorAction) => void, revision: MutableRefObject<string | null>, saveNow: () => void): SaveConflictState {
  const [conflict, setConflict] = useState<SaveConflict | null>(null);
  const current = useRef(conflict);
  current.current = conflict;

  const refused = useCallback(
    async (base: PageDocument, ours: PageDocument) => {
      try {
        const opened = await service.openPage(pageId);
        const theirs = readDocument(opened.xml).doc;
        setConflict({ theirs, revision: opened.revision, merge: mergeLineTexts(base, ours, theirs) });
      } catch (e) {
        dispatch({ type: 'notice', kind: 'error', text: t.conflictUnreadable((e as Error).message) });
      }
    },
    [service, pageId, dispatch],
  );

  const choose = useCallback(
    (how: ConflictChoice) => {
      const c = current.current;
      if (!c) return;
      setConflict(null);
      revision.current = c.revision;
      if (how === 'mine') return saveNow();
      const next = how === 'merge' ? c.merge.doc : c.theirs;
      if (!next) return;
      // One undoable step: Undo gives back the version the person had before choosing.
      dispatch({ type: 'edit', label: how === 'merge' ? t.conflictMergedStep : t.conflictTheirsStep, edit: () => next });
      dispatch({ type: 'saved', doc: c.theirs });
      if (how === 'merge') saveNow();
    },
    [dispatch, revision, saveNow],
  );

  return { conflict, refused, choose };
}
