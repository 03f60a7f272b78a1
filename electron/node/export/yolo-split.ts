/**
 * Train/validation split of `export --format yolo`. Pages of one document (one
 * hand, one layout) must not sit on both sides, or validation measures memory of
 * that document; so the default unit is the document, and a page split is opt-in.
 * The split is a pure function of the page list and the seed: the same inputs give
 * the same split on every machine and in every order.
 */
import path from 'node:path';

export type SplitBy = 'document' | 'page';

export interface SplitPage {
  /** Output name (unique). */
  readonly name: string;
  /** The PAGE/ALTO file as given. */
  readonly xml: string;
  readonly document: string;
}

/**
 * The document a page file belongs to: its folder plus its file stem without the
 * trailing page number ("…/TestamentsDePoilus_will_AN_0155-0" → "…/TestamentsDePoilus_will_AN_0155",
 * "cremma/H318/10r" → "cremma/H318/", "PH 1858-535" → "PH 1858"). Exports keep a
 * document in a folder or number its pages at the end of the name; where neither
 * holds, pages merge into fewer documents, which errs on the side of no leak.
 */
export function documentKey(xmlFile: string): string {
  const dir = path.dirname(path.resolve(xmlFile));
  const stem = path.basename(xmlFile).replace(/(\.chocomufin)?\.[^.]+$/, '');
  // Only the last number: "AN_0155-0" keeps "AN_0155", the will.
  const base = stem.replace(/[\s._,-]*(?:p|pp|f|fol|folio|page|img)?[\s._-]*\d+[rv]?$/i, '');
  return `${dir}${path.sep}${base}`;
}

/** FNV-1a, 32 bits: a stable, seedable order that does not depend on input order. */
function hash(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Names of the validation pages: whole units (documents or pages) in seeded-hash
 * order until `fraction` of the pages is reached. A unit that would overshoot the
 * target by half is passed over (a 32-page register must not become the whole
 * validation set), unless nothing smaller was found; never every unit, so a
 * training set remains.
 */
export function splitPages(pages: readonly SplitPage[], fraction: number, by: SplitBy, seed = 0): Set<string> {
  const val = new Set<string>();
  if (fraction <= 0 || pages.length < 2) return val;
  const units = new Map<string, SplitPage[]>();
  for (const p of pages) {
    const key = by === 'document' ? p.document : p.name;
    units.set(key, [...(units.get(key) ?? []), p]);
  }
  if (units.size < 2) return val;
  const order = [...units.keys()].sort((a, b) => hash(a, seed) - hash(b, seed) || (a < b ? -1 : 1));
  const want = fraction * pages.length;
  const chosen: string[] = [];
  let taken = 0;
  for (const key of order) {
    if (taken >= want || chosen.length === order.length - 1) break;
    const n = units.get(key)!.length;
    if (taken + n > Math.max(1.5 * want, 1)) continue;
    chosen.push(key);
    taken += n;
  }
  // Every unit too large: the smallest one, so that validation is never silently empty.
  if (!chosen.length) chosen.push([...order].sort((a, b) => units.get(a)!.length - units.get(b)!.length)[0]!);
  for (const key of chosen) for (const p of units.get(key)!) val.add(p.name);
  return val;
}

/**
 * Pages named in a --val-list file (one entry a line, '#' comments): an entry
 * matches a page by output name, XML stem or XML path (as given or resolved).
 * Returns the chosen names and the entries that matched nothing, to report.
 */
export function pagesFromList(pages: readonly SplitPage[], listText: string): { val: Set<string>; unmatched: string[] } {
  const val = new Set<string>();
  const unmatched: string[] = [];
  const entries = listText.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  for (const e of entries) {
    const resolved = path.resolve(e);
    const hits = pages.filter((p) => {
      const stem = path.basename(p.xml).replace(/\.[^.]+$/, '');
      return p.name === e || stem === e || p.xml === e || path.resolve(p.xml) === resolved;
    });
    if (!hits.length) unmatched.push(e);
    for (const h of hits) val.add(h.name);
  }
  return { val, unmatched };
}
