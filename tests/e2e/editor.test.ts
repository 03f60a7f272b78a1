/**
 * The page editor in a real browser against `htr-studio serve`, on a real
 * corpus page: every edit is made with the mouse or keyboard as a person would,
 * saved with Ctrl+S, and checked in the PAGE-XML written to disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { allLines } from '../../electron/common/model/stats.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, findRegion, regionsInReadingOrder } from '../../electron/common/model/ops.js';
import type { PageDocument, Point } from '../../electron/common/model/types.js';
import { changedLines, save, savedDoc, serveFolder, shot, steadyView, tilesDrawn, toScreen, viewOf, type Project, openEditor, drag as dragMouse, type EditorSession } from './harness.js';

let project: Project;
let page: Page;
let pageErrors: string[] = [];
let session: EditorSession;

const baselineOf = (doc: PageDocument, id: string): readonly Point[] => findLine(doc, id)!.line.baseline!.points;
const textOf = (doc: PageDocument, id: string): string => findLine(doc, id)!.line.textEquivs[0]?.unicode ?? '';
const round = (p: Point): Point => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** The file as the writer would produce it with no edit: the reference for "only this changed". */
function unchangedWrite(xml: string): string {
  return writeDocument(readDocument(xml).doc).xml;
}

async function selectLineFromList(id: string, additive = false): Promise<void> {
  await page.locator(`.line-item[data-line="${id}"]`).click(additive ? { modifiers: ['Shift'] } : {});
}

async function expectInCanvas(p: Point): Promise<void> {
  const box = (await page.locator('.page-canvas').boundingBox())!;
  expect(p.x).toBeGreaterThan(box.x);
  expect(p.x).toBeLessThan(box.x + box.width);
  expect(p.y).toBeGreaterThan(box.y);
  expect(p.y).toBeLessThan(box.y + box.height);
}

const drag = (from: Point, to: Point): Promise<void> => dragMouse(page, from, to);

beforeAll(async () => {
  session = await openEditor();
  ({ project, page } = session);
  pageErrors = session.pageErrors;
});

afterAll(async () => {
  await session?.close();
});

