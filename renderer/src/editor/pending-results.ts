/**
 * Recognition results for pages not open yet (after training: the pages not
 * used for training). The engine writes nothing; the editor applies each one as
 * a single undoable edit when its page opens, so every page's machine reading
 * can be undone like any other recognition.
 */
const pending = new Map<string, string>();

export function deferResult(pageId: string, xml: string): void {
  pending.set(pageId, xml);
}

/** The page's waiting result (PAGE/ALTO text), removed from the store; undefined when none. */
export function takeResult(pageId: string): string | undefined {
  const xml = pending.get(pageId);
  pending.delete(pageId);
  return xml;
}

export function pendingCount(): number {
  return pending.size;
}
