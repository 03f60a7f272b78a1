/** Find and replace in line texts: plain, case- and accent-insensitive, regular expressions with groups. */
import { describe, expect, it } from 'vitest';
import type { TextLine } from '../../electron/common/model/types.js';
import { findInLines, replaceHits, type FindOptions } from '../../electron/common/transcription/find.js';

const line = (id: string, unicode: string): TextLine => ({ kind: 'TextLine', id, words: [], labels: [], alternativeImages: [], textEquivs: [{ unicode }] });
const lines = [line('a', 'Le Préfet de la Seine'), line('b', 'le prefet, LE PRÉFET'), line('c', 'rien ici')];
const plain: FindOptions = { regex: false, caseSensitive: false, ignoreDiacritics: false };

describe('find', () => {
  it('finds plain text, case-insensitive unless asked', () => {
    const hits = findInLines(lines, 'préfet', plain) as { lineId: string; text: string }[];
    expect(hits.map((h) => [h.lineId, h.text])).toEqual([['a', 'Préfet'], ['b', 'PRÉFET']]);
    expect(findInLines(lines, 'préfet', { ...plain, caseSensitive: true })).toEqual([]);
  });

  it('ignores accents when asked, and reports the hit as written, marks included', () => {
    const hits = findInLines([...lines, line('d', 'pre\u0301fet decomposed')], 'prefet', { ...plain, ignoreDiacritics: true }) as { lineId: string; text: string; start: number; end: number }[];
    expect(hits.map((h) => [h.lineId, h.text])).toEqual([['a', 'Préfet'], ['b', 'prefet'], ['b', 'PRÉFET'], ['d', 'pre\u0301fet']]);
  });

  it('takes regular expressions, and says when one is not', () => {
    const hits = findInLines(lines, '\\b[Ll][Ee]\\b', { ...plain, regex: true, caseSensitive: true }) as unknown[];
    expect(hits).toHaveLength(3);
    expect(findInLines(lines, '(unclosed', { ...plain, regex: true })).toBeInstanceOf(Error);
  });
});

describe('replace', () => {
  it('rewrites exactly the hits of a line, with $1 groups for a regular expression', () => {
    const opts = { ...plain, regex: true };
    const hits = findInLines([lines[1]!], '(pr)[ée]fet', opts) as Parameters<typeof replaceHits>[1];
    expect(replaceHits('le prefet, LE PRÉFET', hits, '$1éfet', '(pr)[ée]fet', opts)).toBe('le préfet, LE PRéfet');
    const plainHits = findInLines([lines[0]!], 'seine', plain) as Parameters<typeof replaceHits>[1];
    expect(replaceHits('Le Préfet de la Seine', plainHits, 'Loire', 'seine', plain)).toBe('Le Préfet de la Loire');
  });
});
