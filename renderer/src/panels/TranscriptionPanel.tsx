/**
 * The selected line's text, editable, with every line of the page in reading
 * order below it. Enter keeps the text and moves to the next line, so a page
 * can be corrected without touching the mouse. Typing is one undo step per line.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { strings as t } from '../i18n/strings.js';
import type { StudioService } from '../../../electron/common/api/service.js';
import { lineText, type LineInOrder } from '../editor/reading.js';
import { LineImage } from './LineImage.js';

interface Props {
  readonly service: StudioService;
  readonly pageId: string;
  /** Whether the page has an image to cut line images from. */
  readonly hasImage: boolean;
  readonly lines: readonly LineInOrder[];
  /** The line being edited (the only selected line), or null. */
  readonly selectedLine: string | null;
  readonly selection: readonly string[];
  /** `additive`: Shift/Ctrl+click adds the line to the selection (to merge lines). */
  readonly onSelect: (id: string, additive: boolean) => void;
  /** Keeps `text` for line `id` and selects the line `move` steps away in reading order (0: stay). */
  readonly onCommit: (id: string, text: string, move: -1 | 0 | 1) => void;
}

function LineEditor({ id, text, onCommit, autoFocus, onNavigate }: { readonly id: string; readonly text: string; readonly onCommit: Props['onCommit']; readonly autoFocus: boolean; readonly onNavigate: () => void }) {
  const [draft, setDraft] = useState(text);
  const input = useRef<HTMLTextAreaElement>(null);
  const latest = useRef({ draft, text, onCommit });
  latest.current = { draft, text, onCommit };
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  // Leaving the line by any route (a click on the canvas, another page) keeps what was typed.
  useEffect(
    () => () => {
      const l = latest.current;
      if (l.draft !== l.text) l.onCommit(id, l.draft, 0);
    },
    [id],
  );
  return (
    // A textarea so long lines wrap; a line's text has no line breaks, so Enter moves on instead.
    <textarea
      ref={input}
      className="line-input"
      rows={1}
      dir="auto"
      spellCheck={false}
      aria-label={t.lineField}
      value={draft}
      onChange={(e) => setDraft(e.target.value.replace(/[\r\n]+/g, ' '))}
      onBlur={() => draft !== text && onCommit(id, draft, 0)}
      onKeyDown={(e) => {
        // Up/Down move between lines only from the field's first/last row, so wrapped text stays navigable.
        const el = e.currentTarget;
        const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
        const atEnd = el.selectionStart === el.value.length;
        if (e.key === 'Enter' || (e.key === 'ArrowDown' && atEnd) || (e.key === 'ArrowUp' && atStart)) {
          e.preventDefault();
          onNavigate();
          latest.current.text = draft; // committed now: the unmount must not commit it again
          onCommit(id, draft, e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) ? -1 : 1);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          setDraft(text);
        }
      }}
    />
  );
}

// Memoised: the editor re-renders on every pan and zoom frame, and a page may list thousands of lines.
export const TranscriptionPanel = memo(function TranscriptionPanel({ service, pageId, hasImage, lines, selectedLine, selection, onSelect, onCommit }: Props) {
  const index = lines.findIndex((l) => l.line.id === selectedLine);
  const current = index >= 0 ? lines[index]! : null;
  const keepFocus = useRef(false);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.querySelector('.line-item.is-current')?.scrollIntoView({ block: 'nearest' });
  }, [selectedLine]);
  const focusNow = keepFocus.current;
  keepFocus.current = false;
  return (
    <section className="transcription" aria-label={t.transcription}>
      <div className="line-editor">
        {current ? (
          <>
            <div className="line-editor-head">
              <span>{t.lineOf(index + 1, lines.length)}</span>
              <span className="line-id">{current.line.id}</span>
            </div>
            {hasImage && <LineImage service={service} pageId={pageId} line={current.line} index={index + 1} />}
            <LineEditor
              key={`${current.line.id}\n${lineText(current.line)}`}
              id={current.line.id}
              text={lineText(current.line)}
              onCommit={onCommit}
              autoFocus={focusNow}
              onNavigate={() => {
                keepFocus.current = true;
              }}
            />
            <p className="hint">{t.transcriptionHint}</p>
          </>
        ) : (
          <p className="empty-note">{lines.length ? t.noLineSelected : t.noLines}</p>
        )}
      </div>
      <h3 className="panel-subtitle">{t.allLines}</h3>
      <ol className="line-list" ref={list}>
        {lines.map(({ line }, i) => (
          <li key={line.id}>
            <button type="button" className={`line-item ${line.id === selectedLine ? 'is-current' : ''} ${selection.includes(line.id) ? 'is-selected' : ''}`} aria-current={line.id === selectedLine ? 'true' : undefined} data-line={line.id} onClick={(e) => onSelect(line.id, e.shiftKey || e.ctrlKey || e.metaKey)}>
              <span className="line-num">{i + 1}</span>
              <span className="line-text" dir="auto">
                {lineText(line) || '\u2014'}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
});
