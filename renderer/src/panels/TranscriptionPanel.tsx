/**
 * The selected line's text, editable, with every line of the page in reading
 * order below it. Enter keeps the text and moves to the next line, so a page
 * can be corrected without touching the mouse. Typing is one undo step per line.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { strings as t } from '../i18n/strings.js';
import type { StudioService } from '../../../electron/common/api/service.js';
import { lineText, type LineInOrder } from '../editor/reading.js';
import { LineImage } from './LineImage.js';
import { SpecialChars } from './SpecialChars.js';
import { expandShortcode } from '../../../electron/common/transcription/char-sets.js';
import { charConfidences, lineStatus } from '../../../electron/common/model/provenance.js';
import { currentShortcodes } from '../editor/text-settings.js';

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
  /** Ctrl+Enter: keeps `text` for line `id`, marks it verified and moves to the next line. */
  readonly onVerify: (id: string, text: string) => void;
  /** The page's undo/redo, for Ctrl+Z in a field with nothing typed since the line was opened. */
  readonly onHistory: (kind: 'undo' | 'redo') => void;
  /** Esc: the text field is left for the page (so the next key is a shortcut again). */
  readonly onLeave: () => void;
  /** Alt+↑/↓ on a line of the list: one place up or down within its region. */
  readonly onMoveLine: (lineId: string, step: -1 | 1) => void;
  /** Confidence (0–1) under which a line's machine text counts as uncertain. */
  readonly uncertainBelow: number;
  readonly onUncertainBelow: (v: number) => void;
  readonly onNextUncertain: (step: 1 | -1) => void;
}

interface LineEditorProps {
  readonly id: string;
  readonly text: string;
  readonly onCommit: Props['onCommit'];
  readonly onVerify: Props['onVerify'];
  readonly onHistory: Props['onHistory'];
  readonly onLeave: () => void;
  readonly autoFocus: boolean;
  readonly onNavigate: () => void;
}

function LineEditor({ id, text, onCommit, onVerify, onHistory, onLeave, autoFocus, onNavigate }: LineEditorProps) {
  const [draft, setDraft] = useState(text);
  const input = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes after a shortcode was replaced (React would put it at the end). */
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfter.current === null || !input.current) return;
    input.current.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = null;
  }, [draft]);
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
      onChange={(e) => {
        const value = e.target.value.replace(/[\r\n]+/g, ' ');
        // Shortcodes typed in the text (\con → ꝯ) become their character at once.
        const x = expandShortcode(value, e.target.selectionStart ?? value.length, currentShortcodes());
        if (x) caretAfter.current = x.caret;
        setDraft(x ? x.text : value);
      }}
      // latest, not this render's draft: Esc resets the draft and blurs in the same event.
      onBlur={() => latest.current.draft !== text && onCommit(id, latest.current.draft, 0)}
      onKeyDown={(e) => {
        // Up/Down move between lines only from the field's first/last row, so wrapped text stays navigable.
        const el = e.currentTarget;
        const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
        const atEnd = el.selectionStart === el.value.length;
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          // The text is right as it stands (typed or not): verified, and on to the next line.
          e.preventDefault();
          onNavigate();
          latest.current.text = draft;
          onVerify(id, draft);
        } else if (e.key === 'Enter' || (e.key === 'ArrowDown' && atEnd) || (e.key === 'ArrowUp' && atStart)) {
          e.preventDefault();
          onNavigate();
          latest.current.text = draft; // committed now: the unmount must not commit it again
          onCommit(id, draft, e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) ? -1 : 1);
        } else if (e.key === 'Escape') {
          // Typing undone, and out of the field: a shortcut key pressed next must not land in the text.
          e.preventDefault();
          latest.current.draft = text;
          setDraft(text);
          onLeave();
        } else if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key.toLowerCase() === 'z' || e.key.toLowerCase() === 'y') && draft === text) {
          // Nothing typed here since the line opened: Ctrl+Z reaches the page's earlier edits
          // (earlier lines included); with typing pending, the field's own undo works first.
          e.preventDefault();
          onNavigate(); // the field stays focused when the line's text changes under it
          onHistory(e.key.toLowerCase() === 'y' || e.shiftKey ? 'redo' : 'undo');
        }
      }}
    />
  );
}

/**
 * Pages with more lines than this list only the rows in sight (plus a margin): a
 * register of thousands of lines would otherwise create tens of thousands of DOM
 * nodes before the page can be shown. Smaller pages list every line, wrapped.
 */
export const WINDOWED_FROM = 400;
/** Row pitch of the windowed list, px (one line of text, ellipsised; `.line-list.is-windowed` in app.css). */
const ROW_PX = 28;
const OVERSCAN_ROWS = 20;

/** The rows of a fixed-pitch list that are in sight of its scroll box. */
function useRowWindow(box: RefObject<HTMLElement | null>, count: number, enabled: boolean): readonly [number, number] {
  const [range, setRange] = useState<readonly [number, number]>([0, Math.min(count, 60)]);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !enabled) return;
    const update = (): void => {
      const first = Math.max(0, Math.floor(el.scrollTop / ROW_PX) - OVERSCAN_ROWS);
      const last = Math.min(count, Math.ceil((el.scrollTop + el.clientHeight) / ROW_PX) + OVERSCAN_ROWS);
      setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [box, count, enabled]);
  return enabled ? range : [0, count];
}

