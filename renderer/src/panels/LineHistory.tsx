/**
 * The selected line's history: every recorded text, newest first, who or what made
 * it (a model and its version, or a person) and when, with the characters each
 * version changed from the one before it; any earlier text can be restored as one
 * undoable edit. The person's name for the history is set here.
 */
import { useState } from 'react';
import type { DocumentFormat, TextLine } from '../../../electron/common/model/types.js';
import { authorLabel, lineStatus, lineVersions, supportsLineHistory } from '../../../electron/common/model/provenance.js';
import { lineText } from '../../../electron/common/model/stats.js';
import { charDiff } from '../../../electron/common/transcription/char-diff.js';
import { personName, setPersonName } from '../editor/person.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly line: TextLine;
  readonly format: DocumentFormat;
  readonly onRestore: (lineId: string, text: string) => void;
}

const OPEN_KEY = 'htr-studio-history-open';

function formatName(f: DocumentFormat): string {
  return f.kind === 'page' ? `PAGE ${f.version.slice(0, 4)}` : `ALTO ${f.version}`;
}

function when(at: string | undefined): string {
  if (!at) return '';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function Diff({ from, to }: { readonly from: string; readonly to: string }) {
  return (
    <span className="history-text" dir="auto">
      {charDiff(from, to).map((p, i) => (p.kind === 'same' ? <span key={i}>{p.text}</span> : p.kind === 'insert' ? <ins key={i}>{p.text}</ins> : <del key={i}>{p.text}</del>))}
    </span>
  );
}

export function LineHistory({ line, format, onRestore }: Props) {
  const [name, setName] = useState(personName);
  const [open, setOpen] = useState(() => localStorage.getItem(OPEN_KEY) === 'open');
  const remember = (on: boolean): void => {
    localStorage.setItem(OPEN_KEY, on ? 'open' : 'closed');
    setOpen(on);
  };
  const status = lineStatus(line);
  if (!supportsLineHistory(format)) {
    return (
      <div className="line-history">
        {status && <p className="field-label">{t.lineStatusLabel(t.lineStatusNames[status]!)}</p>}
        <p className="hint">{t.historyUnsupported(formatName(format))}</p>
      </div>
    );
  }
  const versions = lineVersions(line);
  const current = lineText(line);
  return (
    <div className="line-history">
      {status && <p className="field-label" data-line-status={status}>{t.lineStatusLabel(t.lineStatusNames[status]!)}</p>}
      {/* Closed by default (open state kept): the transcription below needs the room more often. */}
      <details open={open} onToggle={(e) => remember(e.currentTarget.open)}>
      <summary className="field-label">{t.historySummary(versions.length)}</summary>
      {versions.length ? (
        <ol className="history-list" aria-label={t.historyTitle}>
          {versions
            .map((v, i) => ({ v, i }))
            .reverse()
            .map(({ v, i }) => {
              const isCurrent = i === versions.length - 1 && v.text === current;
              return (
                <li key={i} className="history-item" data-author={v.by.kind}>
                  <span className="history-meta">
                    <span className="history-who">{authorLabel(v)}</span>
                    <span>{when(v.at)}</span>
                    {v.conf !== undefined && <span>{t.historyConf(v.conf)}</span>}
                    {v.verified && <span>{t.historyVerified}</span>}
                    {isCurrent && <span>{t.historyCurrent}</span>}
                  </span>
                  <Diff from={i > 0 ? versions[i - 1]!.text : ''} to={v.text} />
                  {!isCurrent && v.text !== current && (
                    <button type="button" className="ghost-button small" aria-label={t.historyRestoreLabel(authorLabel(v))} onClick={() => onRestore(line.id, v.text)}>
                      {t.historyRestore}
                    </button>
                  )}
                </li>
              );
            })}
        </ol>
      ) : (
        <p className="hint">{t.historyNone}</p>
      )}
      </details>
      <label className="field">
        <span className="field-label">{t.historyPerson}</span>
        <input
          type="text"
          value={name}
          maxLength={80}
          onChange={(e) => {
            setName(e.target.value);
            setPersonName(e.target.value);
          }}
        />
      </label>
    </div>
  );
}
