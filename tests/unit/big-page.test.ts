/**
 * Big PAGE files (#17 item 8): lines read while the file is parsed (so a big file never
 * holds its tree and its model together) give exactly what the whole-tree reader gives;
 * geometry of millions of points is handled without recursion or argument spreads;
 * size limits are reported exactly. Time and memory are measured in bench/big-page-xml.mjs.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseXml } from '../../electron/common/xml/xml-parse.js';
import { readPage } from '../../electron/common/formats/page-read.js';
import { Warnings } from '../../electron/common/formats/format-error.js';
import { readDocument, writeDocument, writeDocumentTo } from '../../electron/common/formats/document-io.js';
import { checkDocument } from '../../electron/common/formats/page-checks.js';
import { checkGroundTruth } from '../../electron/common/gt/gt-checks.js';
import { simplifyPolygon } from '../../electron/common/layout/mask-contour.js';
import { bbox, boxPolygon, fmt, formatPoints, parsePoints } from '../../electron/common/model/points.js';
import { BIG_POINTS_CHARS, BigPoints } from '../../electron/common/formats/big-points.js';
import { outline } from '../helpers/big-outlines.js';
import { formatBytes, overLimit } from '../../electron/common/api/size-limit.js';
import { MAX_XML_BYTES, readXmlFile, writeFileAtomicFrom } from '../../electron/node/io/files.js';
import { corpusFiles, CORPUS, REPO } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';

const ODD_PLACES = path.join(REPO, 'tests/fixtures/big/lines-in-odd-places.page.xml');

/** The document and warnings as the whole-tree reader gives them (no read-ahead). */
function readWholeTree(text: string): { doc: unknown; warnings: string[] } {
  const w = new Warnings();
  const doc = readPage(parseXml(text), w);
  return { doc, warnings: w.list() };
}

describe('PAGE lines read while parsing', () => {
  it('takes only the lines readPage reads as lines; the others stay in the tree, and the file comes back whole', () => {
    const src = fs.readFileSync(ODD_PLACES, 'utf8');
    const read = readDocument(src);
    expect(read).toEqual(readWholeTree(src));
    const lines = read.doc.page.regions.flatMap(function all(r): string[] {
      return [...r.lines.map((l) => l.id), ...r.regions.flatMap(all)];
    });
    expect(lines.sort()).toEqual(['cell-line', 'nested-line', 'plain']);
    const out = writeDocument(read.doc).xml;
    expect(treeDiff(xmlTree(src), xmlTree(out))).toBeUndefined();
    // The lines left in the tree are written back with their content, not as empty stand-ins.
    for (const id of ['under-page', 'cell-not-in-a-table', 'in-a-foreign-element', 'in-an-image-region', 'second-page-line']) {
      expect(out).toMatch(new RegExp(`<TextLine id="${id}">\\s*<Coords points="1,1 2,1 2,2"/>`));
    }
  });

  const pages = corpusFiles('page');
  it('finds the corpus PAGE files', () => expect(pages.length).toBeGreaterThanOrEqual(16));
  for (const file of pages) {
    it(`reads ${path.relative(CORPUS, file)} as the whole-tree reader does`, () => {
      const src = fs.readFileSync(file, 'utf8');
      expect(readDocument(src)).toEqual(readWholeTree(src));
    });
  }
});

