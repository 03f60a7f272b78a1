/**
 * The safe fixes the ground-truth checker offers: changes that lose no ink and no
 * reading, so one click (undoable) may make them. Text in NFC (the same letters,
 * one encoding); a missing or one-point baseline drawn across the line where most
 * lines have theirs (a fifth of the line's height above its bottom, or at the one
 * point's height); a self-crossing polygon replaced by its hull (it only grows).
 * Empty lines, degenerate polygons and unknown characters need a person's judgement:
 * no fix is offered.
 */
import type { PageDocument, TextLine } from '../model/types.js';
import { findLine, setLineText, updateLine } from '../model/ops.js';
import { lineText } from '../model/stats.js';
import { bbox } from '../model/points.js';
import { convexHull } from '../model/geometry.js';
import type { GtProblem, GtRule } from './gt-checks.js';

export const FIXABLE_RULES: readonly GtRule[] = ['text-not-nfc', 'baseline-missing', 'polygon-self-intersecting'];

export function canFix(p: GtProblem): boolean {
  return p.id !== '' && FIXABLE_RULES.includes(p.rule);
}

/** Where a baseline goes in a line box without one: 80% down, where the writing sits. */
const BASELINE_DEPTH = 0.8;

function withBaseline(l: TextLine): TextLine {
  const box = bbox(l.coords?.points ?? []);
  if (!box || box.maxX <= box.minX) return l;
  const one = l.baseline?.points.length === 1 ? l.baseline.points[0]! : undefined;
  const y = Math.round(one ? one.y : box.minY + (box.maxY - box.minY) * BASELINE_DEPTH);
  return { ...l, baseline: { ...(l.baseline ?? {}), points: [{ x: box.minX, y }, { x: box.maxX, y }] } };
}

/** The document with one problem fixed; the same document when there is no safe fix. */
export function fixProblem(doc: PageDocument, p: GtProblem): PageDocument {
  if (!canFix(p)) return doc;
  const line = findLine(doc, p.id)?.line;
  if (!line) return doc;
  switch (p.rule) {
    case 'text-not-nfc': {
      const text = lineText(line);
      return text === text.normalize('NFC') ? doc : setLineText(doc, line.id, text.normalize('NFC'));
    }
    case 'baseline-missing':
      return updateLine(doc, line.id, withBaseline);
    case 'polygon-self-intersecting':
      return line.coords ? updateLine(doc, line.id, (l) => ({ ...l, coords: { ...l.coords!, points: convexHull(l.coords!.points) } })) : doc;
    default:
      return doc;
  }
}

export function fixAll(doc: PageDocument, problems: readonly GtProblem[]): PageDocument {
  return problems.reduce(fixProblem, doc);
}
