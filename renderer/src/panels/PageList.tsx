/**
 * The project's pages with their status, in the project's page order; the open one is
 * marked. Arrow keys move through the list, Enter opens. Above the list, how many pages
 * stand at each status; below it, the open page's status, which people set (done,
 * ground truth), and buttons that move it earlier or later in the order.
 */
import { useRef } from 'react';
import { PAGE_STATUSES, type PageStatus, type PageSummary } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';
import type { TextNormalization } from '../editor/text-settings.js';

interface Props {
  readonly pages: readonly PageSummary[];
  readonly current: string | null;
  readonly dirty: boolean;
  readonly onOpen: (id: string) => void;
  readonly onStatus: (id: string, status: PageStatus) => void;
  /** Moves a page one place earlier (-1) or later (1) in the project's order (absent: no buttons). */
  readonly onMove?: (id: string, step: -1 | 1) => void;
  readonly onReport: () => void;
  readonly onLanguages: () => void;
  readonly onExport: () => void;
  /** Opens the Import dialog (absent: no button). */
  readonly onImport?: () => void;
  /** The project's setting for how line texts are stored. */
  readonly textNormalization: TextNormalization;
  readonly onTextNormalization: (form: TextNormalization) => void;
}

function StatusCounts({ pages }: { readonly pages: readonly PageSummary[] }) {
  const counts = PAGE_STATUSES.map((s) => [s, pages.filter((p) => p.status === s).length] as const).filter(([, n]) => n > 0);
  return (
    <p className="page-status-counts" aria-label={t.pageStatusCounts}>
      {counts.map(([s, n]) => (
        <span key={s} className={`page-status is-${s}`} data-status={s}>
          {t.pageStatusNames[s]} {n}
        </span>
      ))}
    </p>
  );
}

export function PageList({ pages, current, dirty, onOpen, onStatus, onMove, onReport, onLanguages, onExport, onImport, textNormalization, onTextNormalization }: Props) {
  const list = useRef<HTMLUListElement>(null);
  if (pages.length === 0) return <p className="empty-note">{t.noPages}</p>;
  const focusAt = (i: number): void => {
    const items = list.current?.querySelectorAll<HTMLButtonElement>('button.page-item');
    items?.[Math.max(0, Math.min(items.length - 1, i))]?.focus();
  };
  const open = pages.find((p) => p.id === current);
  const openAt = open ? pages.indexOf(open) : -1;
  return (
    <>
      <StatusCounts pages={pages} />
      <ul className="page-list" ref={list} aria-label={t.pageListLabel}>
        {pages.map((p, i) => (
          <li key={p.id}>
            <button
              type="button"
              className={`page-item ${p.id === current ? 'is-current' : ''}`}
              aria-current={p.id === current ? 'page' : undefined}
              title={p.xmlPath ?? p.imagePath ?? p.id}
              data-status={p.status}
              onClick={() => onOpen(p.id)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') focusAt(i + 1);
                else if (e.key === 'ArrowUp') focusAt(i - 1);
                else return;
                e.preventDefault();
              }}
            >
              <span className="page-name">
                {p.name}
                {p.id === current && dirty && <span className="dirty-dot" aria-label={t.unsaved} title={t.unsaved} />}
                <span className={`page-status is-${p.status}`}>{t.pageStatusNames[p.status]}</span>
              </span>
              <span className="page-meta">{!p.xmlPath ? t.pageNoFile : !p.imagePath ? t.pageNoImage : p.xmlPath}</span>
            </button>
          </li>
        ))}
      </ul>
      {open && (
        <label className="field page-status-field">
          <span className="field-label">{t.pageStatusOf(open.name)}</span>
          <select value={open.status} onChange={(e) => onStatus(open.id, e.target.value as PageStatus)}>
            {PAGE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.pageStatusNames[s]}
              </option>
            ))}
          </select>
        </label>
      )}
      {open && onMove && pages.length > 1 && (
        <div className="page-report-buttons" role="group" aria-label={t.pageOrderOf(open.name)}>
          <button type="button" className="ghost-button small" disabled={openAt <= 0} onClick={() => onMove(open.id, -1)}>
            {t.pageMoveEarlier}
          </button>
          <button type="button" className="ghost-button small" disabled={openAt >= pages.length - 1} onClick={() => onMove(open.id, 1)}>
            {t.pageMoveLater}
          </button>
        </div>
      )}
      <div className="page-report-buttons">
        <button type="button" className="ghost-button small" onClick={onReport}>
          {t.accuracyOpen}
        </button>
        <button type="button" className="ghost-button small" onClick={onLanguages}>
          {t.languagesOpen}
        </button>
        <button type="button" className="ghost-button small" onClick={onExport}>
          {t.exportProjectOpen}
        </button>
        {onImport && (
          <button type="button" className="ghost-button small" onClick={onImport}>
            {t.importOpen}
          </button>
        )}
      </div>
      <label className="field page-status-field">
        <span className="field-label">{t.textNormalization}</span>
        <select value={textNormalization} onChange={(e) => onTextNormalization(e.target.value as TextNormalization)}>
          {(['NFC', 'NFD', 'none'] as const).map((f) => (
            <option key={f} value={f}>
              {t.textNormalizationNames[f]}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
