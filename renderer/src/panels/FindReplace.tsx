/**
 * Find and replace in the page's line texts (common/transcription/find.ts): plain
 * or regular expression, case and accents optional; every hit listed in context
 * (a click goes to its line); Replace all is one undoable edit.
 */
import { memo, useMemo, useState } from 'react';
import type { TextLine } from '../../../electron/common/model/types.js';
import { findInLines, type FindOptions } from '../../../electron/common/transcription/find.js';
import { lineText } from '../../../electron/common/model/stats.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly lines: readonly TextLine[];
  readonly onGo: (lineId: string) => void;
  readonly onReplaceAll: (query: string, replacement: string, opts: FindOptions) => void;
}

/** Hits listed at most (the count says how many there are). */
const SHOWN = 200;

export const FindReplace = memo(function FindReplace({ lines, onGo, onReplaceAll }: Props) {
  const [query, setQuery] = useState('');
  const [replacement, setReplacement] = useState('');
  const [opts, setOpts] = useState<FindOptions>({ regex: false, caseSensitive: false, ignoreDiacritics: false });
  const hits = useMemo(() => (query ? findInLines(lines, query, opts) : []), [lines, query, opts]);
  const number = useMemo(() => new Map(lines.map((l, i) => [l.id, i + 1])), [lines]);
  const textOf = useMemo(() => new Map(lines.map((l) => [l.id, lineText(l)])), [lines]);
  const option = (key: keyof FindOptions, label: string) => (
    <label className="check-field">
      <input type="checkbox" checked={opts[key]} onChange={(e) => setOpts({ ...opts, [key]: e.target.checked })} />
      <span>{label}</span>
    </label>
  );
  return (
    <details className="find-replace">
      <summary>{t.findReplace}</summary>
      <div className="find-fields">
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t.findPlaceholder} aria-label={t.findLabel} spellCheck={false} />
        <input type="text" value={replacement} onChange={(e) => setReplacement(e.target.value)} placeholder={t.replacePlaceholder} aria-label={t.replaceLabel} spellCheck={false} />
      </div>
      <div className="find-options">
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
              <span role="status">{t.findCount(hits.length, new Set(hits.map((h) => h.lineId)).size)}</span>
              <button type="button" className="ghost-button small" disabled={!hits.length} onClick={() => onReplaceAll(query, replacement, opts)}>
                {t.replaceAll}
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
            </ol>
          </>
        )
      )}
    </details>
  );
});
