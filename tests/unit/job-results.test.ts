/**
 * #17 item 9: one place merges a job's result into a document (job-results.ts), for
 * the engine and the editor alike: text and confidence with their history; geometry
 * edited while the job ran stays; a layout result replaces regions and reading order.
 */
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { mergeLayout, mergeReadings } from '../../electron/common/model/job-results.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { lineVersions } from '../../electron/common/model/provenance.js';

const page = (lines: string, extra = ''): string => `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="400" imageHeight="300">${extra}
    <TextRegion id="r1"><Coords points="0,0 400,0 400,200 0,200"/>${lines}</TextRegion>
  </Page>
</PcGts>`;
const line = (id: string, y: number, text: string): string =>
  `<TextLine id="${id}"><Coords points="0,${y} 400,${y} 400,${y + 40} 0,${y + 40}"/><TextEquiv conf="0.9"><Unicode>${text}</Unicode></TextEquiv></TextLine>`;

describe('mergeReadings', () => {
  const now = readDocument(page(line('l1', 0, 'old one') + line('l2', 100, 'old two'))).doc;
  // The result was read from the page before l1 was moved: its geometry must not come back.
  const result = readDocument(page(line('l1', 50, 'new one') + line('l2', 150, 'new two'))).doc;

  it('takes text and confidence, keeps the geometry as it is now, records the reader', () => {
    const out = mergeReadings(now, result, { fallback: { kind: 'model', model: 'm' }, at: '2026-01-02T00:00:00Z' });
    const lines = allLines(out.page.regions);
    expect(lines.map(lineText)).toEqual(['new one', 'new two']);
    expect(lines[0]!.coords).toBe(allLines(now.page.regions)[0]!.coords);
    expect(lineVersions(lines[0]!).at(-1)).toMatchObject({ text: 'new one', by: { kind: 'model', model: 'm' } });
  });

  it('takes only the lines asked for', () => {
    const out = mergeReadings(now, result, { lineIds: new Set(['l2']), fallback: { kind: 'unknown' }, at: '2026-01-02T00:00:00Z' });
    expect(allLines(out.page.regions).map(lineText)).toEqual(['old one', 'new two']);
  });
});

describe('mergeLayout', () => {
  it('replaces regions and reading order, keeps the rest of the page', () => {
    const now = readDocument(page(line('l1', 0, 'a'), '<ReadingOrder><OrderedGroup id="ro"><RegionRefIndexed index="0" regionRef="r1"/></OrderedGroup></ReadingOrder>')).doc;
    const found = readDocument(page(line('n1', 10, ''))).doc;
    const out = mergeLayout(now, found);
    expect(out.page.regions).toBe(found.page.regions);
    expect(out.page.readingOrder).toBeUndefined();
    expect(out.page.imageFilename).toBe('p.png');
    expect(out.metadata).toBe(now.metadata);
  });
});
