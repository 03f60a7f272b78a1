/**
 * One writer at a time per file within this engine, so that "check the revision,
 * then rename over" is one critical section: two saves from the same base revision
 * (two tabs, a tab and a retry, the editor and a project-wide job) cannot both pass
 * the check. The engine is the only process that writes project files.
 */
import path from 'node:path';

/** Per file: the settled end of the queue of work on it. */
const queues = new Map<string, Promise<void>>();

export function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const run = (queues.get(key) ?? Promise.resolve()).then(work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
