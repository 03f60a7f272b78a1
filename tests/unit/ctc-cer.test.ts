import { describe, expect, it } from 'vitest';
import { beamDecode, greedyDecode, toProbabilities, type Frames } from '../../electron/common/recognition/ctc.js';
import { align, compareTexts, emptyTotals, addCounts, rate, topConfusions } from '../../electron/common/eval/cer.js';

/** Frames from rows of probabilities over [blank, a, b]. */
function frames(rows: number[][]): Frames {
  return { data: Float32Array.from(rows.flat()), frames: rows.length, classes: rows[0]!.length };
}

const CHARSET = ['a', 'b'];

describe('CTC decoding', () => {
  it('greedy: collapses repeats, drops blanks, keeps a repeat separated by a blank', () => {
    const f = frames([
      [0.1, 0.8, 0.1],
      [0.2, 0.7, 0.1],
      [0.9, 0.05, 0.05],
      [0.1, 0.1, 0.8],
      [0.6, 0.1, 0.3],
      [0.2, 0.1, 0.7],
    ]);
    const d = greedyDecode(f, CHARSET, 0);
    expect(d.text).toBe('abb');
    expect(d.chars.map((c) => [c.char, c.conf, c.start, c.end])).toEqual([
      ['a', expect.closeTo(0.8, 5), 0, 1],
      ['b', expect.closeTo(0.8, 5), 3, 3],
      ['b', expect.closeTo(0.7, 5), 5, 5],
    ]);
    expect(d.conf).toBeCloseTo((0.8 + 0.8 + 0.7) / 3, 5);
  });

  it('beam search finds the most probable text where best path does not', () => {
    // Best path is "blank blank" (0.6·0.6 = 0.36); "a" totals 1 − 0.36 − p(aa paths…) > 0.36.
    const f = frames([
      [0.6, 0.4, 0.0],
      [0.6, 0.4, 0.0],
    ]);
    expect(greedyDecode(f, CHARSET, 0).text).toBe('');
    expect(beamDecode(f, CHARSET, 0, 4).text).toBe('a');
  });

  it('turns logits and log-probabilities into probabilities', () => {
    const logits = frames([[0, Math.log(3), 0]]);
    toProbabilities(logits, 'logits');
    expect(Array.from(logits.data)).toEqual([expect.closeTo(0.2, 5), expect.closeTo(0.6, 5), expect.closeTo(0.2, 5)]);
    const logs = frames([[Math.log(0.5), Math.log(0.25), Math.log(0.25)]]);
    toProbabilities(logs, 'log');
    expect(logs.data[0]).toBeCloseTo(0.5, 5);
  });

  it('blank at the end of the classes (PaddleOCR style) maps symbols correctly', () => {
    const f = frames([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05]]);
    expect(greedyDecode(f, CHARSET, 2).text).toBe('ab');
  });
});

describe('CER and WER', () => {
  it('counts Levenshtein edits over code points after NFC and whitespace folding', () => {
    const c = compareTexts('Le  testament\u0301', 'Le testamént');
    // "testament" + combining acute (NFC keeps it separate: t has no precomposed form) vs "testamént".
    expect(c.chars).toBe([...'Le testament\u0301'.normalize('NFC')].length);
    expect(c.charErrors).toBe(2);
    expect(compareTexts('é', 'e\u0301').charErrors).toBe(0);
    expect(compareTexts('a b c', 'a x c').wordErrors).toBe(1);
  });

  it('reports edits as substitutions, deletions and insertions', () => {
    expect(align([...'abc'], [...'axcd']).edits).toEqual([{ ref: 'b', hyp: 'x' }, { ref: '', hyp: 'd' }]);
    const t = emptyTotals();
    addCounts(t, compareTexts('aaa', 'aba'));
    addCounts(t, compareTexts('ca', 'cb'));
    expect(rate(t.charErrors, t.chars)).toBeCloseTo(2 / 5, 5);
    expect(topConfusions(t)).toEqual([{ ref: 'a', hyp: 'b', count: 2 }]);
  });

  it('an empty reference with output counts as 100% error, not division by zero', () => {
    expect(rate(3, 0)).toBe(1);
    expect(rate(0, 0)).toBe(0);
  });
});
