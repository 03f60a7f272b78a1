/**
 * The editor in a smaller window (1280 × 800, a common laptop): a page shown whole
 * is refitted when the window changes size, a page the person zoomed is not, and
 * the Models panel shows all its controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { frames, openEditor, shot, type EditorSession } from './harness.js';

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditor();
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

const zoomShown = () => page.locator('.tb-zoom').textContent();
/** Whether an element lies wholly inside the window. */
const inside = async (selector: string): Promise<boolean> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
  });

describe('a 1280 × 800 window', () => {
  it('refits a page shown whole, keeps a zoomed one, and shows every model control', async () => {
    const before = await zoomShown();
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(zoomShown).not.toBe(before);
    const fitted = await zoomShown();
    // Zoomed by the person: a resize leaves the zoom alone.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('+');
    const zoomed = await zoomShown();
    expect(zoomed).not.toBe(fitted);
    await page.setViewportSize({ width: 1300, height: 820 });
    await frames(page);
    await frames(page);
    expect(await zoomShown()).toBe(zoomed);
    await page.keyboard.press('0');
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(zoomShown).toBe(fitted);
    for (const name of ['Recognise', 'Detect layout', 'Train a model on corrected pages…']) {
      const b = page.getByRole('button', { name, exact: true });
      expect(await b.isVisible()).toBe(true);
    }
    expect(await inside('.panel-jobs .jobs-buttons')).toBe(true);
    await shot(page, '34-1280x800');
    expect(session.pageErrors).toEqual([]);
  });
});

describe('commands from the keyboard', () => {
  it('runs any command from the palette (Ctrl+Shift+P), and the ? help lists every command with its keys', async () => {
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('+');
    const zoomed = await zoomShown();
    await page.keyboard.press('Control+Shift+P');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('fit pa');
    const first = palette.getByRole('option').first();
    expect(await first.getAttribute('data-command')).toBe('zoom-fit');
    expect(await first.locator('kbd').textContent()).toBe('0 / Ctrl+0');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'hidden' });
    await expect.poll(zoomShown).not.toBe(zoomed);
    // Arrows choose among the matches; Esc closes without running anything.
    await page.keyboard.press('Control+Shift+P');
    await palette.waitFor();
    await page.keyboard.type('tool');
    expect(await palette.getByRole('option').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });
    // The help: every command with keys, as the palette shows them.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const rows = await help.locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('kbd')?.textContent, tr.querySelector('td')?.textContent]));
    expect(rows).toContainEqual(['F8', 'Next Uncertain Line']);
    expect(rows).toContainEqual(['Ctrl+Shift+P', 'Command Palette…']);
    expect(rows).toContainEqual(['V', 'Select and Move']);
    await page.keyboard.press('Escape');
    expect(session.pageErrors).toEqual([]);
  });
});

describe('text as the person types it', () => {
  it('makes a character set of one\'s own with a shortcode, exports and imports sets; stores text in NFC unless set otherwise', async () => {
    await page.locator('.line-item[data-line="r2l7"]').click();
    await page.locator('.special-chars summary').click();
    await page.getByRole('textbox', { name: 'Name of a new set of your own' }).fill('Notaire');
    await page.getByRole('button', { name: 'New set', exact: true }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Notaire' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('textbox', { name: 'Character', exact: true }).fill('ꝑ');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('per (notary)');
    await page.getByRole('textbox', { name: 'Shortcode (letters)' }).fill('pnot');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('group', { name: 'Notaire' }).getByRole('button', { name: 'per (notary)', exact: true }).waitFor();
    // The shortcode works in the text at once.
    const field = page.getByRole('textbox', { name: 'Text of the selected line' });
    await field.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' \\pnot ');
    await expect.poll(() => field.inputValue()).toMatch(/ ꝑ $/);
    // Kept by the engine for every project: the file in the user data folder.
    const file = path.join(session.project.cacheDir, 'config', 'htr-studio', 'char-sets.json');
    await expect.poll(() => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).sets[0].chars[0]).toEqual({ char: 'ꝑ', name: 'per (notary)', code: 'pnot' });
    // Export downloads them; import adds a colleague's set.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export your sets' }).click();
    expect(JSON.parse(fs.readFileSync((await (await download).path())!, 'utf8')).sets[0].label).toBe('Notaire');
    await page.locator('.special-chars input[type="file"]').setInputFiles({ name: 'colleague.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ htrStudioCharSets: 1, sets: [{ label: 'Chrisme', chars: [{ char: '☧', name: 'chi rho' }] }] })) });
    await page.getByRole('tab', { name: 'Chrisme' }).waitFor();
    await page.locator('.special-chars input[type="file"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"sets": [{"label": ""}]}') });
    await page.locator('.special-chars [role="alert"]', { hasText: 'Not imported: set 1: no label' }).waitFor();

    // Text is stored in NFC: a decomposed é typed (or pasted) is one character in the page.
    await field.fill('Cafe\u0301 du notaire');
    await field.press('Enter');
    await expect.poll(() => page.locator('.line-item[data-line="r2l7"] .line-text').textContent()).toBe('Caf\u00e9 du notaire');
    // As typed, when the project says so.
    await page.getByRole('combobox', { name: 'Store text as' }).selectOption('none');
    await expect.poll(() => fs.existsSync(path.join(session.project.dir, 'htr-studio.json')) && JSON.parse(fs.readFileSync(path.join(session.project.dir, 'htr-studio.json'), 'utf8')).settings?.textNormalization).toBe('none');
    await page.locator('.line-item[data-line="r2l7"]').click();
    await field.fill('Cafe\u0301 bis');
    await field.press('Enter');
    await expect.poll(() => page.locator('.line-item[data-line="r2l7"] .line-text').textContent()).toBe('Cafe\u0301 bis');
    await page.getByRole('combobox', { name: 'Store text as' }).selectOption('NFC');
    await shot(page, '35-own-char-set');
    expect(session.pageErrors).toEqual([]);
  });
});

describe('languages for the catalogue', () => {
  it('says the project is in French, page by page, with the lines too unsure alone counted', async () => {
    await page.getByRole('button', { name: 'Languages…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Languages of the project, for the catalogue' });
    const total = dialog.locator('.accuracy-total');
    await total.waitFor({ timeout: 30_000 });
    expect(await total.getAttribute('data-languages')).toBe('fra');
    expect(await total.textContent()).toBe('All pages: French 100%.');
    const row = dialog.getByRole('table', { name: 'Languages per page' }).locator('tr').first();
    expect(await row.locator('td').first().textContent()).toBe('French 100%');
    expect(await row.locator('td').last().textContent()).toMatch(/^\d+ of \d+ lines unsure$/);
    await shot(page, '38-languages');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(session.pageErrors).toEqual([]);
  });
});