// Memoised: the editor re-renders on every pan and zoom frame, and a page may list thousands of lines.
export const TranscriptionPanel = memo(function TranscriptionPanel({ service, pageId, hasImage, lines, selectedLine, selection, onSelect, onCommit, onVerify, onHistory, onLeave, onMoveLine, uncertainBelow, onUncertainBelow, onNextUncertain }: Props) {
  const index = lines.findIndex((l) => l.line.id === selectedLine);
  const current = index >= 0 ? lines[index]! : null;
  const keepFocus = useRef(false);
  const list = useRef<HTMLOListElement>(null);
  const windowed = lines.length >= WINDOWED_FROM;
  const [first, last] = useRowWindow(list, lines.length, windowed);
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    if (windowed && index >= 0) {
      // The row may not exist yet: scroll by arithmetic, the window follows.
      const top = index * ROW_PX;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_PX > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_PX - el.clientHeight;
    } else el.querySelector('.line-item.is-current')?.scrollIntoView({ block: 'nearest' });
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
              onVerify={onVerify}
              onHistory={onHistory}
              onLeave={onLeave}
              autoFocus={focusNow}
              onNavigate={() => {
                keepFocus.current = true;
              }}
            />
            <p className="hint">{t.transcriptionHint}</p>
            <SpecialChars service={service} />
          </>
        ) : (
          <p className="empty-note">{lines.length ? t.noLineSelected : t.noLines}</p>
        )}
      </div>
      <div className="uncertain-row">
        <button type="button" className="ghost-button small" onClick={() => onNextUncertain(1)} title={t.nextUncertainHint}>
          {t.nextUncertain}
        </button>
        <label className="uncertain-threshold">
          <span>{t.uncertainBelow}</span>
          <input
            type="number"
            min={1}
            max={100}
            step={1}
            value={Math.round(uncertainBelow * 100)}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (v >= 1 && v <= 100) onUncertainBelow(v / 100);
            }}
            aria-label={t.uncertainBelowLabel}
          />
          <span>%</span>
        </label>
      </div>
      <h3 className="panel-subtitle">{t.allLines}</h3>
      <ol className={windowed ? 'line-list is-windowed' : 'line-list'} ref={list} aria-label={t.allLines}>
        {first > 0 && <li className="line-spacer" aria-hidden="true" style={{ height: first * ROW_PX }} />}
        {lines.slice(first, last).map(({ line }, k) => {
          const i = first + k;
          const status = lineStatus(line);
          return (
          <li key={line.id} aria-posinset={windowed ? i + 1 : undefined} aria-setsize={windowed ? lines.length : undefined}>
            <button
              type="button"
              className={`line-item ${line.id === selectedLine ? 'is-current' : ''} ${selection.includes(line.id) ? 'is-selected' : ''}`}
              aria-current={line.id === selectedLine ? 'true' : undefined}
              data-line={line.id}
              data-status={status}
              onClick={(e) => onSelect(line.id, e.shiftKey || e.ctrlKey || e.metaKey)}
              onKeyDown={(e) => {
                if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
                  e.preventDefault();
                  onMoveLine(line.id, e.key === 'ArrowUp' ? -1 : 1);
                  // The button is drawn anew at its new place: keep the focus on it.
                  setTimeout(() => document.querySelector<HTMLButtonElement>(`.line-item[data-line="${CSS.escape(line.id)}"]`)?.focus(), 0);
                  return;
                }
                // Enter edits the line; a letter typed on the one selected line starts editing with it,
                // instead of firing a tool (with several lines selected, keys stay shortcuts: M merges them).
                const alone = selection.length === 1 && selection[0] === line.id;
                const typed = alone && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== ' ';
                if (e.key !== 'Enter' && !typed) return;
                e.preventDefault();
                e.stopPropagation();
                if (line.id !== selectedLine) {
                  keepFocus.current = true;
                  onSelect(line.id, false);
                }
                // After the field for this line exists (a discrete event renders at once).
                setTimeout(() => {
                  const field = document.querySelector<HTMLTextAreaElement>('.line-input');
                  if (!field) return;
                  field.focus();
                  field.setSelectionRange(field.value.length, field.value.length);
                  // As if typed: the field's own undo and onChange see it.
                  if (typed) document.execCommand('insertText', false, e.key);
                }, 0);
              }}
            >
              <span className="line-num">{i + 1}</span>
              <span className="line-text" dir="auto" title={windowed ? lineText(line) : undefined}>
                {lineText(line) ? <UnsureChars text={lineText(line)} confs={charConfidences(line)} below={uncertainBelow} /> : '\u2014'}
              </span>
              {status && status !== 'machine' && (
                <span className={`line-status is-${status}`} role="img" aria-label={t.lineStatusLabel(t.lineStatusNames[status]!)} title={t.lineStatusNames[status]}>
                  {status === 'verified' ? '\u2713' : '\u270E'}
                </span>
              )}
            </button>
          </li>
          );
        })}
        {last < lines.length && <li className="line-spacer" aria-hidden="true" style={{ height: (lines.length - last) * ROW_PX }} />}
      </ol>
    </section>
  );
});

/** A line's machine text with the characters the model was unsure of (under `below`) marked, run by run. */
function UnsureChars({ text, confs, below }: { text: string; confs: readonly number[] | undefined; below: number }) {
  if (!confs?.some((c) => c < below)) return <>{text}</>;
  const parts: { text: string; unsure: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const unsure = (confs[i] ?? 1) < below;
    const last = parts[parts.length - 1];
    if (last && last.unsure === unsure) last.text += text[i];
    else parts.push({ text: text[i]!, unsure });
  }
  return <>{parts.map((p, i) => (p.unsure ? <mark key={i} className="char-unsure" title={t.charUnsure}>{p.text}</mark> : p.text))}</>;
}
