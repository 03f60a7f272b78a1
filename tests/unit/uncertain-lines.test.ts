/** "Next uncertain line" (F8): machine text under the threshold, in reading order, wrapping once. */
import { describe, expect, it } from 'vitest';
import { nextUncertainChar, nextUncertainLine, uncertainRunEnd } from '../../electron/common/transcription/review.js';
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

describe('next uncertain characters within a line', () => {
  // "Jonquet Pierre": "qu" and "e" (of Pierre) unsure at 80%.
  const confs = [...'Jonquet Pierre'].map((_, i) => (i === 3 || i === 4 ? 0.31 : i === 11 ? 0.5 : 0.97));

  it('goes run by run from the caret, and selects the whole run', () => {
    expect(nextUncertainChar(confs, 0, 0.8, 1)).toBe(3);
    expect(uncertainRunEnd(confs, 3, 0.8)).toBe(5);
    // From the end of the run selected last: the next run.
    expect(nextUncertainChar(confs, 5, 0.8, 1)).toBe(11);
    expect(uncertainRunEnd(confs, 11, 0.8)).toBe(12);
    expect(nextUncertainChar(confs, 12, 0.8, 1)).toBeUndefined();
    // From inside a run, forwards: the next run; backwards: the run's start, then the one before.
    expect(nextUncertainChar(confs, 4, 0.8, 1)).toBe(11);
    expect(nextUncertainChar(confs, 11, 0.8, -1)).toBe(3);
    expect(nextUncertainChar(confs, 3, 0.8, -1)).toBeUndefined();
    expect(nextUncertainChar(confs, confs.length, 0.8, -1)).toBe(11);
  });

  it('follows the threshold', () => {
    expect(nextUncertainChar(confs, 0, 0.4, 1)).toBe(3);
    expect(nextUncertainChar(confs, 5, 0.4, 1)).toBeUndefined();
    expect(nextUncertainChar(confs, 0, 0.2, 1)).toBeUndefined();
  });
});
