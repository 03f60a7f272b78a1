import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseXml } from '../../electron/common/xml/xml-parse.js';
import { readAlto } from '../../electron/common/formats/alto-read.js';
import { writeAlto } from '../../electron/common/formats/alto-write.js';
import { FormatError, Warnings } from '../../electron/common/formats/format-error.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import type { PageDocument, Region, TextLine } from '../../electron/common/model/types.js';
import { corpusFiles, CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';

const altos = corpusFiles('alto');
const pages = corpusFiles('page');
const NOW = '2026-01-01T00:00:00Z';

/** xmldom refuses a byte-order mark before the declaration; it is no part of the tree. */
function source(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

function alto(xml: string, w = new Warnings()): PageDocument {
  return readAlto(parseXml(xml), w);
}

function keepWrite(doc: PageDocument, w = new Warnings()): string {
  if (doc.format.kind !== 'alto') throw new Error('not ALTO');
  return writeAlto(doc, { version: doc.format.version, conform: false }, w);
}

function convert(doc: PageDocument, w = new Warnings()): string {
  return writeAlto(doc, { version: '4.4', conform: true, now: NOW }, w);
}

/** Offline XSD validation with Debian's xmllint: '' when valid, else its complaints. */
function xmllint(xml: string, xsd = 'alto-4-4.xsd'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-alto-'));
  const file = path.join(dir, 'out.xml');
  fs.writeFileSync(file, xml);
  try {
    execFileSync('/usr/bin/xmllint', ['--nonet', '--noout', '--schema', path.join(SCHEMAS, 'alto', xsd), file], {
      env: { ...process.env, XML_CATALOG_FILES: path.join(SCHEMAS, 'catalog.xml') },
      stdio: 'pipe',
    });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines in writing order: a region's own lines, then those of its nested regions. */
function linesOf(regions: readonly Region[]): TextLine[] {
  return regions.flatMap((r) => [...r.lines, ...linesOf(r.regions)]);
}

/** The text that counts: PAGE's first-ranked TextEquiv (lowest index: LAREX keeps ground truth at 0), else the words'. */
function lineText(l: TextLine): string {
  const best = [...l.textEquivs].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0];
  return best?.unicode ?? l.words.map((w) => w.textEquivs[0]?.unicode ?? '').join(' ');
}

function allRegions(regions: readonly Region[]): Region[] {
  return regions.flatMap((r) => [r, ...allRegions(r.regions)]);
}

const rel = (f: string): string => path.relative(CORPUS, f);

describe('ALTO lossless round-trip on the real corpus', () => {
  it('finds the 12 corpus ALTO files', () => {
    expect(altos.length).toBe(12);
  });

  for (const file of altos) {
    it(`keeps the whole tree of ${rel(file)}`, () => {
      const src = source(file);
      const w = new Warnings();
      const out = keepWrite(alto(src, w), w);
      expect(treeDiff(xmlTree(src), xmlTree(out))).toBeUndefined();
      // The source's own spellings come back, e.g. kraken's HPOS="808.0".
      if (src.includes('HPOS="808.0"')) expect(out).toContain('HPOS="808.0"');
    });
  }

  it('writes an ALTO document through writeDocument without a target the same way', () => {
    const file = altos.find((f) => f.includes('0014.xml'))!;
    const src = source(file);
    const { xml } = writeDocument(readDocument(src).doc);
    expect(treeDiff(xmlTree(src), xmlTree(xml))).toBeUndefined();
  });

  it('is not a copy: edits to the model show in the output, and only there', () => {
    const file = altos.find((f) => f.includes('TestamentsDePoilus_will_AN_0155'))!;
    const src = source(file);
    const doc = alto(src);
    const region = doc.page.regions[0]!;
    const line = region.lines[0]!;
    const moved = line.coords!.points.map((p) => ({ x: p.x + 10, y: p.y }));
    const edited: TextLine = {
      ...line,
      textEquivs: [{ unicode: 'Paris, le 8 août 1914.' }],
      coords: { points: moved },
      baseline: { points: [{ x: 300, y: 240 }, { x: 1100, y: 200 }] },
      custom: 'structure {type:HeadingLine;subtype:title;}',
    };
    const next: PageDocument = {
      ...doc,
      page: { ...doc.page, regions: [{ ...region, lines: [edited, ...region.lines.slice(1)] }, ...doc.page.regions.slice(1)] },
    };
    const out = keepWrite(next);
    const back = alto(out);
    const l = back.page.regions[0]!.lines[0]!;
    expect(lineText(l)).toBe('Paris, le 8 août 1914.');
    expect(l.words).toHaveLength(1);
    expect(l.coords!.points).toEqual(moved);
    // The source writes baselines "x y x y": a recomputed one follows it.
    expect(out).toContain('BASELINE="300 240 1100 200"');
    expect(l.baseline!.points).toEqual([{ x: 300, y: 240 }, { x: 1100, y: 200 }]);
    // An existing line tag with that label is reused, not duplicated.
    expect(l.custom).toBe('structure {type:HeadingLine;subtype:title;}');
    expect(out).toMatch(/<TextLine ID="line_3"[^>]*TAGREFS="LT1384"/);
    expect(out.match(/LABEL="HeadingLine:title"/g)).toHaveLength(2);
    // The rest of the page is untouched.
    const rest = (d: PageDocument): string => JSON.stringify(linesOf(d.page.regions).slice(1).map((x) => [x.id, lineText(x), x.coords?.points]));
    expect(rest(back)).toBe(rest(doc));
  });

  it('adds an OtherTag for a new structure type and keeps the file valid', () => {
    const file = altos.find((f) => f.includes('TestamentsDePoilus_will_AN_0155'))!;
    const doc = alto(source(file));
    const region = doc.page.regions[0]!;
    const next: PageDocument = {
      ...doc,
      page: { ...doc.page, regions: [{ ...region, custom: 'structure {type:QuireMarksZone;}' }, ...doc.page.regions.slice(1)] },
    };
    const out = keepWrite(next);
    const tag = /<OtherTag ID="([^"]+)" LABEL="QuireMarksZone"/.exec(out);
    expect(tag).not.toBeNull();
    expect(out).toMatch(new RegExp(`<TextBlock ID="block_0"[^>]*TAGREFS="${tag![1]}"`));
    expect(alto(out).page.regions[0]!.custom).toBe('structure {type:QuireMarksZone;}');
    expect(xmllint(out, 'alto-4-2.xsd')).toBe('');
  });
});

describe('edits written back into the source version', () => {
  const shift = <T extends { points: readonly { x: number; y: number }[] }>(s: T | undefined): T | undefined =>
    s && { ...s, points: s.points.map((p) => ({ x: p.x + 5, y: p.y + 3 })) };

  for (const file of altos) {
    it(`keep ${rel(file)} valid against its own schema`, () => {
      const src = source(file);
      const doc = alto(src);
      if (doc.format.kind !== 'alto') throw new Error('not ALTO');
      const xsd = `alto-${doc.format.version.replace('.', '-')}.xsd`;
      const sourceValid = xmllint(src, xsd) === '';
      // What ops.translate, setLineText and setRegionType do to the records: the first line moves,
      // the second gets new text, the first line's block a new SegmOnto type.
      const all = linesOf(doc.page.regions);
      const [l0, l1] = all as [TextLine, TextLine];
      const moved: TextLine = { ...l0, coords: shift(l0.coords), baseline: shift(l0.baseline), words: l0.words.map((w) => ({ ...w, coords: shift(w.coords) })) };
      const i = doc.page.regions.findIndex((r) => r.lines.includes(l0));
      const edit = (r: Region): Region => ({
        ...r,
        lines: r.lines.map((l) => (l === l0 ? moved : l === l1 ? { ...l1, textEquivs: [{ unicode: 'edited' }] } : l)),
        regions: r.regions.map(edit),
      });
      const next: PageDocument = {
        ...doc,
        page: { ...doc.page, regions: doc.page.regions.map((r, j) => (j === i ? { ...edit(r), custom: 'structure {type:MarginTextZone;}' } : edit(r))) },
      };
      const out = keepWrite(next);
      if (sourceValid) expect(xmllint(out, xsd)).toBe('');
      const back = alto(out);
      // ALTO 2.0 knows no tags.
      expect(back.page.regions[i]!.custom).toBe(doc.format.version === '2.0' ? undefined : 'structure {type:MarginTextZone;}');
      const [b0, b1] = linesOf(back.page.regions) as [TextLine, TextLine];
      expect(b0.coords?.points).toEqual(moved.coords?.points);
      expect(b0.words.map((w) => w.coords?.points)).toEqual(moved.words.map((w) => w.coords?.points));
      expect(lineText(b0)).toBe(lineText(l0));
      expect(lineText(b1)).toBe('edited');
      if (doc.format.version >= '4.2' && l0.baseline) expect(b0.baseline!.points).toEqual(moved.baseline!.points);
      // Moved words keep their spaces (without positions that no longer hold); the rewritten line loses its own.
      const spaces = (xml: string): number => (xml.match(/<SP\b/g) ?? []).length;
      const ownSpaces = (l1.x?.nodes ?? []).filter((n) => n.node.type === 'element' && n.node.local === 'SP').length;
      expect(spaces(out)).toBe(spaces(src) - ownSpaces);
    });
  }
});

describe('ALTO onto the model', () => {
  it('maps blocks, lines, strings, text and confidences', () => {
    const doc = alto(source(altos.find((f) => f.endsWith('test.alto2.xml'))!));
    expect(doc.format).toMatchObject({ kind: 'alto', version: '2.0' });
    expect(doc.page).toMatchObject({ imageWidth: 1720, imageHeight: 2500 });
    const kinds = allRegions(doc.page.regions).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'ImageRegion')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'GraphicRegion')).toHaveLength(3);
    const composed = doc.page.regions.find((r) => r.id === 'Page1_Block2')!;
    expect(composed.kind).toBe('TextRegion');
    expect(composed.regions.map((r) => r.id)).toEqual(['Page1_Block3', 'Page1_Block4', 'Page1_Block5', 'Page1_Block6']);
    const first = linesOf(doc.page.regions)[1]!;
    expect(lineText(first)).toBe('die Zugtiere eines Joches (griechisch zygos), so nennt man die Zporen');
    expect(first.words[0]!.textEquivs[0]).toEqual({ unicode: 'die', conf: 0.6899999976 });
    // Without a Shape the box is the outline: HPOS=363 VPOS=271 WIDTH=46 HEIGHT=33.
    expect(first.words[0]!.coords!.points).toEqual([{ x: 363, y: 271 }, { x: 409, y: 271 }, { x: 409, y: 304 }, { x: 363, y: 304 }]);
    // A hyphenated line ends with its HYP's CONTENT.
    expect(linesOf(doc.page.regions).some((l) => lineText(l).endsWith('übersicht\u00AD'))).toBe(true);
    // Shape/Polygon wins over the box when there is one.
    expect(composed.coords!.points[0]).toEqual({ x: 348, y: 262 });
  });

  it('reads the image name, the source namespace and the processing software', () => {
    const doc = alto(source(altos.find((f) => f.includes('0014.xml'))!));
    expect(doc.page.imageFilename).toBe('0014.jpg');
    expect(doc.format).toMatchObject({ version: '4.2', namespace: 'http://www.loc.gov/standards/alto/ns-v4#' });
    expect(doc.page.printSpace!.coords!.points).toHaveLength(4);
    const abbyy = alto(source(altos.find((f) => f.endsWith('test.alto2.xml'))!));
    expect(abbyy.metadata.creator).toBe('ABBYY FineReader Engine 11');
  });

  it('reads ALTO 4 baselines in both notations', () => {
    const withBaseline = (b: string): string => `<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p" PHYSICAL_IMG_NR="1" WIDTH="500" HEIGHT="400"><PrintSpace>
      <TextBlock ID="b"><TextLine ID="l" HPOS="10" VPOS="20" WIDTH="100" HEIGHT="30" BASELINE="${b}"><String CONTENT="x"/></TextLine></TextBlock>
      </PrintSpace></Page></Layout></alto>`;
    const pts = [{ x: 10, y: 45 }, { x: 60, y: 47 }, { x: 110, y: 44 }];
    expect(alto(withBaseline('10,45 60,47 110,44')).page.regions[0]!.lines[0]!.baseline!.points).toEqual(pts);
    expect(alto(withBaseline('10 45 60 47 110 44')).page.regions[0]!.lines[0]!.baseline!.points).toEqual(pts);
  });

  it('turns an ALTO 2 float BASELINE into a 2-point baseline across the line, and back verbatim', () => {
    const xml = `<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#"><Layout><Page ID="p" PHYSICAL_IMG_NR="1" WIDTH="500" HEIGHT="400"><PrintSpace>
      <TextBlock ID="b" HPOS="10" VPOS="20" WIDTH="100" HEIGHT="30"><TextLine HPOS="10" VPOS="20" WIDTH="100" HEIGHT="30" BASELINE="45.5"><String CONTENT="x" HPOS="10" VPOS="20" WIDTH="100" HEIGHT="30"/></TextLine></TextBlock>
      </PrintSpace></Page></Layout></alto>`;
    const doc = alto(xml);
    const line = doc.page.regions[0]!.lines[0]!;
    expect(line.baseline!.points).toEqual([{ x: 10, y: 45.5 }, { x: 110, y: 45.5 }]);
    expect(keepWrite(doc)).toContain('BASELINE="45.5"');
    const out = convert(doc);
    expect(out).toContain('BASELINE="10,45.5 110,45.5"');
    expect(xmllint(out)).toBe('');
  });

  it('maps SegmOnto labels to PAGE custom structure types', () => {
    const doc = alto(source(altos.find((f) => f.includes('TestamentsDePoilus_will_AN_0155'))!));
    const main = doc.page.regions.find((r) => r.id === 'block_0')!;
    expect(main.custom).toBe('structure {type:MainZone;}');
    expect(main.lines.find((l) => l.id === 'line_3')!.custom).toBe('structure {type:DefaultLine;}');
    const numbering = doc.page.regions.find((r) => r.custom === 'structure {type:NumberingZone;}');
    expect(numbering).toBeDefined();
    const sub = alto(`<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Tags><OtherTag ID="T1" LABEL="HeadingLine:title#2"/>
      <OtherTag ID="L1" LABEL="fra" TYPE="language"/></Tags><Layout><Page ID="p" PHYSICAL_IMG_NR="1" WIDTH="50" HEIGHT="40"><PrintSpace>
      <TextBlock ID="b"><TextLine ID="l" TAGREFS="L1 T1"><String CONTENT="x"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>`);
    expect(sub.page.regions[0]!.lines[0]!.custom).toBe('structure {type:HeadingLine;subtype:title;number:2;}');
  });

  it('keeps IDs absent when the source has none, and invents none when writing it back', () => {
    const xml = `<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout><Page PHYSICAL_IMG_NR="1" WIDTH="50" HEIGHT="40"><PrintSpace>
      <TextBlock HPOS="1" VPOS="1" WIDTH="20" HEIGHT="10"><TextLine HPOS="1" VPOS="1" WIDTH="20" HEIGHT="10"><String CONTENT="a"/><SP/><String CONTENT="b"/></TextLine></TextBlock>
      </PrintSpace></Page></Layout></alto>`;
    const doc = alto(xml);
    expect(doc.page.regions[0]!.id).toBe('');
    expect(doc.page.regions[0]!.lines[0]!.id).toBe('');
    expect(lineText(doc.page.regions[0]!.lines[0]!)).toBe('a b');
    const out = keepWrite(doc);
    expect(out).not.toMatch(/\bID=/);
    expect(treeDiff(xmlTree(xml), xmlTree(out))).toBeUndefined();
    // A conforming write gives every block the ID the schema requires.
    const conf = convert(doc);
    expect(conf).toMatch(/<TextBlock ID="block_1"/);
    expect(xmllint(conf)).toBe('');
  });

  it('refuses a page without a size with a clear error, and takes it from the PrintSpace when it can', () => {
    const bare = `<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p" PHYSICAL_IMG_NR="1"/></Layout></alto>`;
    expect(() => alto(bare)).toThrow(FormatError);
    expect(() => alto(bare)).toThrow(/no valid WIDTH\/HEIGHT.*image size is required/);
    const w = new Warnings();
    const doc = alto(`<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p" PHYSICAL_IMG_NR="1">
      <PrintSpace HPOS="0" VPOS="0" WIDTH="640" HEIGHT="480"/></Page></Layout></alto>`, w);
    expect(doc.page).toMatchObject({ imageWidth: 640, imageHeight: 480 });
    expect(w.list().join('\n')).toMatch(/size is taken from its PrintSpace/);
    expect(keepWrite(doc)).not.toMatch(/<Page [^>]*WIDTH/);
  });

  it('keeps coordinates in another MeasurementUnit as they are, with a warning', () => {
    const w = new Warnings();
    const doc = alto(`<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#"><Description><MeasurementUnit>mm10</MeasurementUnit></Description>
      <Layout><Page ID="p" PHYSICAL_IMG_NR="1" WIDTH="2100" HEIGHT="2970"><PrintSpace><TextBlock ID="b" HPOS="100" VPOS="200" WIDTH="300" HEIGHT="50"/></PrintSpace></Page></Layout></alto>`, w);
    expect(w.list().join('\n')).toMatch(/MeasurementUnit "mm10".*not converted/);
    expect(doc.page.regions[0]!.coords!.points[0]).toEqual({ x: 100, y: 200 });
    const out = convert(doc);
    expect(out).toContain('<MeasurementUnit>mm10</MeasurementUnit>');
    expect(xmllint(out)).toBe('');
  });

  it('refuses what is not ALTO', () => {
    expect(() => alto('<alto xmlns="urn:other"><Layout/></alto>')).toThrow(/not an ALTO file/);
    expect(() => alto('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Description/></alto>')).toThrow(/without <Layout><Page>/);
  });
});