describe('page editor in browser mode (timeuscorpus PH 1858-535)', () => {
  it('opens the page with its lines, reading order and image tiles', async () => {
    await expect.poll(() => page.locator('.line-item').count()).toBe(48);
    await expect.poll(() => page.locator('.order-item').count()).toBe(1);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
    await tilesDrawn(page);
    await shot(page, '01-page-fit-dark');
  });

  it('drags a baseline vertex at the fit zoom and saves exactly that move', async () => {
    const before = savedDoc(project);
    const pts = baselineOf(before, 'r2l10');
    const last = pts.length - 1;
    await selectLineFromList('r2l10');
    const v = await viewOf(page);
    expect(v.scale).toBeLessThan(0.3);
    const from = round(toScreen(v, pts[last]!));
    await drag(from, { x: from.x + 25, y: from.y + 15 });
    await save(page);
    const after = savedDoc(project);
    const moved = baselineOf(after, 'r2l10')[last]!;
    expect(moved.x).toBeCloseTo(pts[last]!.x + 25 / v.scale, -0.5);
    expect(moved.y).toBeCloseTo(pts[last]!.y + 15 / v.scale, -0.5);
    expect(Math.abs(moved.x - (pts[last]!.x + 25 / v.scale))).toBeLessThanOrEqual(1);
    expect(Math.abs(moved.y - (pts[last]!.y + 15 / v.scale))).toBeLessThanOrEqual(1);
    // Only that baseline (and the LastChange stamp) differ from an unedited write.
    const changed = changedLines(unchangedWrite(project.originalXml), fs.readFileSync(project.xmlFile, 'utf8'));
    expect(changed.filter((l) => !l.includes('<LastChange>'))).toEqual([expect.stringContaining('<Baseline points="789,1124 ')]);
    await expect.poll(() => page.getByRole('button', { name: 'Undo Move baseline point (Ctrl+Z)' }).isEnabled()).toBe(true);
  });

  it('drags a baseline vertex at a second zoom level by the same screen distance', async () => {
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('1'); // 100 %
    await page.keyboard.press('+'); // 125 %
    const before = savedDoc(project);
    await selectLineFromList('r2l20');
    const v = await steadyView(page);
    expect(v.scale).toBeCloseTo(1.25, 5);
    const pts = baselineOf(before, 'r2l20');
    // Point 3 of 21: on screen after the view scrolled the line's start into sight.
    const from = round(toScreen(v, pts[3]!));
    await expectInCanvas(from);
    await drag(from, { x: from.x + 25, y: from.y - 20 });
    await shot(page, '02-zoomed-vertex-drag');
    await save(page);
    const moved = baselineOf(savedDoc(project), 'r2l20')[3]!;
    expect(Math.abs(moved.x - (pts[3]!.x + 20))).toBeLessThanOrEqual(1);
    expect(Math.abs(moved.y - (pts[3]!.y - 16))).toBeLessThanOrEqual(1);
    expect(baselineOf(savedDoc(project), 'r2l20')[4]).toEqual(pts[4]);
  });

  it('draws a rectangle region', async () => {
    await page.keyboard.press('0'); // fit
    await page.keyboard.press('r');
    const v = await steadyView(page);
    const a = round(toScreen(v, { x: 150, y: 2500 }));
    const b = round(toScreen(v, { x: 650, y: 3300 }));
    await drag(a, b);
    await save(page);
    const doc = savedDoc(project);
    expect(doc.page.regions).toHaveLength(2);
    const region = doc.page.regions[1]!;
    expect(region.kind).toBe('TextRegion');
    const img = (s: Point): Point => ({ x: (s.x - v.left - v.x) / v.scale, y: (s.y - v.top - v.y) / v.scale });
    const [p0, , p2] = region.coords!.points;
    expect(Math.abs(p0!.x - img(a).x)).toBeLessThanOrEqual(1);
    expect(Math.abs(p0!.y - img(a).y)).toBeLessThanOrEqual(1);
    expect(Math.abs(p2!.x - img(b).x)).toBeLessThanOrEqual(1);
    expect(Math.abs(p2!.y - img(b).y)).toBeLessThanOrEqual(1);
    expect(region.coords!.points).toHaveLength(4);
    await expect.poll(() => page.locator('.order-item').count()).toBe(2);
    await shot(page, '03-region-drawn');
    await page.keyboard.press('v');
  });

  it('splits a line at a point and merges it back', async () => {
    const before = savedDoc(project);
    const original = textOf(before, 'r2l15');
    const pts = baselineOf(before, 'r2l15');
    await page.keyboard.press('s');
    const v = await viewOf(page);
    const at = round(toScreen(v, pts[10]!));
    await page.mouse.click(at.x, at.y);
    await save(page);
    const split = savedDoc(project);
    const x = Math.round((at.x - v.left - v.x) / v.scale);
    const left = findLine(split, 'r2l15')!;
    const newId = left.region.lines[left.region.lines.findIndex((l) => l.id === 'r2l15') + 1]!.id;
    expect(newId).not.toBe('r2l16');
    expect(baselineOf(split, 'r2l15').at(-1)!.x).toBe(x);
    expect(baselineOf(split, newId)[0]!.x).toBe(x);
    // The text is cut at the space nearest the split; nothing is lost.
    expect(`${textOf(split, 'r2l15')} ${textOf(split, newId)}`.trim()).toBe(original.trim());
    await expect.poll(() => page.locator('.line-item').count()).toBe(49);

    await page.keyboard.press('v');
    await selectLineFromList('r2l15');
    await selectLineFromList(newId, true);
    await shot(page, '04-two-lines-selected');
    await page.keyboard.press('m');
    await save(page);
    const merged = savedDoc(project);
    expect(findLine(merged, newId)).toBeUndefined();
    expect(textOf(merged, 'r2l15').trim()).toBe(original.trim());
    expect(baselineOf(merged, 'r2l15')[0]).toEqual(pts[0]);
    expect(baselineOf(merged, 'r2l15').at(-1)).toEqual(pts.at(-1));
    await expect.poll(() => page.locator('.line-item').count()).toBe(48);
  });

  it('reorders two regions with the keyboard and by dragging in the list', async () => {
    const drawn = savedDoc(project).page.regions[1]!.id;
    await page.locator(`.order-item[data-region="${drawn}"]`).click();
    await page.keyboard.press('Alt+ArrowUp');
    await save(page);
    let doc = savedDoc(project);
    expect(regionsInReadingOrder(doc)).toEqual([drawn, 'eSc_dummyblock_']);
    expect(doc.page.readingOrder?.root.items.map((i) => (i.kind === 'ref' ? i.regionRef : i.id))).toEqual([drawn, 'eSc_dummyblock_']);
    expect(doc.page.regions.map((r) => r.id)).toEqual([drawn, 'eSc_dummyblock_']);

    await page.locator('.order-item[data-region="eSc_dummyblock_"]').dragTo(page.locator(`.order-item[data-region="${drawn}"]`));
    await save(page);
    doc = savedDoc(project);
    expect(regionsInReadingOrder(doc)).toEqual(['eSc_dummyblock_', drawn]);
    expect(findRegion(doc, drawn)).toBeDefined();
  });

  it('corrects a line in the transcription panel; Enter moves to the next line', async () => {
    await selectLineFromList('r2l5');
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await expect.poll(() => input.inputValue()).toBe('dix centimes pour autant que la dame Jonquet a dépensé en art et de ');
    await input.fill('dix centimes pour autant que la dame Jonquet a dépensé en achat de');
    await input.press('Enter');
    await expect.poll(() => page.locator('.line-editor-head').textContent()).toContain('Line 12 of 48');
    await expect.poll(() => input.inputValue()).toMatch(/^fournitures devant servir/);
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot(page, '05-transcription');
    await save(page);
    expect(textOf(savedDoc(project), 'r2l5')).toBe('dix centimes pour autant que la dame Jonquet a dépensé en achat de');
    expect(textOf(savedDoc(project), 'r2l6')).toBe(textOf(readDocument(project.originalXml).doc, 'r2l6'));
  });

  it('undoes and redoes the text correction', async () => {
    const corrected = 'dix centimes pour autant que la dame Jonquet a dépensé en achat de';
    const undo = page.getByRole('button', { name: 'Undo Edit text (Ctrl+Z)' });
    await expect.poll(() => undo.isEnabled()).toBe(true);
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.line-item[data-line="r2l5"]').textContent()).toContain('en art et de');
    await save(page);
    expect(textOf(savedDoc(project), 'r2l5')).toBe('dix centimes pour autant que la dame Jonquet a dépensé en art et de ');
    await page.getByRole('button', { name: 'Redo Edit text (Ctrl+Shift+Z)' }).click();
    await expect.poll(() => page.locator('.line-item[data-line="r2l5"]').textContent()).toContain('en achat de');
    await save(page);
    expect(textOf(savedDoc(project), 'r2l5')).toBe(corrected);
  });

  it('keeps shortcut keys out of the text: Esc leaves the field, list + Enter edits, letters typed on the list edit the line, Ctrl+Z in the field reaches earlier lines', async () => {
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    // Esc: typing undone and out of the field; "0" is then fit-page, not a character in the line.
    await selectLineFromList('r2l7');
    await input.click();
    const before = await input.inputValue();
    await input.press('End');
    await input.type(' typo');
    await input.press('Escape');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(false);
    await expect.poll(() => input.inputValue()).toBe(before);
    await page.keyboard.press('+');
    await page.keyboard.press('0');
    expect(await input.inputValue()).toBe(before);
    expect(await page.locator('.line-item[data-line="r2l7"]').textContent()).not.toContain('0');
    // A click in the list, then Enter: editing that line, the caret at the end.
    await page.locator('.line-item[data-line="r2l8"]').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => page.locator('.line-editor-head .line-id').textContent()).toBe('r2l8');
    await input.press('Escape');
    // A letter typed on the list starts editing with it; tool keys (r: region tool) do not fire.
    await page.locator('.line-item[data-line="r2l9"]').click();
    const r9 = await input.inputValue();
    await page.keyboard.press('r');
    await expect.poll(() => input.inputValue()).toBe(`${r9}r`);
    expect(await page.locator('button[data-tool="region"]').getAttribute('aria-checked')).toBe('false');
    expect(await page.locator('button[data-tool="select"]').getAttribute('aria-checked')).toBe('true');
    await input.press('Enter');
    await expect.poll(() => page.locator('.line-item[data-line="r2l9"]').textContent()).toContain(`${r9}r`.trim());
    // Ctrl+Z in the field with nothing typed: the edit of the previous line is undone, the field keeps the focus.
    await expect.poll(() => page.locator('.line-editor-head .line-id').textContent()).not.toBe('r2l9');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.press('Control+z');
    await expect.poll(() => page.locator('.line-item[data-line="r2l9"]').textContent()).not.toContain(`${r9}r`.trim());
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.press('Control+Shift+z');
    await expect.poll(() => page.locator('.line-item[data-line="r2l9"]').textContent()).toContain(`${r9}r`.trim());
    await input.press('Control+z');
    await expect.poll(() => page.locator('.line-item[data-line="r2l9"]').textContent()).not.toContain(`${r9}r`.trim());
    expect(session.pageErrors).toEqual([]);
  });

  it('inserts special characters from the panel at the caret and by shortcode; the saved page has them', async () => {
    await selectLineFromList('r2l20');
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await input.click();
    await input.press('End');
    await page.getByText('Special characters').click();
    await page.getByRole('tab', { name: 'Medieval Latin' }).click();
    // The field keeps the focus: the character lands at its caret.
    await page.getByRole('button', { name: 'con / com (U+A76F)' }).click();
    await expect.poll(() => input.inputValue()).toMatch(/ꝯ$/);
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.type(' \\per');
    await expect.poll(() => input.inputValue()).toMatch(/ꝯ ꝑ$/);
    await input.type('e a\\bar');
    await expect.poll(() => input.inputValue()).toMatch(/ꝯ ꝑe a\u0304$/);
    await input.press('Enter');
    await save(page);
    // Stored in Unicode NFC (the project's default): a + combining macron is one character, ā.
    expect(textOf(savedDoc(project), 'r2l20')).toMatch(/ꝯ ꝑe \u0101$/);
    expect(session.pageErrors).toEqual([]);
  });

  it('draws MUFI private-use and Latin abbreviation characters with the Junicode the app ships, not as boxes', async () => {
    // The build copies the system's Junicode (fonts-junicode, which .ci/run installs) beside fonts.css.
    const loaded = await page.evaluate(async () => {
      const faces = await document.fonts.load('16px "Junicode HTR"', '\uE8B3\uA76F');
      return { faces: faces.map((f) => [f.family, f.status]), covered: document.fonts.check('16px "Junicode HTR"', '\uE8B3\uA76F') };
    });
    expect(loaded).toEqual({ faces: [['Junicode HTR', 'loaded']], covered: true });
    // The transcription field's font asks for it first, so a PUA character in a line is drawn with it.
    const family = await page.getByRole('textbox', { name: 'Text of the selected line' }).evaluate((el) => getComputedStyle(el).fontFamily);
    expect(family).toMatch(/^"Junicode HTR"/);
  });

  it('finds and replaces across the page as one edit, and one undo restores every line', async () => {
    const before = savedDoc(project);
    const all = allLines(before.page.regions);
    const withHit = all.filter((l) => /\bde\b/.test(textOf(before, l.id)));
    expect(withHit.length).toBeGreaterThan(3);
    await page.getByText('Find and replace', { exact: true }).click();
    await page.getByRole('searchbox', { name: 'Find in the lines' }).fill('\\bde\\b');
    await page.getByRole('checkbox', { name: 'Regular expression' }).check();
    await page.getByRole('checkbox', { name: 'Match case' }).check();
    const hits = all.reduce((n, l) => n + (textOf(before, l.id).match(/\bde\b/g)?.length ?? 0), 0);
    await expect.poll(() => page.locator('.find-summary [role="status"]').textContent()).toBe(`${hits} hits in ${withHit.length} lines`);
    await page.getByRole('textbox', { name: 'Replace with' }).fill('DE');
    await page.getByRole('button', { name: 'Replace all' }).click();
    await save(page);
    for (const l of withHit) expect(textOf(savedDoc(project), l.id)).toBe(textOf(before, l.id).replace(/\bde\b/g, 'DE'));
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await save(page);
    for (const l of withHit) expect(textOf(savedDoc(project), l.id)).toBe(textOf(before, l.id));
    await page.getByText('Find and replace', { exact: true }).click();
    expect(session.pageErrors).toEqual([]);
  });

  it('reorders lines within their region with Alt+↑ / Alt+↓ in the list, one undo step each', async () => {
    const before = savedDoc(project);
    const region = findLine(before, 'r2l30')!.region;
    const ids = region.lines.map((l) => l.id);
    const at = ids.indexOf('r2l30');
    await page.locator('.line-item[data-line="r2l30"]').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await save(page);
    const moved = findRegion(savedDoc(project), region.id)!.lines.map((l) => l.id);
    expect(moved.indexOf('r2l30')).toBe(at - 1);
    expect(moved[at]).toBe(ids[at - 1]);
    // The focus stays on the moved line: a second press moves it on.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-line'))).toBe('r2l30');
    await page.keyboard.press('Alt+ArrowDown');
    await save(page);
    expect(findRegion(savedDoc(project), region.id)!.lines.map((l) => l.id)).toEqual(ids);
    expect(session.pageErrors).toEqual([]);
  });

  it('undoes a whole vertex drag in one step', async () => {
    const before = savedDoc(project);
    await page.keyboard.press('0');
    await selectLineFromList('r2l30');
    const pts = baselineOf(before, 'r2l30');
    const v = await viewOf(page);
    const from = round(toScreen(v, pts.at(-1)!));
    await drag(from, { x: from.x - 10, y: from.y + 10 });
    await expect.poll(() => page.getByRole('button', { name: 'Undo Move baseline point (Ctrl+Z)' }).count()).toBe(1);
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByRole('button', { name: 'Undo Edit text (Ctrl+Z)' }).isEnabled()).toBe(true);
    // Back to what is on disk, nothing left to save (had an autosave written the drag meanwhile, the next one writes the undo).
    await expect.poll(() => baselineOf(savedDoc(project), 'r2l30'), { timeout: 20_000 }).toEqual(pts);
    await expect.poll(() => page.locator('.tb-save').isDisabled(), { timeout: 20_000 }).toBe(true);
  });

  it('looks right in the light theme too', async () => {
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await selectLineFromList('r2l8');
    await steadyView(page);
    await tilesDrawn(page);
    await shot(page, '06-light-theme');
    await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click();
    await shot(page, '07-shortcuts');
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});

