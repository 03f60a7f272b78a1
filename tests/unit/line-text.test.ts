/**
 * One rule for a line's text: the TextEquiv with the lowest index (PAGE's reading to
 * use), its PlainText where it has no Unicode, else the words. The editor shows and
 * edits that one, export and eval read it.
 */
import { describe, expect, it } from 'vitest';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, setLineText } from '../../electron/common/model/ops.js';
import { lineText } from '../../electron/common/model/stats.js';

const page = (line: string) =>
  readDocument(`<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="100" imageHeight="100">
    <TextRegion id="r"><Coords points="0,0 99,0 99,99 0,99"/>${line}</TextRegion>
  </Page>
</PcGts>`).doc;

describe("a line's text", () => {
  it('is the TextEquiv with the lowest index, wherever it stands; editing changes that one only', () => {
    const doc = page('<TextLine id="l"><Coords points="0,0 9,0 9,9 0,9"/><TextEquiv index="2" conf="0.4"><Unicode>second reading</Unicode></TextEquiv><TextEquiv index="1" conf="0.9"><Unicode>first reading</Unicode></TextEquiv></TextLine>');
    const line = findLine(doc, 'l')!.line;
    expect(lineText(line)).toBe('first reading');
    const edited = findLine(setLineText(doc, 'l', 'corrected'), 'l')!.line;
    expect(lineText(edited)).toBe('corrected');
    expect(edited.textEquivs.map((t) => [t.index, t.unicode, t.conf])).toEqual([[2, 'second reading', 0.4], [1, 'corrected', undefined]]);
  });

  it('is the PlainText where a TextEquiv has no Unicode text, and editing gives it one', () => {
    const doc = page('<TextLine id="l"><Coords points="0,0 9,0 9,9 0,9"/><TextEquiv><PlainText>only plain</PlainText><Unicode></Unicode></TextEquiv></TextLine>');
    expect(lineText(findLine(doc, 'l')!.line)).toBe('only plain');
    const xml = writeDocument(setLineText(doc, 'l', 'typed')).xml;
    expect(lineText(findLine(readDocument(xml).doc, 'l')!.line)).toBe('typed');
  });

  it('is the words joined when the line has no TextEquiv of its own', () => {
    const doc = page('<TextLine id="l"><Coords points="0,0 9,0 9,9 0,9"/><Word id="w1"><Coords points="0,0 4,0 4,9 0,9"/><TextEquiv><Unicode>two</Unicode></TextEquiv></Word><Word id="w2"><Coords points="5,0 9,0 9,9 5,9"/><TextEquiv><Unicode>words</Unicode></TextEquiv></Word></TextLine>');
    expect(lineText(findLine(doc, 'l')!.line)).toBe('two words');
  });

  it("keeps a region's own text (its lines joined, as Transkribus writes it) in step with its lines", () => {
    const doc = readDocument(`<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="100" imageHeight="100">
    <TextRegion id="r"><Coords points="0,0 99,0 99,99 0,99"/>
      <TextLine id="a"><Coords points="0,0 9,0 9,9 0,9"/><TextEquiv><Unicode>first line</Unicode></TextEquiv></TextLine>
      <TextLine id="b"><Coords points="0,10 9,10 9,19 0,19"/><TextEquiv><Unicode>second line</Unicode></TextEquiv></TextLine>
      <TextEquiv><Unicode>first line
second line</Unicode></TextEquiv>
    </TextRegion>
  </Page>
</PcGts>`).doc;
    const edited = setLineText(doc, 'b', 'second, corrected');
    const back = readDocument(writeDocument(edited).xml).doc;
    expect(back.page.regions[0]!.textEquivs[0]!.unicode).toBe('first line\nsecond, corrected');
  });
});
