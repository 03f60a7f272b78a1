/**
 * Undo/redo over immutable documents: an entry is the document before and after
 * one labelled edit. A drag applies many intermediate documents without recording
 * them and records one entry when it ends, so it undoes in one step.
 */
import type { PageDocument } from './types.js';

export interface HistoryEntry {
  readonly label: string;
  readonly before: PageDocument;
  readonly after: PageDocument;
}

export interface History {
  readonly done: readonly HistoryEntry[];
  readonly undone: readonly HistoryEntry[];
}

export const emptyHistory: History = { done: [], undone: [] };

/** Records an edit; a new edit forgets what was undone. */
export function record(h: History, label: string, before: PageDocument, after: PageDocument, limit = 500): History {
  if (before === after) return h;
  const done = [...h.done, { label, before, after }];
  return { done: done.length > limit ? done.slice(done.length - limit) : done, undone: [] };
}

export function undo(h: History): { history: History; doc: PageDocument; label: string } | undefined {
  const last = h.done[h.done.length - 1];
  if (!last) return undefined;
  return { history: { done: h.done.slice(0, -1), undone: [...h.undone, last] }, doc: last.before, label: last.label };
}

export function redo(h: History): { history: History; doc: PageDocument; label: string } | undefined {
  const next = h.undone[h.undone.length - 1];
  if (!next) return undefined;
  return { history: { done: [...h.done, next], undone: h.undone.slice(0, -1) }, doc: next.after, label: next.label };
}

/** Labels for the Edit menu ("Undo Move vertex"). */
export function undoLabel(h: History): string | undefined {
  return h.done[h.done.length - 1]?.label;
}

export function redoLabel(h: History): string | undefined {
  return h.undone[h.undone.length - 1]?.label;
}
