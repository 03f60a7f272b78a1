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
