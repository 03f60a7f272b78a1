/**
 * Find and replace across a project's pages (electron/node/project/project-search.ts):
 * every saved page searched from an index that follows file changes, the open page
 * left to the editor, a replace written as saves with the person in the lines'
 * history, and one undo that puts every page back where nobody saved it since.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { lineVersions } from '../../electron/common/model/provenance.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { mapAllLines } from '../../electron/common/model/ops.js';
import { linesInReadingOrder } from '../../renderer/src/editor/reading.js';
import { tempRoot, timeusProject, TIMEUS_XML } from '../helpers/timeus-project.js';

const XML = TIMEUS_XML;
const plain = { regex: false, caseSensitive: false, ignoreDiacritics: false };
const root = tempRoot('htr-search-');

/** Pages a, b, c: the real page (48 lines, "Jonquet" on several) under three names. */
const project = (): string => timeusProject(root(), ['a', 'b', 'c']);
const read = (dir: string, s: string) => readDocument(fs.readFileSync(path.join(dir, 'page', `${s}.xml`), 'utf8')).doc;
const count = (text: string, word: RegExp) => (text.match(word) ?? []).length;

describe('find and replace across pages', () => {
  it('finds in every saved page but the open one, with context, and follows a page changed on disk', async () => {
    const dir = project();
    const s = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const perPage = allLines(read(dir, 'a').page.regions).reduce((n, l) => n + count(lineText(l), /jonquet/gi), 0);
    expect(perPage).toBeGreaterThan(2);
    const r = await s.findInProject('Jonquet', plain, null, 'a.jpg');
    expect(r.total).toBe(2 * perPage);
    expect(r.pages).toBe(2);
    expect(new Set(r.hits.map((h) => h.pageId))).toEqual(new Set(['b.jpg', 'c.jpg']));
    const h = r.hits[0]!;
    expect(h.lineText.slice(h.start, h.end).toLowerCase()).toBe('jonquet');
    // Only some pages; a regular expression; a bad one says why.
    expect((await s.findInProject('Jonquet', plain, ['c.jpg'], null)).total).toBe(perPage);
    expect((await s.findInProject('J[o0]nqu\\w+', { ...plain, regex: true }, null, null)).total).toBe(3 * perPage);
    expect(await dispatch(s, 'findInProject', ['(', { ...plain, regex: true }, null, null])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // Another program changes page c: the index sees it.
    fs.writeFileSync(path.join(dir, 'page', 'c.xml'), XML.replace(/imageFilename="[^"]*"/, 'imageFilename="c.jpg"').replace(/Jonquet/g, 'Dupont'));
    expect((await s.findInProject('Jonquet', plain, null, 'a.jpg')).total).toBe(perPage);
    expect((await s.findInProject('Dupont', plain, null, 'a.jpg')).pages).toBe(1);
  });

  it('replaces on every other page as saves with the person in the history, and one undo puts them back', async () => {
    const dir = project();
    const s = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const before = { b: fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8'), c: fs.readFileSync(path.join(dir, 'page', 'c.xml'), 'utf8') };
    const r = await s.replaceInProject('Jonquet', 'JONQUET', plain, null, 'a.jpg', 'Marie');
    expect(r.pages).toEqual(['b.jpg', 'c.jpg']);
    expect(r.replaced).toBeGreaterThan(4);
    for (const p of ['b', 'c']) {
      const lines = allLines(read(dir, p).page.regions);
      expect(lines.some((l) => /Jonquet/.test(lineText(l)))).toBe(false);
      const changed = lines.find((l) => lineText(l).includes('JONQUET'))!;
      expect(lineVersions(changed).at(-1)).toMatchObject({ by: { kind: 'person', name: 'Marie' } });
    }
    // The open page was left to the editor; the pages written are in progress now.
    expect(fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8')).toContain('Jonquet');
    expect(Object.fromEntries((await s.listPages()).map((p) => [p.id, p.status]))).toEqual({ 'a.jpg': 'new', 'b.jpg': 'in-progress', 'c.jpg': 'in-progress' });
    expect((await s.findInProject('Jonquet', { ...plain, caseSensitive: true }, null, 'a.jpg')).total).toBe(0);
    // Page c saved by someone meanwhile: the undo leaves it, and restores b byte for byte.
    const o = await s.openPage('c.jpg');
    await s.savePage('c.jpg', o.xml.replace('</PcGts>', '<!-- edited --></PcGts>'), o.revision);
    expect(await s.undoProjectReplace(r.batchId)).toEqual({ restored: ['b.jpg'], changedSince: ['c.jpg'] });
    expect(fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8')).toBe(before.b);
    expect(fs.readFileSync(path.join(dir, 'page', 'c.xml'), 'utf8')).not.toBe(before.c);
    // An undo is done once.
    expect(await s.undoProjectReplace(r.batchId)).toEqual({ restored: [], changedSince: [] });
  });
});

describe('review across pages (F8 past the last uncertain line of the open page)', () => {
  /** The page with a model's confidence on the text of the lines whose index in reading order is listed. */
  const withConfidence = (confs: Record<number, number>) => (): ReturnType<typeof readDocument>['doc'] => {
    const doc = readDocument(XML).doc;
    const order = linesInReadingOrder(doc).map((l) => l.line.id);
    const conf = new Map(Object.entries(confs).map(([i, c]) => [order[Number(i)]!, c]));
    return mapAllLines(doc, (l) => (conf.has(l.id) ? { ...l, textEquivs: [{ ...l.textEquivs[0]!, conf: conf.get(l.id)! }] } : l));
  };

  it('goes to the first uncertain line, in reading order, of the next page that has one, and back', async () => {
    const pages: Record<string, Record<number, number>> = { a: { 2: 0.4 }, b: {}, c: { 30: 0.95, 5: 0.5, 12: 0.3 }, d: { 7: 0.6 } };
    const dir = timeusProject(root(), Object.keys(pages), (stem) => withConfidence(pages[stem]!)());
    const s = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const order = linesInReadingOrder(readDocument(XML).doc).map((l) => l.line.id);
    // From a: b has no machine text, c's first line under 80% in reading order is its 6th (index 5), not the 13th nor the sure one.
    expect(await s.nextUncertainLine('a.jpg', 0.8, 1)).toEqual({ pageId: 'c.jpg', lineId: order[5] });
    expect(await s.nextUncertainLine('c.jpg', 0.8, 1)).toEqual({ pageId: 'd.jpg', lineId: order[7] });
    // Past the last page it wraps round to the first; backwards it takes a page's last uncertain line.
    expect(await s.nextUncertainLine('d.jpg', 0.8, 1)).toEqual({ pageId: 'a.jpg', lineId: order[2] });
    expect(await s.nextUncertainLine('d.jpg', 0.8, -1)).toEqual({ pageId: 'c.jpg', lineId: order[12] });
    // A lower threshold: only c's 30% line is uncertain; from c itself no other page has one.
    expect(await s.nextUncertainLine('a.jpg', 0.35, 1)).toEqual({ pageId: 'c.jpg', lineId: order[12] });
    expect(await s.nextUncertainLine('c.jpg', 0.35, 1)).toBeNull();
    // Over the service's own validation too.
    expect(await dispatch(s, 'nextUncertainLine', ['a.jpg', 0.8, 2])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
