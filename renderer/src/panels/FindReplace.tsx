/**
 * Find and replace in line texts (common/transcription/find.ts): plain or regular
 * expression, case and accents optional; on this page, or on every page of the
 * project (the engine's index of saved pages; this page as it is on screen). Every
 * hit listed in context (a click goes to its line, on its page). Replace all is one
 * undoable edit here, and across pages one "Undo on all pages" puts every page back.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import type { TextLine } from '../../../electron/common/model/types.js';
import type { ProjectFind, ReplaceOutcome, StudioService } from '../../../electron/common/api/service.js';
import { findInLines, type FindOptions } from '../../../electron/common/transcription/find.js';
import { lineText } from '../../../electron/common/model/stats.js';
import { personName } from '../editor/person.js';
import { normalizeStored } from '../editor/text-settings.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly service: StudioService;
  readonly pageId: string;
  readonly lines: readonly TextLine[];
  readonly onGo: (lineId: string) => void;
  readonly onReplaceAll: (query: string, replacement: string, opts: FindOptions) => void;
  /** A hit on another page: open it at that line. */
  readonly onGoToPage: (pageId: string, lineId: string) => void;
  /** Undoes this page's own Replace all (the last edit), for "Undo on all pages". */
  readonly onUndoHere: () => void;
  /** Other pages were written by a replace (the page list may change). */
  readonly onPagesChanged: () => void;
}

/** Hits listed at most (the count says how many there are). */
const SHOWN = 200;

type Scope = 'page' | 'project';

export const FindReplace = memo(function FindReplace({ service, pageId, lines, onGo, onReplaceAll, onGoToPage, onUndoHere, onPagesChanged }: Props) {
  const [query, setQuery] = useState('');
  const [replacement, setReplacement] = useState('');
  const [scope, setScope] = useState<Scope>('page');
  const [opts, setOpts] = useState<FindOptions>({ regex: false, caseSensitive: false, ignoreDiacritics: false });
  const [others, setOthers] = useState<ProjectFind | Error | null>(null);
  const [lastBatch, setLastBatch] = useState<(ReplaceOutcome & { here: boolean }) | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const hits = useMemo(() => (query ? findInLines(lines, query, opts) : []), [lines, query, opts]);
  const number = useMemo(() => new Map(lines.map((l, i) => [l.id, i + 1])), [lines]);
  const textOf = useMemo(() => new Map(lines.map((l) => [l.id, lineText(l)])), [lines]);
  // The other pages: asked of the engine a moment after the last keystroke.
  const [searchSerial, setSearchSerial] = useState(0);
  useEffect(() => {
    if (scope !== 'project' || !query) return setOthers(null);
    let live = true;
    const timer = setTimeout(() => {
      service.findInProject(query, opts, null, pageId).then(
        (r) => live && setOthers(r),
        (e: Error) => live && setOthers(e),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [scope, query, opts, service, pageId, searchSerial]);
  const option = (key: keyof FindOptions, label: string) => (
    <label className="check-field">
      <input type="checkbox" checked={opts[key]} onChange={(e) => setOpts({ ...opts, [key]: e.target.checked })} />
      <span>{label}</span>
    </label>
  );
  const otherHits = others && !(others instanceof Error) ? others : null;
  const here = hits instanceof Error ? 0 : hits.length;
  const total = here + (otherHits?.total ?? 0);
  const replaceAll = (): void => {
    setMessage(null);
    if (here) onReplaceAll(query, replacement, opts);
    if (scope !== 'project' || !otherHits?.total) return setLastBatch(null);
    service.replaceInProject(query, normalizeStored(replacement), opts, null, pageId, personName()).then(
      (r) => {
        setLastBatch({ ...r, here: here > 0 });
        setMessage(t.replacedAcross(r.replaced + here, r.pages.length + (here ? 1 : 0)));
        setSearchSerial((n) => n + 1);
        onPagesChanged();
      },
      (e: Error) => setMessage(e.message),
    );
  };
  const undoAll = (): void => {
    const batch = lastBatch;
    if (!batch) return;
    setLastBatch(null);
    if (batch.here) onUndoHere();
    service.undoProjectReplace(batch.batchId).then(
      (r) => {
        setMessage(t.undoneAcross(r.restored.length + (batch.here ? 1 : 0), r.changedSince.length));
        setSearchSerial((n) => n + 1);
        onPagesChanged();
      },
      (e: Error) => setMessage(e.message),
    );
  };
  return (
    <details className="find-replace">
      <summary>{t.findReplace}</summary>
      <div className="find-fields">
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t.findPlaceholder} aria-label={t.findLabel} spellCheck={false} />
        <input type="text" value={replacement} onChange={(e) => setReplacement(e.target.value)} placeholder={t.replacePlaceholder} aria-label={t.replaceLabel} spellCheck={false} />
      </div>
      <div className="find-options">
        <select value={scope} onChange={(e) => setScope(e.target.value as Scope)} aria-label={t.findScope}>
          <option value="page">{t.findScopePage}</option>
          <option value="project">{t.findScopeProject}</option>
        </select>
        {option('caseSensitive', t.findCase)}
        {option('ignoreDiacritics', t.findAccents)}
        {option('regex', t.findRegex)}
      </div>
      {hits instanceof Error ? (
        <p className="hint is-error" role="alert">{hits.message}</p>
      ) : (
        query && (
          <>
            <div className="find-summary">
              <span role="status">
                {scope === 'project' && otherHits ? t.findCountPages(total, otherHits.pages + (here ? 1 : 0)) : t.findCount(hits.length, new Set(hits.map((h) => h.lineId)).size)}
              </span>
              <button type="button" className="ghost-button small" disabled={!total} onClick={replaceAll}>
                {scope === 'project' ? t.replaceAllPages : t.replaceAll}
              </button>
            </div>
            <ol className="find-hits" aria-label={t.findHits}>
              {hits.slice(0, SHOWN).map((h, k) => {
                const text = textOf.get(h.lineId) ?? '';
                return (
                  <li key={`${h.lineId}:${h.start}:${k}`}>
                    <button type="button" className="find-hit" data-line={h.lineId} onClick={() => onGo(h.lineId)}>
                      <span className="line-num">{number.get(h.lineId)}</span>
                      <span dir="auto">
                        {text.slice(Math.max(0, h.start - 24), h.start)}
                        <mark>{h.text}</mark>
                        {text.slice(h.end, h.end + 24)}
                      </span>
                    </button>
                  </li>
                );
              })}
              {scope === 'project' &&
                otherHits?.hits.slice(0, SHOWN).map((h, k) => (
                  <li key={`${h.pageId}:${h.lineId}:${h.start}:${k}`}>
                    <button type="button" className="find-hit" data-page={h.pageId} data-line={h.lineId} onClick={() => onGoToPage(h.pageId, h.lineId)}>
                      <span className="line-num">{h.pageName}</span>
                      <span dir="auto">
                        {h.lineText.slice(Math.max(0, h.start - 24), h.start)}
                        <mark>{h.text}</mark>
                        {h.lineText.slice(h.end, h.end + 24)}
                      </span>
                    </button>
                  </li>
                ))}
            </ol>
          </>
        )
      )}
      {others instanceof Error && <p className="hint is-error" role="alert">{others.message}</p>}
      {message && (
        <p className="find-summary" role="status">
          <span>{message}</span>
          {lastBatch && (
            <button type="button" className="ghost-button small" onClick={undoAll}>
              {t.undoAllPages}
            </button>
          )}
        </p>
      )}
    </details>
  );
});
