/**
 * The editor's drawing and editing tools in a real browser on a real page:
 * a line drawn baseline first, a polygon region, region and line types,
 * moving a line by dragging it (one undo step), copy and paste, the line image
 * above its text, and moving through lines with the canvas following. Every
 * result is checked in the PAGE-XML saved to disk, in image pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { findLine, findRegion } from '../../electron/common/model/ops.js';
import { allLines } from '../../electron/common/model/stats.js';
import type { Point } from '../../electron/common/model/types.js';
import { save, savedDoc, shot, steadyView, tilesDrawn, toScreen, viewOf, type Project, type ViewTransform, openEditor, drag as dragMouse, type EditorSession } from './harness.js';

let project: Project;
let page: Page;
let pageErrors: string[] = [];
let session: EditorSession;

const round = (p: Point): Point => ({ x: Math.round(p.x), y: Math.round(p.y) });
const toImage = (v: ViewTransform, s: Point): Point => ({ x: (s.x - v.left - v.x) / v.scale, y: (s.y - v.top - v.y) / v.scale });
const lineCount = () => page.locator('.line-item').count();

const drag = (from: Point, to: Point): Promise<void> => dragMouse(page, from, to);

beforeAll(async () => {
  session = await openEditor();
  ({ project, page } = session);
  pageErrors = session.pageErrors;
  await tilesDrawn(page);
});

afterAll(async () => {
  await session?.close();
});

describe('editor tools (timeuscorpus PH 1858-535)', () => {
  let drawnLine = '';

  it('draws a line baseline first: its Baseline is where it was clicked, its Coords follow at the page\'s line height', async () => {
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('l');
    const v = await viewOf(page);
    const clicks = [{ x: 300, y: 3900 }, { x: 700, y: 3870 }, { x: 1100, y: 3910 }].map((p) => round(toScreen(v, p)));
    await page.mouse.click(clicks[0]!.x, clicks[0]!.y);
    await page.mouse.click(clicks[1]!.x, clicks[1]!.y);
    await page.mouse.move(clicks[2]!.x - 20, clicks[2]!.y - 5, { steps: 3 });
    await shot(page, '20-draw-line-in-progress');
    await page.mouse.dblclick(clicks[2]!.x, clicks[2]!.y);
    await expect.poll(lineCount).toBe(49);
    await page.keyboard.press('v');
    await shot(page, '21-line-drawn');
    await save(page);
    const doc = savedDoc(project);
    const added = allLines(doc.page.regions).find((l) => !findLine(readDocument(project.originalXml).doc, l.id))!;
    drawnLine = added.id;
    const base = added.baseline!.points;
    expect(base).toHaveLength(3);
    base.forEach((p, i) => {
      const want = toImage(v, clicks[i]!);
      expect(Math.abs(p.x - want.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(p.y - want.y)).toBeLessThanOrEqual(1);
    });
    // The outline: the baseline moved up (above) and back along it moved down (below), whole pixels.
    const coords = added.coords!.points;
    expect(coords).toHaveLength(6);
    const above = base[0]!.y - coords[0]!.y;
    const below = coords[5]!.y - base[0]!.y;
    expect(above).toBeGreaterThan(20);
    expect(below).toBeGreaterThan(5);
    expect(coords.slice(0, 3)).toEqual(base.map((p) => ({ x: p.x, y: p.y - above })));
    expect(coords.slice(3)).toEqual([...base].reverse().map((p) => ({ x: p.x, y: p.y + below })));
    expect(coords.every((p) => Number.isInteger(p.x) && Number.isInteger(p.y))).toBe(true);
    // Nowhere near the existing region's lines: it got a text region of its own, in the reading order.
    expect(findLine(doc, added.id)!.region.id).not.toBe('eSc_dummyblock_');
    expect(await page.locator('.order-item').count()).toBe(2);
  });

  it('keeps the drawn line editable: a dragged baseline point moves', async () => {
    await page.locator(`.line-item[data-line="${drawnLine}"]`).click();
    const v = await viewOf(page);
    const base = findLine(savedDoc(project), drawnLine)!.line.baseline!.points;
    const from = round(toScreen(v, base[1]!));
    await drag(from, { x: from.x, y: from.y + 12 });
    await save(page);
    const moved = findLine(savedDoc(project), drawnLine)!.line.baseline!.points[1]!;
    expect(Math.abs(moved.y - (base[1]!.y + 12 / v.scale))).toBeLessThanOrEqual(1);
  });

  it('draws a polygon region from clicked corners', async () => {
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('p');
    const v = await viewOf(page);
    const corners = [{ x: 2300, y: 4200 }, { x: 2900, y: 4150 }, { x: 2950, y: 4500 }, { x: 2250, y: 4450 }].map((p) => round(toScreen(v, p)));
    for (const c of corners) await page.mouse.click(c.x, c.y);
    await shot(page, '22-draw-polygon');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.order-item').count()).toBe(3);
    await page.keyboard.press('v');
    await save(page);
    const region = savedDoc(project).page.regions.at(-1)!;
    expect(region.kind).toBe('TextRegion');
    expect(region.coords!.points).toHaveLength(4);
    region.coords!.points.forEach((p, i) => {
      const want = toImage(v, corners[i]!);
      expect(Math.abs(p.x - want.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(p.y - want.y)).toBeLessThanOrEqual(1);
    });
  });

  it('changes region and line types: PAGE element and custom="structure {type:…;}"', async () => {
    const polygon = savedDoc(project).page.regions.at(-1)!.id;
    await page.locator(`.order-item[data-region="${polygon}"]`).click();
    await page.locator('select[name="region-kind"]').selectOption('GraphicRegion');
    await page.locator('select[name="zone-type"]').selectOption('GraphicZone');
    await page.locator('.order-item[data-region="eSc_dummyblock_"]').click();
    await page.locator('select[name="zone-type"]').selectOption('MainZone');
    await shot(page, '23-region-type');
    await page.locator('.line-item[data-line="r2l5"]').click();
    await page.locator('.page-canvas').focus();
    await page.locator('select[name="line-type"]').selectOption('HeadingLine');
    await expect.poll(() => page.getByRole('button', { name: 'Undo Change line type (Ctrl+Z)' }).count()).toBe(1);
    await save(page);
    const xml = fs.readFileSync(project.xmlFile, 'utf8');
    expect(xml).toMatch(new RegExp(`<GraphicRegion id="${polygon}" custom="structure \\{type:GraphicZone;\\}"`));
    expect(xml).toContain('<TextRegion id="eSc_dummyblock_" custom="structure {type:MainZone;}"');
    expect(xml).toMatch(/<TextLine id="r2l5"[^>]* custom="structure \{type:HeadingLine;\}"/);
    expect(findRegion(savedDoc(project), polygon)!.kind).toBe('GraphicRegion');
  });

  it('moves a whole line by dragging it, in one undo step', async () => {
    // At 100 %, so the line's inside is well away from its (dense) outline and baseline handles.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('1');
    await page.locator('.line-item[data-line="r2l10"]').click();
    const v = await steadyView(page);
    const before = findLine(savedDoc(project), 'r2l10')!.line;
    const b = before.baseline!.points;
    const top = before.coords!.points.reduce((m, p) => Math.min(m, p.y), Infinity);
    const inside = { x: (b[2]!.x + b[3]!.x) / 2, y: (top + (b[2]!.y + b[3]!.y) / 2) / 2 };
    const from = round(toScreen(v, inside));
    await drag(from, { x: from.x + 30, y: from.y + 20 });
    await expect.poll(() => page.getByRole('button', { name: 'Undo Move line (Ctrl+Z)' }).count()).toBe(1);
    await shot(page, '24-line-moved');
    await save(page);
    const after = findLine(savedDoc(project), 'r2l10')!.line;
    const dx = Math.round(30 / v.scale);
    const dy = Math.round(20 / v.scale);
    expect(after.baseline!.points).toEqual(b.map((p) => ({ x: p.x + dx, y: p.y + dy })));
    expect(after.coords!.points).toEqual(before.coords!.points.map((p) => ({ x: p.x + dx, y: p.y + dy })));
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByRole('button', { name: 'Undo Change line type (Ctrl+Z)' }).count()).toBe(1);
    await save(page);
    expect(findLine(savedDoc(project), 'r2l10')!.line.baseline!.points).toEqual(b);
    await page.keyboard.press('0');
  });

  it('sets a text region\'s PAGE type (heading, marginalia…) besides its SegmOnto zone', async () => {
    await page.locator('.order-item[data-region="eSc_dummyblock_"]').click();
    await page.locator('select[name="text-type"]').selectOption('marginalia');
    await save(page);
    expect(fs.readFileSync(project.xmlFile, 'utf8')).toMatch(/<TextRegion id="eSc_dummyblock_"[^>]*\btype="marginalia"/);
    expect(findRegion(savedDoc(project), 'eSc_dummyblock_')!.type).toBe('marginalia');
    await page.locator('select[name="text-type"]').selectOption('');
    await save(page);
    expect(findRegion(savedDoc(project), 'eSc_dummyblock_')!.type).toBeUndefined();
  });

  it('copies and pastes a line: a new id, beside the original, in the same region', async () => {
    await page.locator('.line-item[data-line="r2l12"]').click();
    await page.locator('.page-canvas').focus();
    const n = await lineCount();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(lineCount).toBe(n + 1);
    await save(page);
    const doc = savedDoc(project);
    const original = findLine(doc, 'r2l12')!;
    const copy = original.region.lines.at(-1)!;
    expect(copy.id).not.toBe('r2l12');
    expect(new Set(allLines(doc.page.regions).map((l) => l.id)).size).toBe(n + 1);
    expect(copy.textEquivs[0]?.unicode).toBe(original.line.textEquivs[0]?.unicode);
    const off = copy.baseline!.points[0]!.x - original.line.baseline!.points[0]!.x;
    expect(off).toBeGreaterThan(0);
    expect(copy.baseline!.points).toEqual(original.line.baseline!.points.map((p) => ({ x: p.x + off, y: p.y + off })));
    await page.keyboard.press('Delete');
    await expect.poll(lineCount).toBe(n);
  });

  it('shows the line image above its text; Enter and Down move through lines with the canvas following', async () => {
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('1'); // 100 %: most lines are off screen
    await page.locator('.line-item[data-line="r2l3"]').click();
    const img = page.locator('.line-image img');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalHeight)).toBe(72);
    expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(300);
    await shot(page, '25-line-image');
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    const start = Number(/Line (\d+) of/.exec((await page.locator('.line-editor-head').textContent())!)![1]);
    await input.focus();
    for (let i = 0; i < 12; i++) {
      await input.press('Control+End');
      await input.press(i % 2 ? 'Enter' : 'ArrowDown');
    }
    await expect.poll(() => page.locator('.line-editor-head').textContent()).toContain(`Line ${start + 12} of`);
    const current = (await page.locator('.line-editor-head .line-id').textContent())!;
    const base = findLine(savedDoc(project), current)!.line.baseline!.points;
    const v = await steadyView(page);
    const box = (await page.locator('.page-canvas').boundingBox())!;
    for (const p of [base[0]!, base.at(-1)!].map((q) => toScreen(v, q))) {
      expect(p.y).toBeGreaterThan(box.y);
      expect(p.y).toBeLessThan(box.y + box.height);
    }
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalHeight)).toBe(72);
    await shot(page, '26-next-line-followed');
    expect(pageErrors).toEqual([]);
  });
});