describe('text tags of a line (Transkribus custom attribute)', () => {
  it('are shown in the properties panel with the characters they mark, and follow an edit of the text', async () => {
    const image = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#efe6d2' } }).jpeg().toBuffer();
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
<Page imageFilename="tags.jpg" imageWidth="800" imageHeight="400"><TextRegion id="r"><Coords points="10,10 790,10 790,390 10,390"/>
<TextLine id="l1" custom="readingOrder {index:0;} abbrev {offset:6; length:3; expansion:und;}"><Coords points="20,20 780,20 780,80 20,80"/><Baseline points="20,70 780,70"/><TextEquiv><Unicode>Gross und Klein</Unicode></TextEquiv></TextLine>
</TextRegion></Page></PcGts>`;
    const folder = await serveFolder({ 'tags.jpg': image, 'tags.xml': xml });
    try {
      const p = await folder.browser.newPage({ viewport: { width: 1440, height: 900 } });
      await p.goto(folder.server.url);
      await p.locator('.line-item[data-line="l1"]').click();
      const tags = p.getByRole('list', { name: 'Tags in this line' });
      await expect.poll(() => tags.textContent()).toContain('abbrev und expansion: und');
      const input = p.getByRole('textbox', { name: 'Text of the selected line' });
      await input.fill('Ja, Gross und Klein');
      await input.press('Enter');
      await p.locator('.line-item[data-line="l1"]').click();
      await expect.poll(() => tags.textContent()).toContain('abbrev und expansion');
      await input.fill('Ja, Gross Klein');
      await input.press('Enter');
      await p.locator('.status-notice', { hasText: 'the abbrev tag on the removed characters was dropped' }).waitFor();
    } finally {
      await folder.close();
    }
  });
});