/** A PAGE file whose region outline has `n` points (a border traced pixel by pixel). */
function hugePolygonPage(n: number, baselinePoints: number): { text: string; outline: string } {
  const pts: string[] = new Array(n);
  for (let i = 0; i < n; i++) pts[i] = i < n / 2 ? `${10 + (i % 900)},${10 + Math.floor(i / 1000)}` : `${910 - (i % 900)},${2990 - Math.floor(i / 1000)}`;
  const outline = pts.join(' ');
  const line: string[] = [];
  for (let i = 0; i < baselinePoints; i++) line.push(`${100 + Math.floor((800 * i) / baselinePoints)},${1000 + (i % 3)}`);
  const baseline = line.join(' ');
  const top: string[] = [];
  for (let i = 0; i < 10_000; i++) top.push(`${100 + Math.floor((800 * i) / 10_000)},${980 + (i % 2)}`);
  const lineCoords = `${top.join(' ')} 900,1010 100,1010`;
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd">
  <Metadata>
    <Creator>tests</Creator>
    <Created>2026-01-01T00:00:00</Created>
    <LastChange>2026-01-01T00:00:00</LastChange>
  </Metadata>
  <Page imageFilename="a.png" imageWidth="1000" imageHeight="3000">
    <TextRegion id="r1">
      <Coords points="${outline}"/>
      <TextLine id="l1">
        <Coords points="${lineCoords}"/>
        <Baseline points="${baseline}"/>
        <TextEquiv>
          <Unicode>x</Unicode>
        </TextEquiv>
      </TextLine>
    </TextRegion>
  </Page>
</PcGts>
`;
  return { text, outline };
}

describe('the lossless write in pieces', () => {
  it('hands over the same text as writeDocument, in pieces, and a failed write leaves nothing', async () => {
    const { text } = hugePolygonPage(100_000, 1_000);
    const { doc } = readDocument(text);
    const pieces: string[] = [];
    const warnings = writeDocumentTo(doc, (c) => pieces.push(c), { now: '2026-01-02T00:00:00Z' });
    expect(warnings).toEqual(writeDocument(doc, undefined, { now: '2026-01-02T00:00:00Z' }).warnings);
    expect(pieces.join('')).toBe(writeDocument(doc, undefined, { now: '2026-01-02T00:00:00Z' }).xml);
    // A piece ends with the line that takes it over 64 kB: the outline (~1 MB) and the line's Coords (~80 kB) end one each.
    expect(pieces.length).toBe(3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-big-'));
    try {
      const file = path.join(dir, 'out.xml');
      await writeFileAtomicFrom(file, (write) => writeDocumentTo(doc, write));
      expect(fs.readFileSync(file, 'utf8').replace(/<LastChange>[^<]*/, '')).toBe(text.replace(/<LastChange>[^<]*/, ''));
      await expect(writeFileAtomicFrom(path.join(dir, 'broken.xml'), (write) => {
        write('<PcGts>');
        throw new Error('disk full');
      })).rejects.toThrow('disk full');
      expect(fs.readdirSync(dir)).toEqual(['out.xml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('geometry of millions of points', () => {
  it('a 2-million-point polygon parses, round-trips byte for byte, converts and is checked, without a stack overflow', () => {
    const { text, outline } = hugePolygonPage(2_000_000, 200_000);
    const read = readDocument(text);
    const region = read.doc.page.regions[0]!;
    expect(region.coords!.points).toHaveLength(2_000_000);
    expect(region.coords!.points[1_999_999]).toEqual({ x: 910 - (1_999_999 % 900), y: 2990 - 1999 });
    expect(formatPoints(region.coords!.points)).toBe(outline);
    const identity = writeDocument(read.doc).xml;
    expect(identity.replace(/<LastChange>[^<]*/, '')).toBe(text.replace(/<LastChange>[^<]*/, ''));
    // The structural checks behind validate, the ground-truth checks behind check.
    expect(checkDocument(read.doc).filter((p) => p.rule === 'point-outside')).toEqual([]);
    expect(checkGroundTruth(read.doc).map((p) => p.rule)).not.toContain('baseline-outside-line');
    // The conversion to ALTO 4 carries the outline and the 200,000-point baseline.
    const alto = writeDocument(read.doc, 'alto-4');
    expect(alto.xml).toContain(`<Polygon POINTS="${outline.slice(0, 40)}`);
  });

  it('parsePoints reads what it read before: spaces and commas, ALTO pairs, empty ends, bad numbers', () => {
    expect(parsePoints('1,2 3,4')).toEqual([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    expect(parsePoints(' 1 2 3 4 ')).toEqual([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    expect(parsePoints('1,2,3,4')).toEqual([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    expect(parsePoints('-1.5,2e1\u00a03,+4')).toEqual([{ x: -1.5, y: 20 }, { x: 3, y: 4 }]);
    expect(parsePoints(',1,2,3')).toEqual([{ x: 0, y: 1 }, { x: 2, y: 3 }]);
    expect(parsePoints('1,2,3,')).toEqual([{ x: 1, y: 2 }, { x: 3, y: 0 }]);
    expect(parsePoints('   ')).toEqual([]);
    expect(parsePoints('1,2 3')).toBeUndefined();
    expect(parsePoints('1,2 3,x')).toBeUndefined();
    expect(parsePoints('1,2 Infinity,4')).toBeUndefined();
    // PAGE's own spelling is kept (written back byte for byte); ALTO's is rewritten.
    expect(formatPoints(parsePoints('1,2  3,4')!)).toBe('1,2  3,4');
    expect(formatPoints(parsePoints('1 2 3 4')!)).toBe('1,2 3,4');
    expect(formatPoints(parsePoints('1,2,3,4')!)).toBe('1,2 3,4');
  });

  it('BigPoints stands in for a big outline only where the write would give its points back unchanged, and writes what the points would give', () => {
    const place = { version: '2019-07-15', namespace: '', depth: 3, imageSize: { width: 6000, height: 6000 } } as const;
    const page = outline(100, 100, 5900, 5900);
    const alto = outline(100, 100, 5900, 5900, 'alto');
    const fractions = outline(100, 100, 5900, 5900, 'fractions');
    const outside = outline(100, 100, 5900, 5900, 'outside');
    expect(page.length).toBeGreaterThanOrEqual(BIG_POINTS_CHARS);
    for (const target of ['2013-07-15', '2019-07-15', 'alto', undefined] as const) {
      const big = new BigPoints(target);
      // Small lists are read as points.
      expect(big.keep('1,1 5,1 5,5', place)).toBeUndefined();
      for (const text of [page, alto, fractions, outside, `  ${page.replace(/ /g, '  ')}\n`]) {
        const standIn = big.keep(text, place);
        const points = parsePoints(text)!;
        // A conversion takes only whole numbers on the image: what the schema repair would not touch.
        const untouched = text !== fractions && text !== outside;
        if (target !== undefined && !untouched) {
          expect(standIn, `${target} ${text.slice(0, 30)}`).toBeUndefined();
          continue;
        }
        expect(standIn).toEqual(boxPolygon(bbox(points)!));
        // PAGE: the text as read where parsePoints keeps its spelling, else formatPoints' own; ALTO: "x,y x,y".
        const expected = target === 'alto' ? points.map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ') : formatPoints(points);
        expect(big.text(standIn!) === expected, `${target} ${text.slice(0, 30)}`).toBe(true);
        // Only its own stand-ins: an equal list is not one.
        expect(big.text(boxPolygon(bbox(points)!))).toBeUndefined();
      }
    }
    // Unreadable, or without points enough for a polygon: read as points (then repaired or kept verbatim).
    const conversion = new BigPoints('2019-07-15');
    expect(conversion.keep(`${page} x`, place)).toBeUndefined();
    expect(conversion.keep(`1,1${' '.repeat(BIG_POINTS_CHARS)}2,2`, place)).toBeUndefined();
    expect(new BigPoints(undefined).keep(`1,1${' '.repeat(BIG_POINTS_CHARS)}2,2`, place)).toHaveLength(4);
    // Without the page's size a conversion cannot tell what its repair would do; 2010 writes <Point> elements.
    expect(conversion.keep(page, { ...place, imageSize: undefined })).toBeUndefined();
    expect(new BigPoints('2010-03-19').keep(page, place)).toBeUndefined();
    expect(new BigPoints(undefined).keep(page, { ...place, version: '2010-03-19' })).toBeUndefined();
  });

  it('simplifies a contour whose every split peels off one point, without recursion', () => {
    // A zigzag of shrinking amplitude: the point farthest from each chord is the next one,
    // so Douglas–Peucker splits 20,000 times one inside the other (a recursive one overflows).
    const n = 20_000;
    const zigzag = Array.from({ length: n }, (_, i) => ({ x: i, y: i === 0 ? 0 : (i % 2 ? -1 : 1) * (1 + (n - i) / 1000) }));
    const out = simplifyPolygon(zigzag, 0.5);
    expect(out.length).toBeGreaterThan(n * 0.9);
    expect(out[0]).toEqual(zigzag[0]);
  });
});

describe('size limits are reported exactly', () => {
  it('formats sizes in decimal units, never rounding a size over a limit onto the limit', () => {
    expect(overLimit(209_715_200, 200_000_000)).toBe('209.7 MB, above the 200 MB limit');
    expect(overLimit(200_000_001, 200_000_000)).toBe('200 MB (200,000,001 bytes), above the 200 MB limit');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(131_072_000)).toBe('131.1 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
  });

  it('a page file over the limit is refused with its exact size before it is read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-big-'));
    try {
      const file = path.join(dir, 'huge.xml');
      // Sparse: no disk is used, and nothing is read.
      fs.closeSync(fs.openSync(file, 'w'));
      fs.truncateSync(file, MAX_XML_BYTES + 9_700_000);
      await expect(readXmlFile(file)).rejects.toThrow(`${file} is 259.7 MB, above the 250 MB limit`);
      fs.truncateSync(file, MAX_XML_BYTES + 1);
      await expect(readXmlFile(file)).rejects.toThrow(`${file} is 250 MB (250,000,001 bytes), above the 250 MB limit`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the parser names its character limit exactly', () => {
    expect(() => parseXml('<abc/>', { maxChars: 5, maxDepth: 10 })).toThrow('file too large: 6 characters, above the limit of 5');
  });
});
