/**
 * Documents with several pages. Only ALTO holds more than one page per file; the
 * model keeps the first as `page` (what the editor and single-page code use) and the
 * rest as `morePages`. PAGE-XML holds one page, so a PAGE write takes them one by one.
 */
import type { Page, PageDocument } from '../model/types.js';

/** Every page of a document, in file order. */
export function allPages(doc: PageDocument): readonly Page[] {
  return doc.morePages?.length ? [doc.page, ...doc.morePages] : [doc.page];
}

export function pageCount(doc: PageDocument): number {
  return 1 + (doc.morePages?.length ?? 0);
}

/**
 * One single-page document per page, sharing the file's metadata and root residue.
 * A single-page document is returned as it is.
 */
export function splitPages(doc: PageDocument): PageDocument[] {
  if (!doc.morePages?.length) return [doc];
  const { morePages: _rest, ...one } = doc;
  return allPages(doc).map((page) => ({ ...one, page }));
}

/** The document holding `pages` (the first as `page`, the rest as `morePages`). */
export function withPages(doc: PageDocument, pages: readonly Page[]): PageDocument {
  const { morePages: _rest, ...one } = doc;
  const [first, ...rest] = pages;
  return { ...one, page: first ?? doc.page, ...(rest.length && { morePages: rest }) };
}
