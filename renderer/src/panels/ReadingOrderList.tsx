/**
 * Top-level regions in reading order. Reorder by dragging an item, or with
 * Alt+Up/Alt+Down (or the arrow buttons) on the selected one; each reorder is
 * one undoable edit.
 */
import { memo, useState } from 'react';
import type { Region } from '../../../electron/common/model/types.js';
import { strings as t } from '../i18n/strings.js';
import { icons } from './icons.js';

interface Props {
  readonly regions: readonly Region[];
  readonly selection: readonly string[];
  readonly onSelect: (id: string, additive: boolean) => void;
  readonly onMove: (from: number, to: number) => void;
}

const kindName = (r: Region): string => t.kindNames[r.kind] ?? r.kind.replace(/Region$/, '');

// Memoised: the editor re-renders on every pan and zoom frame, and a page may list thousands of lines.
export const ReadingOrderList = memo(function ReadingOrderList({ regions, selection, onSelect, onMove }: Props) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  if (regions.length === 0) return <p className="empty-note">{t.noRegions}</p>;
  const focusItem = (i: number): void => {
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`.order-item[data-index="${i}"]`)?.focus());
  };
  return (
    <ol className="order-list" role="listbox" aria-label={t.readingOrderLabel}>
      {regions.map((r, i) => {
        const selected = selection.includes(r.id);
        return (
          <li
            key={r.id}
            role="option"
            aria-selected={selected}
            tabIndex={selected || (i === 0 && !regions.some((x) => selection.includes(x.id))) ? 0 : -1}
            data-index={i}
            data-region={r.id}
            className={`order-item ${selected ? 'is-selected' : ''} ${dropAt === i && dragFrom !== null && dragFrom !== i ? (dragFrom < i ? 'drop-after' : 'drop-before') : ''}`}
            draggable
            onClick={(e) => onSelect(r.id, e.shiftKey || e.ctrlKey || e.metaKey)}
            onKeyDown={(e) => {
              if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
                const to = e.key === 'ArrowUp' ? i - 1 : i + 1;
                if (to >= 0 && to < regions.length) {
                  onMove(i, to);
                  focusItem(to);
                }
              } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
                const to = Math.max(0, Math.min(regions.length - 1, e.key === 'ArrowUp' ? i - 1 : i + 1));
                onSelect(regions[to]!.id, false);
                focusItem(to);
              } else if (e.key === ' ' || e.key === 'Enter') onSelect(r.id, false);
              else return;
              e.preventDefault();
              e.stopPropagation();
            }}
            onDragStart={(e) => {
              setDragFrom(i);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', r.id);
            }}
            onDragOver={(e) => {
              if (dragFrom === null) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              setDropAt(i);
            }}
            onDrop={(e) => {
              e.preventDefault();
              if (dragFrom !== null && dragFrom !== i) onMove(dragFrom, i);
              setDragFrom(null);
              setDropAt(null);
            }}
            onDragEnd={() => {
              setDragFrom(null);
              setDropAt(null);
            }}
          >
            <span className="order-grip" aria-hidden="true">
              {icons.grip}
            </span>
            <span className="order-num" aria-hidden="true">
              {i + 1}
            </span>
            <span className="order-text">
              <span className="order-title">{t.regionItem(i + 1, kindName(r), r.lines.length)}</span>
              <span className="order-id">{r.id}</span>
            </span>
            {selected && (
              <span className="order-moves">
                <button type="button" className="mini-button" aria-label={t.moveUp} title={t.moveUp} disabled={i === 0} tabIndex={-1} onClick={(e) => (e.stopPropagation(), onMove(i, i - 1))}>
                  {icons.up}
                </button>
                <button type="button" className="mini-button" aria-label={t.moveDown} title={t.moveDown} disabled={i === regions.length - 1} tabIndex={-1} onClick={(e) => (e.stopPropagation(), onMove(i, i + 1))}>
                  {icons.down}
                </button>
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
});
