import { describe, expect, it } from 'vitest';
import type { Points, Region, TextLine } from '../../electron/common/model/types.js';
import { boxPolygon } from '../../electron/common/model/points.js';
import { addCounts, classScores, countByClass, pageObjects } from '../../electron/common/layout/score-classes.js';

const box = (minX: number, minY: number, maxX: number, maxY: number): Points => boxPolygon({ minX, minY, maxX, maxY });
const line = (id: string, pts: Points, type?: string): TextLine =>
  ({ id, coords: { points: pts }, ...(type && { custom: `structure {type:${type};}` }), words: [] }) as unknown as TextLine;
const region = (id: string, pts: Points, type: string | undefined, lines: TextLine[], regions: Region[] = []): Region =>
  ({ id, kind: 'TextRegion', coords: { points: pts }, ...(type && { custom: `structure {type:${type};}` }), lines, regions }) as unknown as Region;

describe('scores per SegmOnto class', () => {
  const truth = [
    region('r1', box(0, 0, 1000, 1000), 'MainZone', [line('l1', box(10, 10, 900, 60)), line('l2', box(10, 80, 900, 130), 'HeadingLine')], [
      region('r2', box(1000, 0, 1200, 300), 'MarginTextZone', [line('l3', box(1010, 10, 1190, 60), 'default')]),
    ]),
    region('r3', box(0, 1100, 300, 1200), 'paragraph', []), // not SegmOnto: not a scored zone
  ];

  it('collects typed zones (nested too) and every line, untyped ones as DefaultLine', () => {
    const o = pageObjects(truth, (l) => l.coords?.points);
    expect(o.zones.map((z) => z.cls)).toEqual(['MainZone', 'MarginTextZone']);
    expect(o.lines.map((l) => l.cls)).toEqual(['DefaultLine', 'HeadingLine', 'DefaultLine']);
  });

  it('matches within each class only: a right box of the wrong class counts for neither', () => {
    const expected = pageObjects(truth, (l) => l.coords?.points);
    const predicted = pageObjects(
      [
        region('p1', box(5, 5, 990, 990), 'MainZone', [line('a', box(10, 12, 900, 62)), line('b', box(10, 80, 900, 130))]), // b: right box, typed DefaultLine
        region('p2', box(1000, 0, 1200, 300), 'NumberingZone', [line('c', box(1010, 10, 1190, 60))]),
      ],
      (l) => l.coords?.points,
    );
    const zones = classScores(countByClass(predicted.zones, expected.zones));
    expect(zones.MainZone).toMatchObject({ truePositives: 1, predicted: 1, expected: 1, f1: 1 });
    expect(zones.MarginTextZone).toMatchObject({ truePositives: 0, predicted: 0, expected: 1, recall: 0, f1: 0 });
    expect(zones.NumberingZone).toMatchObject({ truePositives: 0, predicted: 1, expected: 0, precision: 0, f1: 0 });
    const lines = classScores(countByClass(predicted.lines, expected.lines));
    expect(lines.DefaultLine).toMatchObject({ truePositives: 2, predicted: 3, expected: 2 });
    expect(lines.DefaultLine!.precision).toBeCloseTo(2 / 3);
    expect(lines.HeadingLine).toMatchObject({ truePositives: 0, expected: 1, f1: 0 });
  });

  it('pools pages by adding their counts, not averaging their scores', () => {
    const a = { MainZone: { truePositives: 1, predicted: 1, expected: 1 } };
    const b = { MainZone: { truePositives: 0, predicted: 3, expected: 1 }, StampZone: { truePositives: 1, predicted: 1, expected: 2 } };
    const s = classScores(addCounts(a, b));
    expect(s.MainZone).toMatchObject({ truePositives: 1, predicted: 4, expected: 2, precision: 0.25, recall: 0.5 });
    expect(s.StampZone).toMatchObject({ truePositives: 1, predicted: 1, expected: 2, recall: 0.5 });
    expect(a.MainZone).toEqual({ truePositives: 1, predicted: 1, expected: 1 }); // inputs untouched
  });
});
