/**
 * The structural rules HTR Studio checks on any page, whatever its schema says:
 * what trainers and editors need to trust a file. Each problem says whether the
 * file's own schema forbids it ('invalid') or only HTR Studio's extra rules do
 * ('warning': points outside the image, an ALTO line without a position), and is
 * worded in the file's own terms (PAGE: TextRegion, id, Coords; ALTO: TextBlock,
 * ID, HPOS/VPOS/WIDTH/HEIGHT), so a schema-valid ALTO file is not called invalid
 * for what only PAGE requires.
 */
import type { OrderGroup, PageDocument, Points, Region, TextLine } from '../model/types.js';
import { blockElement } from './alto-write-layout.js';
import { isValidId } from './page-repair.js';

export type ProblemRule = 'id-missing' | 'id-invalid' | 'id-duplicate' | 'coords-missing' | 'baseline-short' | 'point-outside' | 'reading-order-ref';

export interface Problem {
  readonly rule: ProblemRule;
  readonly message: string;
  /** 'invalid': the format's schema forbids it; 'warning': only HTR Studio's own rules do. */
  readonly severity: 'invalid' | 'warning';
}

/** The words of a format: PAGE and ALTO name the same things differently. */
interface Terms {
  readonly alto: boolean;
  readonly id: string;
  readonly coords: string;
  region(r: Region): string;
  readonly line: string;
  readonly word: string;
}

const PAGE_TERMS: Terms = { alto: false, id: 'id', coords: 'Coords', region: (r) => r.kind, line: 'TextLine', word: 'Word' };
const ALTO_TERMS: Terms = { alto: true, id: 'ID', coords: 'position (HPOS/VPOS/WIDTH/HEIGHT or Shape)', region: blockElement, line: 'TextLine', word: 'String' };

const hasPoints = (s: { points: Points } | undefined): boolean => s !== undefined && s.points.length > 0;

export function checkDocument(doc: PageDocument): Problem[] {
  const t = doc.format.kind === 'alto' ? ALTO_TERMS : PAGE_TERMS;
  const problems: Problem[] = [];
  const add = (rule: ProblemRule, severity: Problem['severity'], message: string): void => {
    problems.push({ rule, severity, message });
  };
  const seen = new Map<string, number>();
  const { imageWidth: w, imageHeight: h } = doc.page;
  const regionIds = new Set<string>();

  /** `required`: the schema wants an id here (PAGE: everywhere; ALTO: on blocks). */
  const id = (what: string, value: string, required: boolean): void => {
    if (!value) {
      if (required) add('id-missing', 'invalid', `${what} has no ${t.id}`);
      return;
    }
    if (!isValidId(value)) add('id-invalid', 'invalid', `${what} ${t.id} "${value}" is not a valid xs:ID (must start with a letter or _)`);
    seen.set(value, (seen.get(value) ?? 0) + 1);
  };
  const inside = (what: string, pts: Points): void => {
    const bad = pts.filter((p) => p.x < 0 || p.y < 0 || p.x > w || p.y > h);
    if (bad.length) add('point-outside', 'warning', `${what}: ${bad.length} point(s) outside the ${w}×${h} image, e.g. ${bad[0]!.x},${bad[0]!.y}`);
  };
  const line = (l: TextLine, where: string): void => {
    const what = `${t.line} ${l.id || '(no id)'}${where}`;
    id(t.line, l.id, !t.alto);
    // ALTO makes a line's position optional; HTR Studio cannot cut a line without one.
    if (!hasPoints(l.coords)) add('coords-missing', t.alto ? 'warning' : 'invalid', `${what} has no ${t.coords}`);
    else inside(what, l.coords!.points);
    if (l.baseline) {
      if (l.baseline.points.length < 2) {
        add('baseline-short', t.alto ? 'warning' : 'invalid', `${what} has a ${t.alto ? 'BASELINE' : 'Baseline'} of ${l.baseline.points.length} point(s); at least 2 are needed`);
      }
      inside(`${what} baseline`, l.baseline.points);
    }
    for (const word of l.words) {
      id(t.word, word.id, !t.alto);
      // ALTO strings and glyphs often go without positions (line-level OCR): nothing to report there.
      if (hasPoints(word.coords)) inside(`${t.word} ${word.id}`, word.coords!.points);
      else if (!t.alto) add('coords-missing', 'invalid', `Word ${word.id || '(no id)'} has no Coords`);
      for (const g of word.glyphs) {
        id('Glyph', g.id, !t.alto);
        if (!hasPoints(g.coords) && !t.alto) add('coords-missing', 'invalid', `Glyph ${g.id || '(no id)'} has no Coords`);
      }
    }
  };
  const region = (r: Region): void => {
    const kind = t.region(r);
    id(kind, r.id, true);
    regionIds.add(r.id);
    if (hasPoints(r.coords)) inside(`${kind} ${r.id}`, r.coords!.points);
    else if (!t.alto) add('coords-missing', 'invalid', `${kind} ${r.id || '(no id)'} has no Coords`);
    // eScriptorium's block for loose lines has no position: its lines place it. Only an empty one says nothing.
    else if (!r.lines.some((l) => hasPoints(l.coords)) && !r.regions.length) add('coords-missing', 'warning', `${kind} ${r.id || '(no id)'} has no ${t.coords} and no positioned lines`);
    for (const l of r.lines) line(l, ` in ${r.id}`);
    for (const s of r.regions) region(s);
  };
  for (const r of doc.page.regions) region(r);
  for (const [value, n] of seen) if (n > 1) add('id-duplicate', 'invalid', `${t.id} "${value}" is used ${n} times`);

  const group = (g: OrderGroup): void => {
    for (const item of g.items) {
      if (item.kind === 'group') group(item);
      else if (regionIds.has(item.regionRef)) continue;
      // An IDREF must name some element (the schema's rule); naming one that is not a region is HTR Studio's.
      else if (seen.has(item.regionRef)) add('reading-order-ref', 'warning', `reading order refers to "${item.regionRef}", which is not a region`);
      else add('reading-order-ref', 'invalid', `reading order refers to "${item.regionRef}", which is not a region on this page`);
    }
  };
  if (doc.page.readingOrder) group(doc.page.readingOrder.root);
  return problems;
}
