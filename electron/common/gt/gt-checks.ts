/**
 * Checks of a page as training ground truth, beyond what its schema and the
 * structural rules (page-checks.ts) say: what makes a trainer learn the wrong
 * thing or drop a line. Each problem names its rule, the element and what to do.
 */
import type { PageDocument, Point, Points, TextLine } from '../model/types.js';
import { allLines, lineText } from '../model/stats.js';
import { pointInPolygon, polygonArea } from '../model/points.js';
import { checkDocument } from '../formats/page-checks.js';
import { lineStatus } from '../model/provenance.js';

export type GtRule =
  | 'baseline-missing'
  | 'baseline-outside-line'
  | 'text-empty'
  | 'polygon-degenerate'
  | 'polygon-self-intersecting'
  | 'text-not-nfc'
  | 'char-outside-charset'
  | 'gt-unconfirmed'
  | 'structure';

export interface GtProblem {
  readonly rule: GtRule;
  /** The line (or element) it concerns; '' for the page. */
  readonly id: string;
  readonly message: string;
}

export interface GtCheckOptions {
  /** A model's charset: characters outside it cannot be learnt by fine-tuning that model without new classes. */
  readonly charset?: ReadonlySet<string>;
  /** The page is marked Ground truth: every line's text must be a person's (corrected or verified), not a model's. */
  readonly markedGroundTruth?: boolean;
}

/** Share of a baseline's length that may lie outside its line's polygon (drawn loosely by hand). */
const BASELINE_OUTSIDE_SHARE = 0.25;
/** Polygons with more points than this are not searched for self-intersection (quadratic). */
const MAX_POINTS_FOR_CROSSING = 600;

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o = (p: Point, q: Point, r: Point): number => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

export function selfIntersects(pts: Points): boolean {
  const n = pts.length;
  if (n < 4 || n > MAX_POINTS_FOR_CROSSING) return false;
  for (let i = 0; i < n; i++) {
    const a = pts[i]!, b = pts[(i + 1) % n]!;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // neighbours through the closing edge
      if (segmentsCross(a, b, pts[j]!, pts[(j + 1) % n]!)) return true;
    }
  }
  return false;
}

/** Most points a baseline is sampled at, and most vertices of the polygon they are tested against. */
const MAX_BASELINE_SAMPLES = 2_000;
const MAX_POLYGON_VERTICES = 20_000;

/**
 * Points along a polyline every `step` px (its vertices included), at most
 * MAX_BASELINE_SAMPLES: a baseline of millions of points (or kilometres long)
 * is sampled more coarsely instead of filling memory.
 */
function sample(pts: Points, step = 8): Points {
  let length = 0;
  for (let i = 0; i + 1 < pts.length; i++) length += Math.hypot(pts[i + 1]!.x - pts[i]!.x, pts[i + 1]!.y - pts[i]!.y);
  if (length / step + pts.length > MAX_BASELINE_SAMPLES) return everyNth(pts, MAX_BASELINE_SAMPLES);
  const out: Point[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!, b = pts[i + 1]!;
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / step));
    for (let k = 0; k < n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n });
  }
  if (pts.length) out.push(pts[pts.length - 1]!);
  return out;
}

/** At most `max` of the points, evenly spread, the first and the last included (all of them when there are fewer). */
function everyNth(pts: Points, max: number): Points {
  if (pts.length <= max) return pts;
  const out: Point[] = [];
  const stride = (pts.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(pts[Math.round(k * stride)]!);
  return out;
}

function lineProblems(l: TextLine, opts: GtCheckOptions): GtProblem[] {
  const out: GtProblem[] = [];
  const p = (rule: GtRule, message: string): void => void out.push({ rule, id: l.id, message });
  const text = lineText(l);
  if (text.trim() === '') p('text-empty', 'no text: a trainer skips it, or learns silence from ink');
  const poly = l.coords?.points ?? [];
  let polyOk = poly.length >= 3;
  if (poly.length && (poly.length < 3 || polygonArea(poly) < 1)) {
    p('polygon-degenerate', `its polygon has ${poly.length} point(s) and no area`);
    polyOk = false;
  } else if (selfIntersects(poly)) {
    p('polygon-self-intersecting', 'its polygon crosses itself: cut images will miss or repeat ink');
    polyOk = false;
  }
  const base = l.baseline?.points ?? [];
  if (base.length < 2) p('baseline-missing', base.length ? 'a baseline of one point' : 'no baseline: baseline-based trainers (kraken, Loghi) skip it');
  else if (polyOk) {
    // (A broken polygon has no inside to measure against: it is reported itself.)
    // Bounded work for polygons of millions of points (traced pixel by pixel): their outline
    // at MAX_POLYGON_VERTICES vertices is close enough for a share of a baseline.
    const pts = sample(base);
    const outline = everyNth(poly, MAX_POLYGON_VERTICES);
    const outside = pts.filter((q) => !pointInPolygon(q, outline)).length;
    if (outside / pts.length > BASELINE_OUTSIDE_SHARE) p('baseline-outside-line', `${Math.round((100 * outside) / pts.length)}% of its baseline lies outside its polygon`);
  }
  if (text !== text.normalize('NFC')) p('text-not-nfc', 'its text is not in NFC: the same letter in two encodings (e.g. é as e + ◌́) counts as two characters to a trainer');
  if (opts.markedGroundTruth && text.trim() !== '' && lineStatus(l) === 'machine') {
    p('gt-unconfirmed', 'the page is marked Ground truth but this line has machine text nobody corrected or verified (Ctrl+Enter verifies it)');
  }
  if (opts.charset) {
    const missing = [...new Set([...text.normalize('NFC')].filter((c) => c !== ' ' && !opts.charset!.has(c)))];
    if (missing.length) p('char-outside-charset', `characters the model does not know: ${missing.join(' ')}`);
  }
  return out;
}

export function checkGroundTruth(doc: PageDocument, opts: GtCheckOptions = {}): GtProblem[] {
  // A short baseline is reported once, here, as baseline-missing.
  const structure = checkDocument(doc).filter((s) => s.rule !== 'baseline-short').map((s): GtProblem => ({ rule: 'structure', id: '', message: `${s.rule}: ${s.message}` }));
  return [...structure, ...allLines(doc.page.regions).flatMap((l) => lineProblems(l, opts))];
}
