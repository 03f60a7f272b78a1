/**
 * Languages of a page (identify.ts) at its three levels — each line alone, each
 * text region and the page (their lines in reading order) — and the page with them
 * written as PAGE `primaryLanguage` / `secondaryLanguage` where the confidence passes
 * the threshold; nothing is written where it does not (those are flagged instead).
 */
import type { PageDocument, Region, Residue, TextLine } from '../model/types.js';
import { allLines, lineText } from '../model/stats.js';
import { findRegion, mapAllLines, regionsInReadingOrder } from '../model/ops.js';
import { combine, identify, LANGUAGE_NAMES, type TextLanguages } from './identify.js';

export interface PageLanguages {
  readonly page: TextLanguages;
  /** Text regions with text, by id. */
  readonly regions: ReadonlyMap<string, TextLanguages>;
  /** Lines whose language passes the threshold, by id. */
  readonly lines: ReadonlyMap<string, string>;
  /** The page's lines in reading order (what `page.flagged` indexes). */
  readonly order: readonly TextLine[];
}

function linesInOrder(doc: PageDocument): TextLine[] {
  const seen = new Set<string>();
  const out: TextLine[] = [];
  for (const id of regionsInReadingOrder(doc)) {
    for (const l of findRegion(doc, id)?.lines ?? []) {
      if (seen.has(l.id)) continue;
      seen.add(l.id);
      out.push(l);
    }
  }
  for (const l of allLines(doc.page.regions)) if (!seen.has(l.id)) out.push(l);
  return out;
}

function textRegions(rs: readonly Region[], out: Region[] = []): Region[] {
  for (const r of rs) {
    if (r.lines.length) out.push(r);
    textRegions(r.regions, out);
  }
  return out;
}

export function pageLanguages(doc: PageDocument, threshold = 0.8): PageLanguages {
  const order = linesInOrder(doc);
  const regions = new Map(textRegions(doc.page.regions).map((r) => [r.id, combine(r.lines.map(lineText), threshold)] as const));
  const lines = new Map<string, string>();
  for (const l of order) {
    const g = identify(lineText(l));
    if (g && g.conf >= threshold) lines.set(l.id, g.lang);
  }
  return { page: combine(order.map(lineText), threshold), regions, lines, order };
}

/** PAGE versions whose Page, TextRegion and TextLine all take these attributes. */
export function canWriteLanguages(doc: PageDocument): boolean {
  return doc.format.kind === 'page' && doc.format.version >= '2016-07-15';
}

function setAttrs<T extends { readonly x?: Residue }>(el: T, attrs: Record<string, string | undefined>): T {
  const kept = Object.fromEntries(Object.entries(el.x?.attrs ?? {}).filter(([k]) => !(k in attrs)));
  const set = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return { ...el, x: { ...(el.x ?? { format: 'page' as const }), attrs: { ...kept, ...set } } };
}

const name = (lang: string | undefined): string | undefined => (lang ? LANGUAGE_NAMES[lang]?.page : undefined);

/**
 * The page with its languages as PAGE attributes: the page's and each text region's
 * primary and secondary language, each line's primary; attributes of languages not
 * reported are removed, so an earlier guess never stays behind.
 */
export function withLanguages(doc: PageDocument, found: PageLanguages): PageDocument {
  const pageL = found.page.languages;
  const regionsDone = (rs: readonly Region[]): Region[] =>
    rs.map((r) => {
      const f = found.regions.get(r.id);
      const own = f ? setAttrs(r, { primaryLanguage: name(f.languages[0]?.lang), secondaryLanguage: name(f.languages[1]?.lang) }) : r;
      return { ...own, regions: regionsDone(r.regions) };
    });
  const withRegions: PageDocument = {
    ...doc,
    page: { ...setAttrs(doc.page, { primaryLanguage: name(pageL[0]?.lang), secondaryLanguage: name(pageL[1]?.lang) }), regions: regionsDone(doc.page.regions) },
  };
  return mapAllLines(withRegions, (l) => setAttrs(l, { primaryLanguage: name(found.lines.get(l.id)) }));
}

export interface LanguagesReport {
  readonly threshold: number;
  /** All the pages' lines together, in page order. */
  readonly document: TextLanguages;
  readonly pages: readonly { readonly pageId: string; readonly name: string; readonly languages: TextLanguages['languages']; readonly doubtful: TextLanguages['doubtful']; readonly flagged: number; readonly lines: number }[];
}

/** The languages of a set of pages and of all of them together (the editor's report, as `htr-studio languages`). */
export function languagesReport(pages: readonly { readonly id: string; readonly name: string; readonly doc: PageDocument }[], threshold = 0.8): LanguagesReport {
  const all: string[] = [];
  const out = pages.map((p) => {
    const found = pageLanguages(p.doc, threshold);
    const texts = found.order.map(lineText);
    all.push(...texts);
    return { pageId: p.id, name: p.name, languages: found.page.languages, doubtful: found.page.doubtful, flagged: found.page.flagged.length, lines: texts.filter((t) => t.trim()).length };
  });
  return { threshold, document: combine(all, threshold), pages: out };
}