describe('conforming ALTO 4.4', () => {
  it('the validator refuses an invalid file (so the checks below can fail)', () => {
    const bsb = altos.find((f) => f.includes('bsb00084914'))!;
    expect(xmllint(source(bsb))).toMatch(/LABEL' is required/);
  });

  for (const file of [...altos, ...pages]) {
    it(`is valid, and keeps every line's text, polygon and baseline: ${rel(file)}`, () => {
      const { doc } = readDocument(fs.readFileSync(file, 'utf8'));
      // The product path: the repair pass, then the writer.
      const { xml, warnings } = writeDocument(doc, 'alto-4', { now: NOW });
      expect(xmllint(xml)).toBe('');
      expect(warnings.join('\n')).not.toMatch(/undefined/);
      // The writer alone, on the document as read: valid too, and nothing of a line is lost.
      const direct = convert(doc);
      expect(xmllint(direct)).toBe('');
      const before = linesOf(doc.page.regions);
      const after = linesOf(alto(direct).page.regions);
      expect(after).toHaveLength(before.length);
      before.forEach((l, i) => {
        const a = after[i]!;
        // IDs stay, unless they are not valid xs:ID (Transkribus UUIDs starting with a digit).
        if (/^[A-Za-z_][\w.-]*$/.test(l.id)) expect(a.id).toBe(l.id);
        expect(lineText(a)).toBe(lineText(l));
        expect(a.coords?.points).toEqual(l.coords?.points);
        expect(a.baseline?.points).toEqual(l.baseline?.points);
      });
    });
  }

  it('maps SegmOnto types to OtherTag labels both ways (ALTO and PAGE sources)', () => {
    const testaments = alto(source(altos.find((f) => f.includes('TestamentsDePoilus_will_AN_0155'))!));
    const out = convert(testaments);
    const tags = new Map([...out.matchAll(/<OtherTag ID="([^"]+)" LABEL="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const block = /<TextBlock ID="block_0"[^>]*TAGREFS="([^"]+)"/.exec(out)![1]!;
    expect(tags.get(block)).toBe('MainZone');
    const line = /<TextLine ID="line_3"[^>]*TAGREFS="([^"]+)"/.exec(out)![1]!;
    expect(tags.get(line)).toBe('DefaultLine');
    const back = alto(out);
    expect(allRegions(back.page.regions).map((r) => r.custom)).toEqual(allRegions(testaments.page.regions).map((r) => r.custom));
    expect(linesOf(back.page.regions).map((l) => l.custom)).toEqual(linesOf(testaments.page.regions).map((l) => l.custom));

    const rasam = readDocument(fs.readFileSync(pages.find((f) => f.includes('BULAC_MS_ARA_1926_0031'))!, 'utf8')).doc;
    const fromPage = writeDocument(rasam, 'alto-4', { now: NOW }).xml;
    expect(fromPage).toMatch(/<OtherTag ID="BT1" LABEL="MainZone" DESCRIPTION="block type MainZone"\/>/);
    expect(fromPage).toMatch(/<TextBlock ID="r_b-B01S1"[^>]*TAGREFS="BT1"/);
    expect(alto(fromPage).page.regions.find((r) => r.id === 'r_b-B01S1')!.custom).toBe('structure {type:MainZone;}');
  });

  it('writes a line whose text no longer matches its words as one String with the whole text', () => {
    const doc = alto(source(altos.find((f) => f.endsWith('test.alto3.xml'))!));
    const region = doc.page.regions[0]!;
    const line = region.lines[0]!;
    const next: PageDocument = {
      ...doc,
      page: { ...doc.page, regions: [{ ...region, lines: [{ ...line, textEquivs: [{ unicode: 'über die vielen Sorgen' }] }] }, ...doc.page.regions.slice(1)] },
    };
    const w = new Warnings();
    const out = convert(next, w);
    expect(w.list().join('\n')).toMatch(/line text differs from its words/);
    const back = alto(out).page.regions[0]!.lines[0]!;
    expect(back.words.map((x) => x.textEquivs[0]!.unicode)).toEqual(['über die vielen Sorgen']);
    expect(xmllint(out)).toBe('');
  });

  it('makes duplicate and invalid IDs valid, with warnings, and keeps references pointing right', () => {
    const doc = readDocument(`<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>t</Creator><Created>2020-01-01T00:00:00</Created><LastChange>2020-01-01T00:00:00</LastChange></Metadata>
      <Page imageFilename="a.png" imageWidth="100" imageHeight="100">
      <ReadingOrder><OrderedGroup id="ro"><RegionRefIndexed index="0" regionRef="1r"/><RegionRefIndexed index="1" regionRef="dup"/></OrderedGroup></ReadingOrder>
      <TextRegion id="1r"><Coords points="1,1 50,1 50,20 1,20"/><TextLine id="dup"><Coords points="2,2 40,2 40,10 2,10"/><TextEquiv><Unicode>one</Unicode></TextEquiv></TextLine></TextRegion>
      <TextRegion id="dup"><Coords points="1,30 50,30 50,60 1,60"/><TextLine id="dup"><Coords points="2,32 40,32 40,40 2,40"/><TextEquiv><Unicode>two</Unicode></TextEquiv></TextLine></TextRegion>
      </Page></PcGts>`).doc;
    const w = new Warnings();
    const out = convert(doc, w);
    expect(xmllint(out)).toBe('');
    const ids = [...out.matchAll(/\bID="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(w.list().join('\n')).toMatch(/not a valid xs:ID/);
    expect(w.list().join('\n')).toMatch(/duplicate ID "dup"/);
    // The reading order names the regions by their output IDs, in index order.
    const refs = [...out.matchAll(/<ElementRef ID="[^"]+" REF="([^"]+)"/g)].map((m) => m[1]!);
    const blocks = [...out.matchAll(/<TextBlock ID="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(blocks);
  });

  it('drops PAGE-only details with one warning per kind', () => {
    const file = pages.find((f) => f.endsWith('test.page2018.xml'))!;
    const { warnings } = writeDocument(readDocument(fs.readFileSync(file, 'utf8')).doc, 'alto-4', { now: NOW });
    const text = warnings.join('\n');
    expect(text).toMatch(/TextStyle of a Word has no ALTO equivalent: dropped \(\d+×\)/);
    // Glyphs have a place in ALTO 4 (issue #17): no longer dropped.
    expect(text).not.toMatch(/Glyphs? .*dropped/);
    expect(warnings.filter((m) => m.startsWith('TextStyle of a Word'))).toHaveLength(1);
  });

  it('carries the processing history and names HTR Studio with the write time', () => {
    const out = convert(alto(source(altos.find((f) => f.endsWith('test.alto2.xml'))!)));
    expect(out).toMatch(/<OCRProcessing ID="IdOcr">[\s\S]*<softwareName>ABBYY FineReader Engine<\/softwareName>/);
    expect(out).toMatch(/<Processing ID="[^"]+">\s*<processingCategory>other<\/processingCategory>\s*<processingDateTime>2026-01-01T00:00:00Z<\/processingDateTime>/);
    expect(out).toContain('<softwareName>HTR Studio</softwareName>');
    // Styles and references to them survive the conversion from ALTO 2.
    expect(out).toMatch(/<TextStyle ID="font1" FONTFAMILY="Times New Roman" FONTSIZE="11"\/>/);
    expect(out).toMatch(/<TextBlock ID="Page1_Block1"[^>]*STYLEREFS="font1"/);
  });
});

describe('ALTO details a real export may carry', () => {
  const rich = `<?xml version="1.0" encoding="UTF-8"?>
<!-- made by hand -->
<a:alto xmlns:a="http://www.loc.gov/standards/alto/ns-v4#" xmlns:xlink="http://www.w3.org/1999/xlink" SCHEMAVERSION="4.4">
  <a:Description>
    <a:MeasurementUnit>pixel</a:MeasurementUnit>
    <a:sourceImageInformation><a:fileName>x.png</a:fileName><a:fileIdentifier>abc</a:fileIdentifier></a:sourceImageInformation>
    <a:Processing ID="P1"><a:processingDateTime>2020-02-02</a:processingDateTime><a:processingSoftware><a:softwareName>kraken</a:softwareName></a:processingSoftware></a:Processing>
  </a:Description>
  <a:Styles><a:TextStyle ID="S1" FONTSIZE="9"/></a:Styles>
  <a:Layout>
    <a:Page ID="p1" PHYSICAL_IMG_NR="1" WIDTH="400" HEIGHT="300">
      <a:PrintSpace>
        <a:TextBlock ID="b1" HPOS="10" VPOS="10" WIDTH="200" HEIGHT="50" STYLEREFS="S1" xlink:href="http://example.org/" IDNEXT="b2">
          <!-- inside a block -->
          <a:TextLine ID="l1" HPOS="10" VPOS="10" WIDTH="200" HEIGHT="20" BASELINE="10,28 210,28">
            <a:Shape><a:Ellipse HPOS="110" VPOS="20" HLENGTH="100" VLENGTH="10"/></a:Shape>
            <a:String ID="s1" CONTENT="Hello" HPOS="10" VPOS="10" WIDTH="80" HEIGHT="20" WC="0.90">
              <a:ALTERNATIVE PURPOSE="ocr">Hallo</a:ALTERNATIVE>
              <a:Glyph ID="g1" CONTENT="H" GC="0.5"/>
            </a:String>
            <a:SP WIDTH="10"/>
            <a:String CONTENT="wor" HPOS="100" VPOS="10" WIDTH="60" HEIGHT="20" SUBS_TYPE="HypPart1" SUBS_CONTENT="world"/>
            <a:HYP CONTENT="-"/>
          </a:TextLine>
        </a:TextBlock>
        <a:Illustration ID="b2" HPOS="10" VPOS="100" WIDTH="50" HEIGHT="50" TYPE="photo"/>
      </a:PrintSpace>
    </a:Page>
    <a:Page ID="p2" PHYSICAL_IMG_NR="2"/>
  </a:Layout>
</a:alto>`;

  it('reads them, and a same-version write gives them all back', () => {
    const w = new Warnings();
    const doc = alto(rich, w);
    expect(doc.format.version).toBe('4.4');
    // Every page is read (issue #17); the second, without a size, takes the first one's.
    expect(doc.morePages).toHaveLength(1);
    expect(w.list().join('\n')).toMatch(/given the size of the page before it/);
    const line = doc.page.regions[0]!.lines[0]!;
    expect(lineText(line)).toBe('Hello wor-');
    // An ellipse is no polygon: the box stands in, and the ellipse goes back as it was.
    expect(line.coords!.points).toEqual([{ x: 10, y: 10 }, { x: 210, y: 10 }, { x: 210, y: 30 }, { x: 10, y: 30 }]);
    const out = keepWrite(doc);
    expect(treeDiff(xmlTree(rich), xmlTree(out))).toBeUndefined();
    expect(out).toContain('<!-- inside a block -->');
  });

  it('converts what ALTO 4.4 accepts and reports the rest', () => {
    const w = new Warnings();
    const out = convert(alto(rich), w);
    expect(xmllint(out)).toBe('');
    expect(out).toMatch(/<TextBlock ID="b1"[^>]*STYLEREFS="S1"[^>]*IDNEXT="b2"/);
    expect(out).toContain('<ALTERNATIVE PURPOSE="ocr">Hallo</ALTERNATIVE>');
    expect(out).toContain('<HYP CONTENT="-"/>');
    expect(out).toContain('<SP WIDTH="10"/>');
    expect(out).toMatch(/<Illustration ID="b2"[^>]*TYPE="photo"/);
    expect(out).toContain('<processingDateTime>2020-02-02</processingDateTime>');
    expect(out).toMatch(/<fileName>x.png<\/fileName>\s*<fileIdentifier>abc<\/fileIdentifier>/);
    // Glyphs and every page are carried (issue #17).
    expect(out).toContain('<Glyph ID="g1" CONTENT="H" GC="0.5"/>');
    expect(out).toMatch(/<Page ID="p2" PHYSICAL_IMG_NR="2" WIDTH="400" HEIGHT="300"/);
    expect(out).not.toContain('xlink');
    const text = w.list().join('\n');
    expect(text).not.toMatch(/Glyph/);
    expect(text).toMatch(/attribute xlink:href on <TextBlock> is not valid/);
    expect(text).not.toMatch(/after the first/);
    expect(lineText(alto(out).page.regions[0]!.lines[0]!)).toBe('Hello wor-');
  });

  it('reads a namespace-less (ALTO 1.x style) file as ALTO 2.0 and writes it back as it was', () => {
    const xml = `<alto><Layout><Page ID="p" WIDTH="100" HEIGHT="80"><PrintSpace><TextBlock ID="b"><TextLine ID="l"><String CONTENT="a"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>`;
    const w = new Warnings();
    const doc = alto(xml, w);
    expect(doc.format).toMatchObject({ version: '2.0', namespace: '' });
    expect(w.list().join('\n')).toMatch(/read as ALTO 2.0/);
    expect(treeDiff(xmlTree(xml), xmlTree(keepWrite(doc)))).toBeUndefined();
    expect(xmllint(convert(doc))).toBe('');
  });
});
