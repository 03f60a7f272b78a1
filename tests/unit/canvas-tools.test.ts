/**
 * The canvas tools as state objects (renderer/src/canvas/tools.ts): what a press
 * does in each tool, and how a drawing ends — on the real TIME US page, without
 * a canvas or a browser.
 */
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import type { Point } from '../../electron/common/model/types.js';
import { TOOLS, type Press } from '../../renderer/src/canvas/tools.js';
import { TIMEUS_XML } from '../helpers/timeus-project.js';

const doc = readDocument(TIMEUS_XML).doc;
const line = allLines(doc.page.regions).find((l) => (l.baseline?.points.length ?? 0) >= 2)!;
const [b0, b1] = line.baseline!.points as [Point, Point];
const onBaseline = { x: Math.round((b0.x + b1.x) / 2), y: Math.round((b0.y + b1.y) / 2) };
const press = (over: Partial<Press> = {}): Press => ({ doc, at: { x: 10, y: 10 }, scale: 0.5, clicks: 1, selectedUnder: '', draft: [], ...over });

describe('canvas tools', () => {
  it('select: a press on a selected element moves the selection; elsewhere it pans or selects', () => {
    expect(TOOLS.select.press(press({ selectedUnder: line.id }))).toEqual({ kind: 'move-selection' });
    expect(TOOLS.select.press(press())).toEqual({ kind: 'pan-or-click' });
    expect(TOOLS.select.selects).toBe(true);
    expect(Object.values(TOOLS).filter((t) => t.selects).map((t) => t.id)).toEqual(['select']);
  });

  it('region: a press starts a rectangle', () => {
    expect(TOOLS.region.press(press())).toEqual({ kind: 'rectangle' });
  });

  it('line: clicks add whole-pixel points, a second press on the same spot adds none, a double-click finishes', () => {
    const first = TOOLS.line.press(press({ at: { x: 100.4, y: 200.6 } }));
    expect(first).toEqual({ kind: 'draft', points: [{ x: 100, y: 201 }] });
    const draft = [{ x: 100, y: 201 }];
    // 4 screen pixels at scale 0.5 are 8 image pixels: the same point.
    expect(TOOLS.line.press(press({ at: { x: 106, y: 201 }, draft }))).toEqual({ kind: 'nothing' });
    expect(TOOLS.line.press(press({ at: { x: 300, y: 205 }, draft }))).toEqual({ kind: 'draft', points: [...draft, { x: 300, y: 205 }] });
    expect(TOOLS.line.press(press({ clicks: 2, draft }))).toEqual({ kind: 'finish' });
  });

  it('line needs two points and polygon three before the drawing makes anything', () => {
    const two = [{ x: 1, y: 1 }, { x: 50, y: 2 }];
    expect(TOOLS.line.finish!(two.slice(0, 1))).toBeNull();
    expect(TOOLS.line.finish!(two)).toEqual({ type: 'draw-line', baseline: two });
    expect(TOOLS.polygon.finish!(two)).toBeNull();
    const three = [...two, { x: 20, y: 40 }];
    expect(TOOLS.polygon.finish!(three)).toEqual({ type: 'draw-polygon', points: three });
    expect(TOOLS.split.finish).toBeUndefined();
  });

  it('split: a press on a line splits it there; off every line, nothing', () => {
    expect(TOOLS.split.press(press({ at: onBaseline, scale: 1 }))).toEqual({ kind: 'intent', intent: { type: 'split', lineId: expect.any(String), x: onBaseline.x } });
    expect(TOOLS.split.press(press({ at: { x: 1, y: 1 } }))).toEqual({ kind: 'nothing' });
  });

  it('order: a press picks the region (or line) under it', () => {
    const out = TOOLS.order.press(press({ at: onBaseline, scale: 1 }));
    expect(out.kind).toBe('intent');
    expect(out.kind === 'intent' && out.intent.type).toBe('pick-region');
  });
});
