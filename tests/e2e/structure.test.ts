/**
 * Structure edits in a real browser on the timeuscorpus page: moving lines to
 * another text region, setting the reading order by clicking regions in turn,
 * and autosave. Each result is checked in the PAGE-XML written to disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, regionsInReadingOrder, setLineText } from '../../electron/common/model/ops.js';
import { lineVersions } from '../../electron/common/model/provenance.js';
import type { PageDocument, Point } from '../../electron/common/model/types.js';
import { bbox } from '../../electron/common/model/points.js';
import { drag, openEditor, save, savedDoc, shot, toScreen, viewOf, type EditorSession, type Project } from './harness.js';

let session: EditorSession;
let project: Project;
let page: Page;

const round = (p: Point): Point => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** The `<TextLine id="…">…</TextLine>` element of a file, each line trimmed (indentation may differ). */
function lineElement(xml: string, id: string): string {
  const start = xml.indexOf(`<TextLine id="${id}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = xml.indexOf('</TextLine>', start);
  return xml.slice(start, end + '</TextLine>'.length).split('\n').map((l) => l.trim()).join('\n');
}

/** The `<TextRegion id="…">…</TextRegion>` element of a file (text regions here do not nest). */
function regionElement(xml: string, id: string): string {
  const start = xml.indexOf(`<TextRegion id="${id}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  return xml.slice(start, xml.indexOf('</TextRegion>', start));
}

async function drawRegion(from: Point, to: Point): Promise<string> {
  const before = new Set(savedDoc(project).page.regions.map((r) => r.id));
  const n = await page.locator('.order-item').count();
  await page.locator('.page-canvas').focus();
  await page.keyboard.press('0');
  await page.keyboard.press('r');
  const v = await viewOf(page);
  await drag(page, round(toScreen(v, from)), round(toScreen(v, to)));
  await expect.poll(() => page.locator('.order-item').count()).toBe(n + 1);
  await page.keyboard.press('v');
  await save(page);
  return savedDoc(project).page.regions.find((r) => !before.has(r.id))!.id;
}

/** Clicks the middle of a region's outline (as saved) on the canvas, or for a region without one (eScriptorium's dummy block) a line of it. */
async function clickRegion(doc: PageDocument, id: string): Promise<void> {
  const region = doc.page.regions.find((r) => r.id === id)!;
  const b = bbox(region.coords?.points ?? [])!;
  const base = region.lines[Math.floor(region.lines.length / 2)]?.baseline?.points;
  const at = b ? { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 } : base![Math.floor(base!.length / 2)]!;
  const p = round(toScreen(await viewOf(page), at));
  await page.mouse.click(p.x, p.y);
}

const orderShown = (): Promise<(string | null)[]> => page.locator('.order-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-region')));

/** The ReadingOrder as written: region refs by index. */
function fileOrder(doc: PageDocument): string[] {
  const items = [...doc.page.readingOrder!.root.items].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return items.map((i) => (i.kind === 'ref' ? i.regionRef : i.id));
}

