/**
 * The editor's state in a plain store: the one reducer, a getter and subscribers.
 * No React here, so the controller (store + commands) runs in unit tests as it
 * runs in the editor; React reads it through useSyncExternalStore.
 */
import type { PageDocument } from '../../../../electron/common/model/types.js';
import { editorReducer, initialEditorState, type EditorAction, type EditorState } from './editor-state.js';

export interface EditorStore {
  getState(): EditorState;
  dispatch(action: EditorAction): void;
  /** Called after every action that changed the state; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export function createEditorStore(doc: PageDocument): EditorStore {
  let state = initialEditorState(doc);
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = editorReducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
