import { describe, expect, it } from 'vitest';
import type { Points } from '../../electron/common/model/types.js';
import { boxPolygon } from '../../electron/common/model/points.js';
import { boxIoU, scoreLines } from '../../electron/common/layout/score.js';

const box = (minX: number, minY: number, maxX: number, maxY: number): Points => boxPolygon({ minX, minY, maxX, maxY });

describe('line detection scores (box IoU ≥ 0.5, one-to-one)', () => {
  it('IoU of boxes: identical 1, disjoint or touching 0, half-shifted 1/3', () => {
    const a = { minX: 0, minY: 0, maxX: 10, maxY: 10 };
    expect(boxIoU(a, a)).toBe(1);
    expect(boxIoU(a, { minX: 10, minY: 0, maxX: 20, maxY: 10 })).toBe(0);
    expect(boxIoU(a, { minX: 30, minY: 30, maxX: 40, maxY: 40 })).toBe(0);
    expect(boxIoU(a, { minX: 5, minY: 0, maxX: 15, maxY: 10 })).toBeCloseTo(50 / 150);
  });

  it('counts exact TP, FP and FN', () => {
    const expected = [box(0, 0, 100, 20), box(0, 30, 100, 50), box(0, 60, 100, 80)];
    const predicted = [
      box(2, 1, 98, 21), // matches line 1
      box(0, 32, 100, 52), // matches line 2
      box(200, 0, 300, 20), // nothing there: FP
    ];
    const s = scoreLines(predicted, expected);
    expect(s).toMatchObject({ truePositives: 2, predicted: 3, expected: 3 });
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.f1).toBeCloseTo(2 / 3);
  });

  it('matches one-to-one: two predictions on one line give one TP and one FP', () => {
    const s = scoreLines([box(0, 0, 100, 20), box(1, 0, 100, 20)], [box(0, 0, 100, 20)]);
    expect(s).toMatchObject({ truePositives: 1, predicted: 2, expected: 1, precision: 0.5, recall: 1 });
    expect(s.f1).toBeCloseTo(2 / 3);
  });

  it('greedy by IoU takes the best pair first', () => {
    // P0 overlaps E0 (IoU 0.54) and E1 (IoU 0.82); P1 overlaps only E0 well (IoU 0.55).
    // Greedy in list order would give P0→E0 and leave P1 unmatched; by IoU both match.
    const E = [box(0, 0, 100, 10), box(40, 0, 140, 10)];
    const P = [box(30, 0, 130, 10), box(0, 0, 55, 10)];
    expect(boxIoU({ minX: 30, minY: 0, maxX: 130, maxY: 10 }, { minX: 40, minY: 0, maxX: 140, maxY: 10 })).toBeGreaterThan(0.8);
    expect(scoreLines(P, E).truePositives).toBe(2);
  });

  it('uses the polygons\' bounding boxes, so any outline of the same extent matches', () => {
    const wavy: Points = [{ x: 0, y: 5 }, { x: 50, y: 0 }, { x: 100, y: 5 }, { x: 100, y: 20 }, { x: 50, y: 15 }, { x: 0, y: 20 }];
    expect(scoreLines([box(0, 0, 100, 20)], [wavy]).truePositives).toBe(1);
  });

  it('below the threshold is a miss; the threshold can be changed', () => {
    const P = [box(0, 0, 100, 20)], E = [box(0, 8, 100, 28)]; // IoU 12/28 ≈ 0.43
    expect(scoreLines(P, E).truePositives).toBe(0);
    expect(scoreLines(P, E, 0.4).truePositives).toBe(1);
  });

  it('empty sides: nothing found on a page with lines is F1 0; an empty page with nothing found is 1', () => {
    expect(scoreLines([], [box(0, 0, 10, 10)])).toMatchObject({ truePositives: 0, precision: 0, recall: 0, f1: 0 });
    expect(scoreLines([box(0, 0, 10, 10)], [])).toMatchObject({ truePositives: 0, precision: 0, f1: 0 });
    expect(scoreLines([], [])).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});
