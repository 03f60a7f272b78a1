/**
 * The editor in a smaller window (1280 × 800, a common laptop): a page shown whole
 * is refitted when the window changes size, a page the person zoomed is not, and
 * the Models panel shows all its controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openEditor, shot, type EditorSession } from './harness.js';

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
    await page.waitForTimeout(300);
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
