/**
 * A modal <dialog> that shows a report the engine computes: opened and closed with
 * `open`, and the report asked for anew each time it opens (or `key` changes), so
 * what changed since the last look counts. One place for the accuracy and the
 * languages dialogs.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

export function useReportDialog<T>(open: boolean, load: () => Promise<T>, key: unknown = null): { ref: RefObject<HTMLDialogElement | null>; report: T | null; error: string | null } {
  const ref = useRef<HTMLDialogElement>(null);
  const [report, setReport] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
    if (!open) return;
    let live = true;
    setReport(null);
    setError(null);
    loader.current().then(
      (r) => live && setReport(r),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [open, key]);
  return { ref, report, error };
}
