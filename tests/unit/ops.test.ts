import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseXml } from '../../electron/common/xml/xml-parse.js';
import { readPage } from '../../electron/common/formats/page-read.js';
import { writePageXml } from '../../electron/common/formats/page-write.js';
import { Warnings } from '../../electron/common/formats/format-error.js';
import * as ops from '../../electron/common/model/ops.js';
import { emptyHistory, record, redo, undo, undoLabel } from '../../electron/common/model/history.js';
import { structureType, withStructureType, parseCustom } from '../../electron/common/model/custom-attr.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { CORPUS } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';

const FILE = path.join(CORPUS, 'escriptorium-timeuscorpus/cph_paris_tissage_1858/page/PH 1858-535.xml');
const SRC = fs.readFileSync(FILE, 'utf8');
const load = (): PageDocument => readPage(parseXml(SRC), new Warnings());
const save = (d: PageDocument): string => writePageXml(d, { version: '2019-07-15', conform: false }, new Warnings());
const firstLine = (d: PageDocument) => allLines(d.page.regions)[0]!;

describe('document operations on a real eScriptorium page', () => {
  it('moves a baseline vertex, and only that changes in the written file', () => {
    const doc = load();
    const l = firstLine(doc);
    const p0 = l.baseline!.points[0]!;
    const next = ops.movePoint(doc, { id: l.id, shape: 'baseline' }, 0, { x: p0.x + 7, y: p0.y - 3 });
    expect(firstLine(next).baseline!.points[0]).toEqual({ x: p0.x + 7, y: p0.y - 3 });
    expect(firstLine(doc).baseline!.points[0]).toEqual(p0); // the old document is untouched (undo)
    const diff = treeDiff(xmlTree(SRC), xmlTree(save(next)));
    expect(diff).toMatch(/Baseline: attributes differ/);
    // Everything else still round-trips: moving it back gives the source tree.
    const back = ops.movePoint(next, { id: l.id, shape: 'baseline' }, 0, p0);
    expect(treeDiff(xmlTree(SRC), xmlTree(save(back)))).toBeUndefined();
  });

  it('inserts and deletes polygon points, refusing to go below a triangle', () => {
    const doc = load();
    const l = firstLine(doc);
    const n = l.coords!.points.length;
    const more = ops.insertPoint(doc, { id: l.id, shape: 'coords' }, 1, { x: 1, y: 2 });
    expect(firstLine(more).coords!.points[1]).toEqual({ x: 1, y: 2 });
    expect(firstLine(more).coords!.points.length).toBe(n + 1);
    const less = ops.deletePoint(more, { id: l.id, shape: 'coords' }, 1);
    expect(firstLine(less).coords!.points).toEqual(l.coords!.points);
    const tri = ops.addLine(doc, doc.page.regions[0]!.id, { id: 'tri', coords: { points: [{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 0, y: 5 }] } });
    expect(() => ops.deletePoint(tri, { id: 'tri', shape: 'coords' }, 0)).toThrow(/at least 3 points/);
  });

  it('splits a line at x: polygon, baseline and text divided there; merging joins them again', () => {
    const doc = load();
    const l = firstLine(doc);
    const xs = l.baseline!.points.map((p) => p.x);
    const mid = Math.round((Math.min(...xs) + Math.max(...xs)) / 2);
    const split = ops.splitLine(doc, l.id, mid, 'newline');
    const lines = allLines(split.page.regions);
    expect(lines.length).toBe(allLines(doc.page.regions).length + 1);
    const [a, b] = [lines[0]!, lines[1]!];
    expect(b.id).toBe('newline');
    expect(Math.max(...a.coords!.points.map((p) => p.x))).toBeLessThanOrEqual(mid);
    expect(Math.min(...b.coords!.points.map((p) => p.x))).toBeGreaterThanOrEqual(mid);
    expect(a.baseline!.points[a.baseline!.points.length - 1]!.x).toBe(mid);
    expect(b.baseline!.points[0]!.x).toBe(mid);
    expect(`${lineText(a)} ${lineText(b)}`.replace(/\s+/g, ' ').trim()).toBe(lineText(l).replace(/\s+/g, ' ').trim());
    const merged = ops.mergeLines(split, [l.id, 'newline']);
    const m = allLines(merged.page.regions)[0]!;
    expect(allLines(merged.page.regions).length).toBe(allLines(doc.page.regions).length);
    expect(lineText(m).replace(/\s+/g, ' ').trim()).toBe(lineText(l).replace(/\s+/g, ' ').trim());
    expect(m.baseline!.points.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to split outside the line', () => {
    const doc = load();
    expect(() => ops.splitLine(doc, firstLine(doc).id, -5)).toThrow(/not inside line/);
  });

  it('sets text, drops the model confidence, and undo/redo walk the history with labels', () => {
    const doc = load();
    const l = firstLine(doc);
    const edited = ops.setLineText(doc, l.id, 'Corrigé à la main');
    expect(lineText(firstLine(edited))).toBe('Corrigé à la main');
    expect(firstLine(edited).textEquivs[0]!.conf).toBeUndefined();
    let h = record(emptyHistory, 'Edit text', doc, edited);
    expect(undoLabel(h)).toBe('Edit text');
    const u = undo(h)!;
    expect(u.doc).toBe(doc);
    h = u.history;
    const r = redo(h)!;
    expect(r.doc).toBe(edited);
    expect(record(h, 'noop', doc, doc)).toBe(h);
  });

  it('adds, retypes, reorders and deletes regions, keeping the reading order consistent', () => {
    let doc = load();
    const first = doc.page.regions[0]!.id;
    doc = ops.addRegion(doc, { kind: 'TextRegion', id: 'margin1', coords: { points: [{ x: 10, y: 10 }, { x: 90, y: 10 }, { x: 90, y: 90 }, { x: 10, y: 90 }] } });
    doc = ops.setRegionType(doc, 'margin1', 'TextRegion', 'MarginTextZone');
    expect(structureType(ops.findRegion(doc, 'margin1')!.custom)).toBe('MarginTextZone');
    doc = ops.setRegionOrder(doc, ['margin1', first]);
    expect(ops.regionsInReadingOrder(doc)).toEqual(['margin1', first]);
    expect(doc.page.regions[0]!.id).toBe('margin1');
    expect(() => ops.setRegionType(doc, first, 'ImageRegion')).toThrow(/has text lines/);
    doc = ops.deleteElements(doc, ['margin1']);
    expect(ops.findRegion(doc, 'margin1')).toBeUndefined();
    expect(ops.regionsInReadingOrder(doc)).toEqual([first]);
    expect(() => ops.addRegion(doc, { kind: 'TextRegion', id: first, coords: { points: [] } })).toThrow(/already used/);
  });

  it('moves a line to another region and translates a region with its lines', () => {
    let doc = ops.addRegion(load(), { kind: 'TextRegion', id: 'other', coords: { points: [{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 5 }] } });
    const l = firstLine(doc);
    doc = ops.moveLineToRegion(doc, l.id, 'other');
    expect(ops.findLine(doc, l.id)!.region.id).toBe('other');
    const moved = ops.translate(doc, ['other'], 10, 20);
    const ml = ops.findLine(moved, l.id)!.line;
    expect(ml.baseline!.points[0]).toEqual({ x: l.baseline!.points[0]!.x + 10, y: l.baseline!.points[0]!.y + 20 });
  });
});

describe('custom attribute', () => {
  it('reads and edits the SegmOnto structure type without touching other parts', () => {
    const c = 'readingOrder {index:3;} structure {type:HeadingLine;subtype:title;}';
    expect(parseCustom(c)).toEqual({ readingOrder: { index: '3' }, structure: { type: 'HeadingLine', subtype: 'title' } });
    expect(withStructureType(c, 'DefaultLine')).toBe('readingOrder {index:3;} structure {type:DefaultLine;subtype:title;}');
    expect(withStructureType('structure {type:MainZone;}', undefined)).toBeUndefined();
  });
});
