/**
 * The image point under the mouse, outside React state: it changes on every
 * mouse move and only the status bar shows it, so the canvas need not re-render.
 */
import type { Point } from '../../../electron/common/model/types.js';

type Listener = () => void;

function createCursorStore() {
  let value: Point | null = null;
  const listeners = new Set<Listener>();
  return {
    get: (): Point | null => value,
    set(p: Point | null): void {
      if (p === value || (p && value && p.x === value.x && p.y === value.y)) return;
      value = p;
      for (const l of listeners) l();
    },
    subscribe(l: Listener): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const cursor = createCursorStore();
