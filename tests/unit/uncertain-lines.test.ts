/** "Next uncertain line" (F8): machine text under the threshold, in reading order, wrapping once. */
import { describe, expect, it } from 'vitest';
import { nextUncertainLine } from '../../electron/common/transcription/review.js';
import type { TextLine } from '../../electron/common/model/types.js';

const line = (id: string, conf?: number, text = 'x'): TextLine => ({ kind: 'TextLine', id, words: [], labels: [], alternativeImages: [], textEquivs: [{ unicode: text, ...(conf !== undefined && { conf }) }] });

describe('next uncertain line', () => {
  const lines = [line('a', 0.95), line('b', 0.5), line('c'), line('d', 0.79), line('e', 0.99)];

  it('finds the next machine line under the threshold after the current one, wrapping around', () => {
    expect(nextUncertainLine(lines, 'a', 0.8, 1)).toBe('b');
    expect(nextUncertainLine(lines, 'b', 0.8, 1)).toBe('d');
    expect(nextUncertainLine(lines, 'd', 0.8, 1)).toBe('b');
    expect(nextUncertainLine(lines, null, 0.8, 1)).toBe('b');
  });

  it('without wrapping stops at the end of the page (the review then goes on to the next page)', () => {
    expect(nextUncertainLine(lines, 'd', 0.8, 1, false)).toBeUndefined();
    expect(nextUncertainLine(lines, 'b', 0.8, 1, false)).toBe('d');
    expect(nextUncertainLine(lines, 'b', 0.8, -1, false)).toBeUndefined();
    expect(nextUncertainLine(lines, null, 0.8, 1, false)).toBe('b');
    expect(nextUncertainLine(lines, 'd', 0.8, 1)).toBe('b');
  });

  it('goes backwards with step -1', () => {
    expect(nextUncertainLine(lines, 'd', 0.8, -1)).toBe('b');
    expect(nextUncertainLine(lines, 'b', 0.8, -1)).toBe('d');
    expect(nextUncertainLine(lines, null, 0.8, -1)).toBe('d');
  });

  it('never counts a person\'s text (no confidence), and says none when none is under', () => {
    expect(nextUncertainLine([line('c'), line('p')], null, 1, 1)).toBeUndefined();
    expect(nextUncertainLine(lines, 'a', 0.4, 1)).toBeUndefined();
    expect(nextUncertainLine([line('only', 0.1)], 'only', 0.5, 1)).toBe('only');
  });
});
