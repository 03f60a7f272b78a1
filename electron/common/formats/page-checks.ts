/**
 * The structural rules HTR Studio checks on any page, whatever its schema says:
 * what trainers and editors need to trust a file.
 */
import type { OrderGroup, PageDocument, Points, Region, TextLine } from '../model/types.js';
import { isValidId } from './page-repair.js';

export interface Problem {
  readonly rule: 'id-missing' | 'id-invalid' | 'id-duplicate' | 'coords-missing' | 'baseline-short' | 'point-outside' | 'reading-order-ref';
  readonly message: string;
}

export function checkDocument(doc: PageDocument): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const { imageWidth: w, imageHeight: h } = doc.page;
  const regionIds = new Set<string>();
  // ALTO makes ids optional; PAGE requires them.
  const idsRequired = doc.format.kind === 'page';

  const id = (what: string, value: string): void => {
    if (!value) {
      if (idsRequired) problems.push({ rule: 'id-missing', message: `${what} has no id` });
      return;
    }
    if (!isValidId(value)) problems.push({ rule: 'id-invalid', message: `${what} id "${value}" is not a valid xs:ID (must start with a letter or _)` });
    seen.set(value, (seen.get(value) ?? 0) + 1);
  };
  const inside = (what: string, pts: Points): void => {
    const bad = pts.filter((p) => p.x < 0 || p.y < 0 || p.x > w || p.y > h);
    if (bad.length) problems.push({ rule: 'point-outside', message: `${what}: ${bad.length} point(s) outside the ${w}×${h} image, e.g. ${bad[0]!.x},${bad[0]!.y}` });
  };
  const line = (l: TextLine, where: string): void => {
    const what = `TextLine ${l.id || '(no id)'}${where}`;
    id('TextLine', l.id);
    if (!l.coords || l.coords.points.length === 0) problems.push({ rule: 'coords-missing', message: `${what} has no Coords` });
    else inside(what, l.coords.points);
    if (l.baseline) {
      if (l.baseline.points.length < 2) problems.push({ rule: 'baseline-short', message: `${what} has a Baseline of ${l.baseline.points.length} point(s); at least 2 are needed` });
      inside(`${what} baseline`, l.baseline.points);
    }
    for (const word of l.words) {
      id('Word', word.id);
      if (!word.coords || word.coords.points.length === 0) problems.push({ rule: 'coords-missing', message: `Word ${word.id || '(no id)'} has no Coords` });
      else inside(`Word ${word.id}`, word.coords.points);
      for (const g of word.glyphs) {
        id('Glyph', g.id);
        if (!g.coords || g.coords.points.length === 0) problems.push({ rule: 'coords-missing', message: `Glyph ${g.id || '(no id)'} has no Coords` });
      }
    }
  };
  const region = (r: Region): void => {
    id(r.kind, r.id);
    regionIds.add(r.id);
    if (!r.coords || r.coords.points.length === 0) problems.push({ rule: 'coords-missing', message: `${r.kind} ${r.id || '(no id)'} has no Coords` });
    else inside(`${r.kind} ${r.id}`, r.coords.points);
    for (const l of r.lines) line(l, ` in ${r.id}`);
    for (const s of r.regions) region(s);
  };
  for (const r of doc.page.regions) region(r);
  for (const [value, n] of seen) if (n > 1) problems.push({ rule: 'id-duplicate', message: `id "${value}" is used ${n} times` });

  const group = (g: OrderGroup): void => {
    for (const item of g.items) {
      if (item.kind === 'group') group(item);
      else if (!regionIds.has(item.regionRef)) problems.push({ rule: 'reading-order-ref', message: `reading order refers to "${item.regionRef}", which is not a region on this page` });
    }
  };
  if (doc.page.readingOrder) group(doc.page.readingOrder.root);
  return problems;
}
