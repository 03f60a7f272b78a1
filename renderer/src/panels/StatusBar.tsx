/** Page facts, the mouse position in image pixels, and a live region announcing what just happened. */
import { useSyncExternalStore } from 'react';
import { strings as t } from '../i18n/strings.js';
import { cursor } from '../editor/cursor-store.js';
import type { Notice } from '../editor/core/editor-state.js';

interface Props {
  readonly pageName: string;
  readonly width: number;
  readonly height: number;
  readonly regions: number;
  readonly lines: number;
  readonly selected: number;
  readonly notice: Notice | null;
  /** Autosave: saved, unsaved changes, saving, or the last save failed (`error` then says why). */
  readonly save: { readonly state: 'saved' | 'dirty' | 'saving' | 'error'; readonly error: string | null };
}

function SaveStatus({ state, error }: Props['save']) {
  const text = state === 'saved' ? t.saved : state === 'saving' ? t.saving : state === 'error' ? t.saveStatusError : t.unsaved;
  return (
    <span className={`status-cell save-status is-${state}`} data-state={state} aria-label={t.saveStatusLabel} title={error ?? t.saveStatusLabel}>
      {text}
    </span>
  );
}

function CursorPosition() {
  const p = useSyncExternalStore(cursor.subscribe, cursor.get);
  return <span className="status-cell status-cursor">{p ? t.cursorAt(p.x, p.y) : '\u00a0'}</span>;
}

export function StatusBar(p: Props) {
  return (
    <footer className="statusbar">
      <span className="status-cell status-page">{p.pageName}</span>
      <SaveStatus {...p.save} />
      <span className="status-cell">{t.pageSize(p.width, p.height)}</span>
      <span className="status-cell">{t.counts(p.regions, p.lines)}</span>
      {p.selected > 0 && <span className="status-cell">{t.selectionCount(p.selected)}</span>}
      <CursorPosition />
      <span className={`status-notice ${p.notice?.kind === 'error' ? 'is-error' : ''}`} role="status" aria-live="polite" key={p.notice?.seq}>
        {p.notice?.text ?? ''}
      </span>
    </footer>
  );
}