beforeAll(async () => {
  session = await openEditor();
  ({ project, page } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('structure edits (timeuscorpus PH 1858-535)', () => {
  let second = '';

  it('moves lines to another text region: with the panel control and with Shift+M, Enter', async () => {
    second = await drawRegion({ x: 150, y: 2500 }, { x: 650, y: 3300 });
    await page.locator('.line-item[data-line="r2l5"]').click();
    const list = page.locator('select[name="move-to-region"]');
    await expect.poll(() => list.inputValue()).toBe(second);
    await shot(page, '40-move-to-region');
    await page.locator('.move-to-region-button').click();
    await expect.poll(() => page.getByRole('button', { name: 'Undo Move lines to region (Ctrl+Z)' }).count()).toBe(1);
    // The keyboard path, for another line.
    await page.locator('.line-item[data-line="r2l7"]').click();
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Shift+M');
    await expect.poll(() => list.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    // Moved: the list now offers the region it came from.
    await expect.poll(() => list.inputValue()).toBe('eSc_dummyblock_');
    await save(page);
    const xml = fs.readFileSync(project.xmlFile, 'utf8');
    // The reference: the original file as the writer writes it unedited.
    const unedited = writeDocument(readDocument(project.originalXml).doc).xml;
    const doc = savedDoc(project);
    for (const id of ['r2l5', 'r2l7']) {
      expect(findLine(doc, id)!.region.id).toBe(second);
      // Inside that TextRegion element in the file, and the line element itself as it was: Coords, Baseline, TextEquiv.
      expect(regionElement(xml, second)).toContain(`<TextLine id="${id}"`);
      expect(lineElement(xml, id)).toBe(lineElement(unedited, id));
      expect(regionElement(xml, 'eSc_dummyblock_')).not.toContain(`<TextLine id="${id}"`);
    }
    expect(findLine(doc, 'r2l6')!.region.id).toBe('eSc_dummyblock_');
    expect(doc.page.regions.find((r) => r.id === second)!.lines.map((l) => l.id)).toEqual(['r2l5', 'r2l7']);
    // One undo step each.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await save(page);
    expect(findLine(savedDoc(project), 'r2l7')!.region.id).toBe('eSc_dummyblock_');
    expect(findLine(savedDoc(project), 'r2l5')!.region.id).toBe(second);
    expect(session.pageErrors).toEqual([]);
  });

  it('sets the reading order by clicking regions in turn; regions not clicked follow; Enter or Esc finishes', async () => {
    const third = await drawRegion({ x: 150, y: 3500 }, { x: 650, y: 4200 });
    let doc = savedDoc(project);
    expect(regionsInReadingOrder(doc)).toEqual(['eSc_dummyblock_', second, third]);
    // The toolbar button; click the last two in reverse, Enter finishes.
    await page.getByRole('radio', { name: /^Order by clicking/ }).click();
    await clickRegion(doc, third);
    await expect.poll(orderShown).toEqual([third, 'eSc_dummyblock_', second]); // live
    await clickRegion(doc, second);
    await expect.poll(orderShown).toEqual([third, second, 'eSc_dummyblock_']);
    await clickRegion(doc, third); // a second click on a region changes nothing
    await shot(page, '41-order-by-clicking');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.page-canvas').getAttribute('data-tool')).toBe('select');
    await expect.poll(() => page.getByRole('button', { name: 'Undo Set reading order (Ctrl+Z)' }).count()).toBe(1);
    await save(page);
    doc = savedDoc(project);
    expect(fileOrder(doc)).toEqual([third, second, 'eSc_dummyblock_']);
    expect(regionsInReadingOrder(doc)).toEqual([third, second, 'eSc_dummyblock_']);
    expect(fs.readFileSync(project.xmlFile, 'utf8')).toMatch(new RegExp(`<RegionRefIndexed index="0" regionRef="${third}"/>\\s*<RegionRefIndexed index="1" regionRef="${second}"/>\\s*<RegionRefIndexed index="2" regionRef="eSc_dummyblock_"/>`));

    // The shortcut, one click, Esc finishes: that region first, the others as they were.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Shift+O');
    await expect.poll(() => page.locator('.page-canvas').getAttribute('data-tool')).toBe('order');
    await clickRegion(doc, 'eSc_dummyblock_');
    await expect.poll(orderShown).toEqual(['eSc_dummyblock_', third, second]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.page-canvas').getAttribute('data-tool')).toBe('select');
    await save(page);
    expect(fileOrder(savedDoc(project))).toEqual(['eSc_dummyblock_', third, second]);

    // One undo step per ordering.
    await page.keyboard.press('Control+z');
    await expect.poll(orderShown).toEqual([third, second, 'eSc_dummyblock_']);
    await save(page);
    expect(fileOrder(savedDoc(project))).toEqual([third, second, 'eSc_dummyblock_']);
    expect(session.pageErrors).toEqual([]);
  });

  it('autosaves a few seconds after the last edit, without Save; the status says so', async () => {
    const before = fs.readFileSync(project.xmlFile, 'utf8');
    const status = page.locator('.save-status');
    await expect.poll(() => status.textContent()).toBe('Saved');
    await page.locator('.line-item[data-line="r2l8"]').click();
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await input.fill('autosaved text');
    await input.press('Enter');
    await expect.poll(() => status.textContent()).toBe('Unsaved changes');
    await shot(page, '42-unsaved');
    // Not at once: a few seconds after the edit.
    expect(fs.readFileSync(project.xmlFile, 'utf8')).toBe(before);
    await expect.poll(() => findLine(savedDoc(project), 'r2l8')!.line.textEquivs[0]?.unicode, { timeout: 20_000 }).toBe('autosaved text');
    await expect.poll(() => status.textContent()).toBe('Saved');
    await expect.poll(() => page.locator('.tb-save.is-dirty').count()).toBe(0);
    // Only that line's text and its history (and the LastChange stamp) changed.
    const after = fs.readFileSync(project.xmlFile, 'utf8');
    const history = /^\s*<\/?UserDefined>$|^\s*<UserAttribute name="htr-studio:/;
    const kept = after.split('\n').filter((l) => !history.test(l));
    const changed = kept.filter((l, i) => l !== before.split('\n')[i]);
    expect(kept.length).toBe(before.split('\n').length);
    expect(changed.filter((l) => !l.includes('<LastChange>'))).toEqual([expect.stringContaining('<Unicode>autosaved text</Unicode>')]);
    expect(lineVersions(findLine(savedDoc(project), 'r2l8')!.line).map((v) => [v.by.kind, v.text])).toEqual([['unknown', expect.stringContaining('demoiselle Lucas')], ['person', 'autosaved text']]);
  });

  it('shows a failed autosave and keeps the edit: the page stays unsaved until a save succeeds', async () => {
    const before = fs.readFileSync(project.xmlFile, 'utf8');
    await page.route('**/api/call/savePage', (route) => route.fulfill({ status: 500, contentType: 'text/plain', body: 'disk full' }));
    const status = page.locator('.save-status');
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await page.locator('.line-item[data-line="r2l9"]').click();
    await input.fill('not yet saved');
    await input.press('Enter');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 20_000 }).toBe('error');
    await expect.poll(() => page.locator('.status-notice').textContent()).toContain('Not saved');
    expect(await status.getAttribute('title')).toContain('disk full');
    await shot(page, '43-autosave-failed');
    expect(fs.readFileSync(project.xmlFile, 'utf8')).toBe(before);
    expect(await page.locator('.tb-save.is-dirty').count()).toBe(1);
    expect(await page.locator('.line-item[data-line="r2l9"]').textContent()).toContain('not yet saved');
    await page.unroute('**/api/call/savePage');
    await save(page);
    expect(findLine(savedDoc(project), 'r2l9')!.line.textEquivs[0]?.unicode).toBe('not yet saved');
    await expect.poll(() => status.textContent()).toBe('Saved');
    expect(session.pageErrors).toEqual([]);
  });
});

describe('a page saved elsewhere meanwhile', () => {
  /** Writes the page file as another window or program would: one line's text changed. */
  function saveElsewhere(lineId: string, text: string): void {
    fs.writeFileSync(project.xmlFile, writeDocument(setLineText(savedDoc(project), lineId, text)).xml);
  }

  it('refuses to overwrite it, then merges the person\'s line edits into it when asked: both edits are kept', async () => {
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('Saved');
    saveElsewhere('r2l11', 'written in another window');
    await page.locator('.line-item[data-line="r2l10"]').click();
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await input.fill('written here');
    await input.press('Enter');
    await page.keyboard.press('Control+s');
    const bar = page.getByRole('alertdialog');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('Your 1 line edit can go into the saved version');
    await shot(page, '44-save-conflict');
    // Nothing was overwritten; autosave waits for the choice.
    expect(findLine(savedDoc(project), 'r2l10')!.line.textEquivs[0]?.unicode).not.toBe('written here');
    await bar.getByRole('button', { name: 'Merge into the saved version' }).click();
    await expect.poll(() => findLine(savedDoc(project), 'r2l10')!.line.textEquivs[0]?.unicode, { timeout: 20_000 }).toBe('written here');
    expect(findLine(savedDoc(project), 'r2l11')!.line.textEquivs[0]?.unicode).toBe('written in another window');
    expect(await page.locator('.line-item[data-line="r2l11"]').textContent()).toContain('written in another window');
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('Saved');
    expect(session.pageErrors).toEqual([]);
  });

  it('takes the saved version when asked, and Undo gives the person\'s own back', async () => {
    saveElsewhere('r2l12', 'their version');
    await page.locator('.line-item[data-line="r2l12"]').click();
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await input.fill('my version');
    await input.press('Enter');
    await page.keyboard.press('Control+s');
    const bar = page.getByRole('alertdialog');
    await bar.waitFor();
    // Both changed r2l12: nothing of ours merges, so the choice is between the two versions.
    expect(await bar.getByRole('button', { name: 'Merge into the saved version' }).count()).toBe(0);
    await bar.getByRole('button', { name: 'Use the saved version' }).click();
    await expect.poll(() => page.locator('.line-item[data-line="r2l12"]').textContent()).toContain('their version');
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('Saved');
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.line-item[data-line="r2l12"]').textContent()).toContain('my version');
    await save(page);
    expect(findLine(savedDoc(project), 'r2l12')!.line.textEquivs[0]?.unicode).toBe('my version');
    expect(session.pageErrors).toEqual([]);
  });
});

describe('autosave when leaving a page', () => {
  it('saves the open page before opening another, without asking', async () => {
    const s = await openEditor({ copies: 1 });
    try {
      const dialogs: string[] = [];
      s.page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
      await s.page.evaluate(() => localStorage.setItem('htr-studio-autosave-ms', '600000')); // only leaving saves here
      await s.page.reload();
      await s.page.locator('.line-item').first().waitFor();
      await s.page.locator('.line-item[data-line="r2l3"]').click();
      const input = s.page.getByRole('textbox', { name: 'Text of the selected line' });
      await input.fill('saved on leaving');
      await input.press('Enter');
      await expect.poll(() => s.page.locator('.save-status').textContent()).toBe('Unsaved changes');
      expect(findLine(savedDoc(s.project), 'r2l3')!.line.textEquivs[0]?.unicode).not.toBe('saved on leaving');
      await s.page.locator('.page-item', { hasText: 'copy 1' }).click();
      await expect.poll(() => s.page.locator('.page-item.is-current').textContent()).toContain('copy 1');
      expect(findLine(savedDoc(s.project), 'r2l3')!.line.textEquivs[0]?.unicode).toBe('saved on leaving');
      expect(dialogs).toEqual([]);
      expect(s.pageErrors).toEqual([]);
    } finally {
      await s.page.evaluate(() => localStorage.removeItem('htr-studio-autosave-ms')).catch(() => undefined);
      await s.close();
    }
  });
});
