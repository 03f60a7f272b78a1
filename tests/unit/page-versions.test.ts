import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { REPO, SCHEMAS } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';

const fixture = (name: string): string => fs.readFileSync(path.join(REPO, 'tests/fixtures/page', name), 'utf8');

describe('PAGE 2010 (Point elements)', () => {
  const src = fixture('synthetic-2010.xml');

  it('is valid against its own schema, reads points from Point elements and round-trips', async () => {
    const { doc } = readDocument(src);
    expect((await validateAgainstXsd(src, SCHEMAS, doc.format)).errors).toEqual([]);
    expect(doc.format).toMatchObject({ kind: 'page', version: '2010-03-19' });
    expect(doc.page.regions[0]!.coords!.points[1]).toEqual({ x: 390, y: 10 });
    expect(doc.page.regions[1]!.kind).toBe('FrameRegion');
    expect(lineText(allLines(doc.page.regions)[0]!)).toBe('Première ligne');
    expect(treeDiff(xmlTree(src), xmlTree(writeDocument(doc).xml))).toBeUndefined();
  });

  it('converts to PAGE 2019 with points attributes; the FrameRegion becomes an UnknownRegion, reported', async () => {
    const { doc } = readDocument(src);
    const { xml, warnings } = writeDocument(doc, 'page-2019');
    expect(xml).toContain('<Coords points="10,10 390,10 390,100 10,100"/>');
    expect(warnings.join('\n')).toMatch(/FrameRegion is not in PAGE 2019-07-15: written as UnknownRegion/);
    expect(warnings.join('\n')).toMatch(/attribute textColour on <TextRegion> is not in PAGE 2019-07-15: dropped/);
    const back = readDocument(xml).doc;
    expect((await validateAgainstXsd(xml, SCHEMAS, back.format)).errors).toEqual([]);
  });
});

describe('PAGE 2024', () => {
  const src = fixture('synthetic-2024.xml');

  it('is valid against the 2024 schema and round-trips, AscentLine and MeanLine included', async () => {
    const { doc } = readDocument(src);
    expect((await validateAgainstXsd(src, SCHEMAS, doc.format)).errors).toEqual([]);
    const out = writeDocument(doc).xml;
    expect(treeDiff(xmlTree(src), xmlTree(out))).toBeUndefined();
    expect((await validateAgainstXsd(out, SCHEMAS, doc.format)).errors).toEqual([]);
  });

  it('keeps several TextEquivs with their indices; PAGE 2013 keeps only the first-ranked one', async () => {
    const { doc } = readDocument(src);
    const line = allLines(doc.page.regions)[0]!;
    expect(line.textEquivs.map((t) => [t.index, t.conf, t.unicode])).toEqual([[1, 0.85, 'Zweite Lesung'], [0, 0.91, 'Erste Lesung']]);
    expect(lineText(line)).toBe('Erste Lesung');
    const to2013 = writeDocument(doc, 'page-2013');
    expect(to2013.warnings.join('\n')).toMatch(/1 alternative TextEquiv of a <TextLine> dropped/);
    expect(to2013.warnings.join('\n')).toMatch(/<AscentLine> inside <TextLine> is not part of PAGE 2013-07-15: dropped/);
    const back = readDocument(to2013.xml).doc;
    expect(lineText(allLines(back.page.regions)[0]!)).toBe('Erste Lesung');
    expect((await validateAgainstXsd(to2013.xml, SCHEMAS, back.format)).errors).toEqual([]);
  });
});
