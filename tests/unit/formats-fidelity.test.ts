/**
 * Issue #17, formats fidelity on real-world files: multi-page ALTO keeps every page,
 * ALTO glyphs map onto PAGE glyphs and back, and an identity write gives back
 * missing and unreadable attributes as they were. Fixtures: tests/fixtures/formats.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  pageCount, readDocument, splitPages, writeDocument, writeDocumentPages,
} from '../../electron/common/formats/document-io.js';
import { lineText, allLines } from '../../electron/common/model/stats.js';
import type { PageDocument, Word } from '../../electron/common/model/types.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { REPO, SCHEMAS } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';
import { runMain } from '../helpers/cli-in-process.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/formats');
const MULTI = path.join(FIXTURES, 'alto-multipage.xml');
const GLYPHS = path.join(FIXTURES, 'alto-glyphs.xml');
const ABSENT = path.join(FIXTURES, 'page-absent-attrs.xml');
const NOW = '2026-01-01T00:00:00Z';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-fidelity-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = runMain;

function read(file: string): PageDocument {
  return readDocument(fs.readFileSync(file, 'utf8')).doc;
}

async function schemaErrors(xml: string): Promise<string[]> {
  return (await validateAgainstXsd(xml, SCHEMAS, readDocument(xml).doc.format)).errors;
}

const texts = (doc: PageDocument): string[] => allLines(doc.page.regions).map(lineText);

describe('multi-page ALTO (#17)', () => {
  it('reads every page, without a warning', () => {
    const { doc, warnings } = readDocument(fs.readFileSync(MULTI, 'utf8'));
    expect(warnings).toEqual([]);
    expect(pageCount(doc)).toBe(3);
    expect(doc.morePages).toHaveLength(2);
    expect(splitPages(doc).map(texts)).toEqual([['Item one', 'second'], ['Page two'], ['three']]);
    expect(doc.morePages![1]!.imageWidth).toBe(900);
    // A single-page file stays as it was: no morePages.
    expect(read(GLYPHS).morePages).toBeUndefined();
  });

  it('ALTO → ALTO without --to gives back the file byte for byte', async () => {
    const out = path.join(tmp, 'multi-same.xml');
    const r = await run('convert', MULTI, '-o', out);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(MULTI, 'utf8'));
  });

  it('ALTO → --to alto-4 keeps every page, valid against the ALTO 4.4 schema', async () => {
    const out = path.join(tmp, 'multi-alto4.xml');
    const r = await run('convert', MULTI, '-o', out, '--to', 'alto-4');
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).not.toMatch(/page/i);
    const xml = fs.readFileSync(out, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    const back = readDocument(xml).doc;
    expect(splitPages(back).map(texts)).toEqual([['Item one', 'second'], ['Page two'], ['three']]);
    expect([...xml.matchAll(/<Page ID="([^"]+)" PHYSICAL_IMG_NR="(\d+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual(['p1:1', 'p2:2', 'p3:3']);
    expect(xml).toContain('<Glyph ID="p1_g1"');
  });

  it('ALTO → PAGE writes one valid file per page into the folder -o names, and says so', async () => {
    const dir = path.join(tmp, 'pages');
    const r = await run('convert', MULTI, '-o', dir, '--to', 'page-2019');
    expect(r.code).toBe(0);
    const names = ['alto-multipage_0001.xml', 'alto-multipage_0002.xml', 'alto-multipage_0003.xml'];
    expect(fs.readdirSync(dir).sort()).toEqual(names);
    const notes = r.err.filter((l) => !l.startsWith('warning: '));
    expect(notes).toEqual([expect.stringMatching(/^wrote 3 PAGE files, one per page of .*alto-multipage\.xml: .*_0001\.xml … .*_0003\.xml$/)]);
    const docs = [];
    for (const n of names) {
      const xml = fs.readFileSync(path.join(dir, n), 'utf8');
      expect(await schemaErrors(xml)).toEqual([]);
      docs.push(readDocument(xml).doc);
    }
    expect(docs.map(texts)).toEqual([['Item one', 'second'], ['Page two'], ['three']]);
    expect(docs.map((d) => [d.page.imageFilename, d.page.imageWidth, d.page.imageHeight])).toEqual([
      ['register.tif', 1000, 1400], ['register.tif', 1000, 1400], ['register.tif', 900, 1300],
    ]);
    expect(docs[1]!.page.regions.map((g) => g.kind)).toEqual(['TextRegion', 'ImageRegion']);
    expect(docs[0]!.page.regions[0]!.custom).toMatch(/MainZone/);
  });

  it('ALTO → PAGE 2013 with -o NAME.xml writes NAME_0001.xml … beside it', async () => {
    const r = await run('convert', MULTI, '-o', path.join(tmp, 'book', 'vol.xml'), '--to', 'page-2013');
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(tmp, 'book')).sort()).toEqual(['vol_0001.xml', 'vol_0002.xml', 'vol_0003.xml']);
    for (const n of ['vol_0001.xml', 'vol_0003.xml']) {
      const xml = fs.readFileSync(path.join(tmp, 'book', n), 'utf8');
      expect(readDocument(xml).doc.format.version).toBe('2013-07-15');
      expect(await schemaErrors(xml)).toEqual([]);
    }
  });

  it('a single-page ALTO still converts to the one file -o names', async () => {
    const out = path.join(tmp, 'single.xml');
    const r = await run('convert', GLYPHS, '-o', out, '--to', 'page-2019');
    expect(r.code).toBe(0);
    expect(r.err.every((l) => l.startsWith('warning: '))).toBe(true);
    expect(fs.existsSync(out)).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'single_0001.xml'))).toBe(false);
  });

  it('info counts every page and says how many there are', async () => {
    const j = await run('info', MULTI, '--json');
    expect(j.code).toBe(0);
    const s = JSON.parse(j.out.join('\n'));
    expect(s).toMatchObject({ pages: 3, regions: 4, lines: 4, linesWithText: 4, words: 6, glyphs: 1, textCoverage: 1 });
    expect(s.regionKinds).toEqual({ TextRegion: 3, ImageRegion: 1 });
    const t = await run('info', MULTI);
    expect(t.out.join('\n')).toMatch(/^ {2}pages {8}3 /m);
    expect(t.out.join('\n')).toMatch(/^ {2}lines {8}4 /m);
    // One page: no pages line (the output is as before), pages 1 in JSON.
    const one = await run('info', GLYPHS);
    expect(one.out.join('\n')).not.toMatch(/pages/);
  });

  it('validate checks every page, against the ALTO schema too', async () => {
    const ok = await run('validate', MULTI, '--schemas', SCHEMAS);
    expect(ok.out[0]).toMatch(/^OK\t.*alto-multipage\.xml\tALTO 4\.4$/);
    const bad = path.join(tmp, 'multi-bad.xml');
    fs.writeFileSync(bad, fs.readFileSync(MULTI, 'utf8').replace('ID="p3_l1"', 'ID="3bad"'));
    const r = await run('validate', bad);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^INVALID\t.*first: page 3: TextLine ID "3bad" is not a valid xs:ID/);
  });

  it('the API: a PAGE write of a multi-page document says what it leaves out; writeDocumentPages writes them all', () => {
    const doc = read(MULTI);
    const w = writeDocument(doc, 'page-2019', { now: NOW });
    expect(w.warnings.join('\n')).toMatch(/2 page\(s\) after the first are not written/);
    expect(texts(readDocument(w.xml).doc)).toEqual(['Item one', 'second']);
    expect(writeDocumentPages(doc, 'page-2019', { now: NOW }).xmls).toHaveLength(3);
    expect(writeDocumentPages(doc, 'alto-4', { now: NOW }).xmls).toHaveLength(1);
    expect(writeDocumentPages(read(GLYPHS), 'page-2013', { now: NOW }).xmls).toHaveLength(1);
  });

  it('an edit of the first page (what the editor shows) is saved with the other pages', () => {
    const doc = read(MULTI);
    const region = doc.page.regions[0]!;
    const line = region.lines[1]!;
    const edited: PageDocument = {
      ...doc,
      page: { ...doc.page, regions: [{ ...region, lines: [region.lines[0]!, { ...line, textEquivs: [{ unicode: 'zweite' }], words: [] }] }] },
    };
    const xml = writeDocument(edited).xml;
    const back = readDocument(xml).doc;
    expect(splitPages(back).map(texts)).toEqual([['Item one', 'zweite'], ['Page two'], ['three']]);
    // Pages not touched come back as they were.
    const src = fs.readFileSync(MULTI, 'utf8');
    const pageOf = (x: string, id: string): string => x.slice(x.indexOf(`<Page ID="${id}"`), x.indexOf('</Page>', x.indexOf(`<Page ID="${id}"`)));
    expect(pageOf(xml, 'p2')).toBe(pageOf(src, 'p2'));
    expect(pageOf(xml, 'p3')).toBe(pageOf(src, 'p3'));
  });

  it('the project service refuses a save that would lose pages of a multi-page ALTO, and takes one that keeps them', async () => {
    const project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    const file = path.join(project, 'register.xml');
    fs.copyFileSync(MULTI, file);
    const service = new LocalProjectService(project, { cacheDir: path.join(tmp, 'cache') });
    const [page] = await service.listPages();
    const opened = await service.openPage(page!.id);
    const doc = readDocument(opened.xml).doc;
    expect(pageCount(doc)).toBe(3);
    const firstOnly = writeDocument(splitPages(doc)[0]!).xml;
    await expect(service.savePage(page!.id, firstOnly, opened.revision)).rejects.toMatchObject({
      code: 'bad-request', message: expect.stringMatching(/ALTO file of 3 pages and this save holds 1; saving would lose pages/),
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(MULTI, 'utf8'));
    const saved = await service.savePage(page!.id, writeDocument(doc).xml, opened.revision);
    expect(saved.xmlPath).toBe('register.xml');
    expect(pageCount(read(file))).toBe(3);
  });
});

describe('ALTO glyphs (#17)', () => {
  const glyphsOf = (doc: PageDocument): Word[] => allLines(doc.page.regions).flatMap((l) => l.words);

  it('are read as glyphs: CONTENT/GC the first TextEquiv, Variants ranked after it, the box or Shape as Coords', () => {
    const { doc, warnings } = readDocument(fs.readFileSync(GLYPHS, 'utf8'));
    expect(warnings).toEqual([]);
    const [w1, w2] = glyphsOf(doc);
    expect(w1!.glyphs.map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
    expect(w1!.glyphs[0]!.textEquivs).toEqual([{ unicode: 'a', conf: 0.99 }]);
    expect(w1!.glyphs[0]!.coords!.points).toEqual([{ x: 10, y: 10 }, { x: 40, y: 10 }, { x: 40, y: 70 }, { x: 10, y: 70 }]);
    expect(w1!.glyphs[2]!.textEquivs.map((t) => [t.unicode, t.index, t.conf])).toEqual([['m', 1, 0.5], ['rn', 2, 0.45], ['in', 3, undefined]]);
    expect(w2!.glyphs[0]!.coords!.points).toEqual([{ x: 120, y: 12 }, { x: 140, y: 10 }, { x: 141, y: 70 }, { x: 121, y: 69 }]);
    expect(w2!.glyphs[1]!.id).toBe('');
  });

  it('an identity write keeps the same tree', async () => {
    const out = path.join(tmp, 'glyphs-same.xml');
    expect((await run('convert', GLYPHS, '-o', out)).code).toBe(0);
    expect(treeDiff(xmlTree(fs.readFileSync(GLYPHS, 'utf8')), xmlTree(fs.readFileSync(out, 'utf8')))).toBeUndefined();
  });

  it('ALTO → PAGE 2019 writes them as PAGE glyphs, valid, with no false warning', async () => {
    const out = path.join(tmp, 'glyphs-page.xml');
    const r = await run('convert', GLYPHS, '-o', out, '--to', 'page-2019');
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).not.toMatch(/Glyph[^\n]*not part of PAGE/);
    const xml = fs.readFileSync(out, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<Glyph id="g2">\s*<Coords points="40,10 60,10 60,70 40,70"\/>\s*<TextEquiv index="1" conf="0.9">\s*<Unicode>r<\/Unicode>\s*<\/TextEquiv>\s*<TextEquiv index="2" conf="0.3">\s*<Unicode>n<\/Unicode>/);
    const words = glyphsOf(readDocument(xml).doc);
    expect(words.map((w) => w.glyphs.map((g) => g.textEquivs[0]!.unicode).join(''))).toEqual(['arm', 'of']);
  });

  it('PAGE → ALTO writes them back: CONTENT, GC, Shape, Variants with VC, valid ALTO 4.4', async () => {
    const pageXml = path.join(tmp, 'glyphs-page2.xml');
    await run('convert', GLYPHS, '-o', pageXml, '--to', 'page-2019');
    const out = path.join(tmp, 'glyphs-back.xml');
    const r = await run('convert', pageXml, '-o', out, '--to', 'alto-4');
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).not.toMatch(/Glyph/);
    const xml = fs.readFileSync(out, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<Glyph ID="g3" HPOS="60" VPOS="10" WIDTH="40" HEIGHT="60" CONTENT="m" GC="0.5">\s*<Variant CONTENT="rn" VC="0.45"\/>\s*<Variant CONTENT="in"\/>\s*<\/Glyph>/);
    expect(xml).toMatch(/<Glyph ID="g4"[^>]*CONTENT="o">\s*<Shape>\s*<Polygon POINTS="120,12 140,10 141,70 121,69"\/>/);
    const a = glyphsOf(read(GLYPHS)).flatMap((w) => w.glyphs.map((g) => g.textEquivs.map((t) => [t.unicode, t.conf])));
    const b = glyphsOf(readDocument(xml).doc).flatMap((w) => w.glyphs.map((g) => g.textEquivs.map((t) => [t.unicode, t.conf])));
    expect(b).toEqual(a);
  });

  it('a glyph ALTO cannot hold (not one character) is dropped with a warning, the file stays valid', async () => {
    const doc = read(GLYPHS);
    const region = doc.page.regions[0]!;
    const line = region.lines[0]!;
    const w1 = line.words[0]!;
    const g1 = w1.glyphs[0]!;
    const edited: PageDocument = {
      ...doc,
      page: { ...doc.page, regions: [{ ...region, lines: [{ ...line, words: [{ ...w1, glyphs: [{ ...g1, textEquivs: [{ unicode: 'ab' }] }, ...w1.glyphs.slice(1)] }, ...line.words.slice(1)] }] }] },
    };
    const w = writeDocument(edited, 'alto-4', { now: NOW });
    expect(w.warnings.join('\n')).toMatch(/Glyph with text "ab" \(ALTO wants exactly one character\): dropped/);
    expect(await schemaErrors(w.xml)).toEqual([]);
    expect(w.xml).not.toContain('ID="g1"');
  });

  it('info counts words and glyphs of ALTO and of the PAGE it converts to alike', async () => {
    const a = JSON.parse((await run('info', GLYPHS, '--json')).out.join('\n'));
    expect(a).toMatchObject({ pages: 1, words: 2, glyphs: 5, lines: 1 });
    const pageXml = path.join(tmp, 'glyphs-page3.xml');
    await run('convert', GLYPHS, '-o', pageXml, '--to', 'page-2019');
    const p = JSON.parse((await run('info', pageXml, '--json')).out.join('\n'));
    expect(p).toMatchObject({ pages: 1, words: 2, glyphs: 5, lines: 1 });
  });
});

describe('identity writes keep missing and unreadable attributes as they were (#17)', () => {
  it('a missing imageFilename or points stays missing, unreadable points come back verbatim', async () => {
    const src = fs.readFileSync(ABSENT, 'utf8');
    const { doc, warnings } = readDocument(src);
    expect(warnings.join('\n')).toMatch(/unreadable points "1,2 x,y" on <Coords> \(line 19\): kept as they are/);
    const out = path.join(tmp, 'absent-same.xml');
    expect((await run('convert', ABSENT, '-o', out)).code).toBe(0);
    const xml = fs.readFileSync(out, 'utf8');
    const noDate = (s: string): string => s.replace(/<LastChange>[^<]*<\/LastChange>/, '');
    expect(noDate(xml)).toBe(noDate(src));
    expect(xml).toContain('<Page imageWidth="500" imageHeight="400">');
    expect(xml).toContain('<Coords/>');
    expect(xml).toContain('<Coords points="1,2 x,y"/>');
    expect(xml).toContain('<Baseline points="20,50 x,y 300,50"/>');
    expect(writeDocument(doc, undefined, { now: NOW }).xml).not.toMatch(/imageFilename|points=""/);
  });

  it('points replaced by an edit are written, the unreadable text is gone', () => {
    const doc = read(ABSENT);
    const region = doc.page.regions[0]!;
    const [l1, l2] = region.lines;
    const points = [{ x: 10, y: 100 }, { x: 390, y: 100 }, { x: 390, y: 140 }, { x: 10, y: 140 }];
    const edited: PageDocument = {
      ...doc,
      page: { ...doc.page, imageFilename: 'scan.jpg', regions: [{ ...region, lines: [l1!, { ...l2!, coords: { ...l2!.coords!, points } }] }] },
    };
    const xml = writeDocument(edited, undefined, { now: NOW }).xml;
    expect(xml).toContain('<Page imageFilename="scan.jpg" imageWidth="500" imageHeight="400">');
    expect(xml).toContain('<Coords points="10,100 390,100 390,140 10,140"/>');
    expect(xml).not.toContain('1,2 x,y');
    expect(xml).toContain('<Coords/>');
  });

  it('a conversion repairs or drops them with warnings, and is valid', async () => {
    const out = path.join(tmp, 'absent-2019.xml');
    const r = await run('convert', ABSENT, '-o', out, '--to', 'page-2019');
    expect(r.code).toBe(0);
    const xml = fs.readFileSync(out, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).not.toContain('x,y');
    expect(r.err.join('\n')).toMatch(/TextLine without Coords[^\n]*dropped/);
    const alto = path.join(tmp, 'absent-alto.xml');
    expect((await run('convert', ABSENT, '-o', alto, '--to', 'alto-4')).code).toBe(0);
    expect(await schemaErrors(fs.readFileSync(alto, 'utf8'))).toEqual([]);
  });
});
