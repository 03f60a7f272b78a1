/** The project's pages; the open one is marked. Arrow keys move through the list, Enter opens. */
import { useRef } from 'react';
import type { PageSummary } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly pages: readonly PageSummary[];
  readonly current: string | null;
  readonly dirty: boolean;
  readonly onOpen: (id: string) => void;
}

export function PageList({ pages, current, dirty, onOpen }: Props) {
  const list = useRef<HTMLUListElement>(null);
  if (pages.length === 0) return <p className="empty-note">{t.noPages}</p>;
  const focusAt = (i: number): void => {
    const items = list.current?.querySelectorAll<HTMLButtonElement>('button.page-item');
    items?.[Math.max(0, Math.min(items.length - 1, i))]?.focus();
  };
  return (
    <ul className="page-list" ref={list} aria-label={t.pageListLabel}>
      {pages.map((p, i) => (
        <li key={p.id}>
          <button
            type="button"
            className={`page-item ${p.id === current ? 'is-current' : ''}`}
            aria-current={p.id === current ? 'page' : undefined}
            title={p.xmlPath ?? p.imagePath ?? p.id}
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
            </span>
            <span className="page-meta">{!p.xmlPath ? t.pageNoFile : !p.imagePath ? t.pageNoImage : p.xmlPath}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
