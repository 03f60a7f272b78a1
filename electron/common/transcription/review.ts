/** Confidence-driven review: which line to correct next. */
import type { TextLine } from '../model/types.js';
import { lineConf } from '../model/stats.js';

/**
 * The next line of `lines` (in reading order) after `fromId` — or from the start;
 * `step` -1: before it, from the end — whose machine text is less sure than
 * `threshold`: a confidence on its text below it. A person's text (no confidence)
 * is never uncertain. Wraps around the page once (`wrap`, the default; without it
 * only the lines after — before — `fromId`); undefined when there is none.
 */
export function nextUncertainLine(lines: readonly TextLine[], fromId: string | null, threshold: number, step: 1 | -1, wrap = true): string | undefined {
  const n = lines.length;
  const start = lines.findIndex((l) => l.id === fromId);
  for (let k = 1; k <= n; k++) {
    if (!wrap && start >= 0 && (start + step * k < 0 || start + step * k >= n)) return undefined;
    const i = start < 0 ? (step > 0 ? k - 1 : n - k) : (((start + step * k) % n) + n) % n;
    const conf = lineConf(lines[i]!);
    if (conf !== undefined && conf < threshold) return lines[i]!.id;
  }
  return undefined;
}

/**
 * Where the next run of unsure characters starts — characters whose confidence is
 * under `threshold`, as UTF-16 indexes into the line's text — at or after `from`
 * (the caret, or the end of the run selected last); for `step` -1, the last run
 * starting before `from`. Undefined when the rest of the line is sure.
 */
export function nextUncertainChar(confs: readonly number[], from: number, threshold: number, step: 1 | -1): number | undefined {
  const unsure = (i: number): boolean => (confs[i] ?? 1) < threshold;
  const runStart = (i: number): boolean => unsure(i) && (i === 0 || !unsure(i - 1));
  if (step > 0) {
    for (let i = Math.max(0, from); i < confs.length; i++) if (runStart(i)) return i;
    return undefined;
  }
  for (let i = Math.min(from, confs.length) - 1; i >= 0; i--) if (runStart(i)) return i;
  return undefined;
}

/** The end (exclusive) of the run of unsure characters starting at `start`: what F8 selects. */
export function uncertainRunEnd(confs: readonly number[], start: number, threshold: number): number {
  let end = start;
  while (end < confs.length && (confs[end] ?? 1) < threshold) end++;
  return Math.max(end, start + 1);
}
