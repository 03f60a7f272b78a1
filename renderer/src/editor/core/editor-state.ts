/**
 * The editor's state and its one reducer. The document changes only here, and
 * only through the model's pure ops: the canvas and panels send intents. Every
 * edit is recorded in history; a drag previews many documents and records one
 * entry when it ends (one undo step).
 */
import type { PageDocument } from '../../../../electron/common/model/types.js';
import { emptyHistory, record, redo, undo, type History } from '../../../../electron/common/model/history.js';
import { findLine, findRegion, type ShapeRef } from '../../../../electron/common/model/ops.js';
import { strings as t } from '../../i18n/strings.js';

export interface VertexRef {
  readonly ref: ShapeRef;
  readonly index: number;
}

export interface Notice {
  readonly kind: 'info' | 'error';
  readonly text: string;
  /** Distinguishes repeated identical notices (so a live region re-announces). */
  readonly seq: number;
}

export interface EditorState {
  readonly doc: PageDocument;
  readonly history: History;
  /** The document as last opened or saved: `doc !== saved` means unsaved changes. */
  readonly saved: PageDocument;
  /** Selected region and line ids, in the order they were selected. */
  readonly selection: readonly string[];
  readonly vertex: VertexRef | null;
  /** The document before the drag in progress, if any. */
  readonly gestureStart: PageDocument | null;
  readonly notice: Notice | null;
}

export type Edit = (doc: PageDocument) => PageDocument;

export type EditorAction =
  | { readonly type: 'edit'; readonly label: string; readonly edit: Edit; readonly select?: readonly string[]; readonly vertex?: VertexRef | null }
  | { readonly type: 'preview'; readonly edit: Edit }
  | { readonly type: 'commit'; readonly label: string }
  | { readonly type: 'cancel' }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  | { readonly type: 'select'; readonly ids: readonly string[]; readonly vertex?: VertexRef | null }
  | { readonly type: 'saved'; readonly doc: PageDocument }
  | { readonly type: 'notice'; readonly kind: Notice['kind']; readonly text: string };

export function initialEditorState(doc: PageDocument): EditorState {
  return { doc, history: emptyHistory, saved: doc, selection: [], vertex: null, gestureStart: null, notice: null };
}

let seq = 0;
const notice = (kind: Notice['kind'], text: string): Notice => ({ kind, text, seq: ++seq });

/** Keeps only selected ids that still exist (after undo, delete, merge…). */
function prune(doc: PageDocument, ids: readonly string[]): string[] {
  return ids.filter((id) => findLine(doc, id) || findRegion(doc, id));
}

function vertexStillValid(doc: PageDocument, v: VertexRef | null): VertexRef | null {
  if (!v) return null;
  const line = findLine(doc, v.ref.id)?.line;
  const pts = v.ref.shape === 'baseline' ? line?.baseline?.points : (line ?? findRegion(doc, v.ref.id))?.coords?.points;
  return pts && v.index < pts.length ? v : null;
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'edit': {
      let doc: PageDocument;
      try {
        doc = action.edit(state.doc);
      } catch (e) {
        return { ...state, notice: notice('error', t.editFailed((e as Error).message)) };
      }
      if (doc === state.doc) return state;
      const selection = prune(doc, action.select ?? state.selection);
      const vertex = vertexStillValid(doc, action.vertex === undefined ? state.vertex : action.vertex);
      return { ...state, doc, history: record(state.history, action.label, state.doc, doc), selection, vertex, gestureStart: null, notice: notice('info', action.label) };
    }
    case 'preview': {
      const start = state.gestureStart ?? state.doc;
      try {
        // Always from the drag's start, so the result is one op however many moves came before.
        return { ...state, gestureStart: start, doc: action.edit(start) };
      } catch {
        return state; // e.g. a point dragged outside what the op accepts: keep the last good preview
      }
    }
    case 'commit': {
      if (!state.gestureStart) return state;
      return { ...state, history: record(state.history, action.label, state.gestureStart, state.doc), gestureStart: null, notice: notice('info', action.label) };
    }
    case 'cancel':
      return state.gestureStart ? { ...state, doc: state.gestureStart, gestureStart: null } : state;
    case 'undo':
    case 'redo': {
      if (state.gestureStart) return state;
      const r = action.type === 'undo' ? undo(state.history) : redo(state.history);
      if (!r) return state;
      return {
        ...state,
        doc: r.doc,
        history: r.history,
        selection: prune(r.doc, state.selection),
        vertex: vertexStillValid(r.doc, state.vertex),
        notice: notice('info', action.type === 'undo' ? t.undone(r.label) : t.redone(r.label)),
      };
    }
    case 'select':
      return { ...state, selection: prune(state.doc, action.ids), vertex: action.vertex === undefined ? null : vertexStillValid(state.doc, action.vertex) };
    case 'saved':
      return { ...state, saved: action.doc };
    case 'notice':
      return { ...state, notice: notice(action.kind, action.text) };
  }
}
