/**
 * Transkribus-style text tags (offset, length) move with a line's text when it is
 * edited; a tag whose characters were all removed is dropped and reported.
 */
import { describe, expect, it } from 'vitest';
import { shiftCustomTags, textTags } from '../../electron/common/model/custom-tags.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, setLineText } from '../../electron/common/model/ops.js';

const text = 'Gross und Klein, Jung und Alt';
const tags = 'readingOrder {index:3;} abbrev {offset:6; length:3; expansion:und;} person {offset:17; length:4; firstname:Hans;} unclear {offset:26; length:3;}';
const marked = (t: string, custom: string | undefined, name: string): string => {
  const m = new RegExp(`${name} \\{offset:(\\d+); length:(\\d+);`).exec(custom ?? '');
  return m ? t.substr(Number(m[1]), Number(m[2])) : '(none)';
};

describe('text tags follow the text', () => {
  it('stay before the edit, shift after it, and keep the rest of the attribute as written', () => {
    const after = 'Gross und ganz Klein, Jung und Alt';
    const r = shiftCustomTags(tags, text, after);
    expect(r.dropped).toEqual([]);
    expect(marked(after, r.custom, 'abbrev')).toBe('und');
    expect(marked(after, r.custom, 'person')).toBe('Jung');
    expect(marked(after, r.custom, 'unclear')).toBe('Alt');
    expect(r.custom).toContain('readingOrder {index:3;}');
    expect(r.custom).toContain('expansion:und;');
    expect(r.custom).toContain('firstname:Hans;');
  });

  it('grow or shrink with an edit inside them (text typed right at a tag\'s edge stays outside it)', () => {
    for (const [after, person] of [['Gross und Klein, Juung und Alt', 'Juung'], ['Gross und Klein, Jg und Alt', 'Jg'], ['Gross und Klein, Junge und Alt', 'Jung']] as const) {
      const r = shiftCustomTags(tags, text, after);
      expect(marked(after, r.custom, 'person'), after).toBe(person);
      expect(marked(after, r.custom, 'unclear'), after).toBe('Alt');
    }
  });

  it('are dropped, and reported, when their characters are gone', () => {
    const after = 'Gross und Klein, und Alt';
    const r = shiftCustomTags(tags, text, after);
    expect(r.dropped).toEqual(['person {offset:17; length:4; firstname:Hans;}']);
    expect(r.custom).not.toContain('person');
    expect(marked(after, r.custom, 'unclear')).toBe('Alt');
  });

  it('move with an edit made in the editor (setLineText), and the file keeps them', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
<Page imageFilename="p.png" imageWidth="100" imageHeight="100"><TextRegion id="r"><Coords points="0,0 99,0 99,99 0,99"/><TextLine id="l" custom="${tags}"><Coords points="0,0 9,0 9,9 0,9"/><TextEquiv><Unicode>${text}</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>`;
    const dropped: string[] = [];
    const doc = setLineText(readDocument(xml).doc, 'l', 'Gross und Klein, Jung oder Alt', undefined, dropped);
    expect(dropped).toEqual([]);
    const back = findLine(readDocument(writeDocument(doc).xml).doc, 'l')!.line;
    expect(marked('Gross und Klein, Jung oder Alt', back.custom, 'unclear')).toBe('Alt');
  });

  it('are listed with the characters they mark and their other properties', () => {
    expect(textTags(tags, text)).toEqual([
      { name: 'abbrev', start: 6, end: 9, text: 'und', props: { expansion: 'und' } },
      { name: 'person', start: 17, end: 21, text: 'Jung', props: { firstname: 'Hans' } },
      { name: 'unclear', start: 26, end: 29, text: 'Alt', props: {} },
    ]);
    expect(textTags('readingOrder {index:0;}', text)).toEqual([]);
    expect(textTags(undefined, text)).toEqual([]);
  });
});
