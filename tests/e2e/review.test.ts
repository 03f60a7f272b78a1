/**
 * Confidence-driven review down to the character, in a real browser on a real
 * corpus page (TIME US PH 1858-535 as PAGE 2019) read by the shipped handwriting
 * model: the characters the model was unsure of are marked in the line list, and
 * F8 in the line's text selects them run by run before moving to the next line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine } from '../../electron/common/model/ops.js';
import { charConfidences } from '../../electron/common/model/provenance.js';
import { nextUncertainChar, uncertainRunEnd } from '../../electron/common/transcription/review.js';
import { openFolder, TIMEUS_DIR, TIMEUS_PAGE } from './harness.js';

let folder: Awaited<ReturnType<typeof openFolder>>;
let page: Page;
const xmlFile = (): string => path.join(folder.dir, `${TIMEUS_PAGE}.xml`);
const THRESHOLD = 0.8;

beforeAll(async () => {
  const source = readDocument(fs.readFileSync(path.join(TIMEUS_DIR, 'page', `${TIMEUS_PAGE}.xml`), 'utf8')).doc;
  folder = await openFolder({ [`${TIMEUS_PAGE}.jpg`]: fs.readFileSync(path.join(TIMEUS_DIR, `${TIMEUS_PAGE}.jpg`)), [`${TIMEUS_PAGE}.xml`]: writeDocument(source, 'page-2019').xml });
  page = folder.page;
});

afterAll(async () => {
  await folder?.close();
});

describe('review by character confidence (htr-default on TIME US PH 1858-535)', () => {
  it('marks the unsure characters and F8 selects them run by run, then goes on to the next line', async () => {
    await page.getByRole('combobox', { name: 'Recognition model' }).selectOption('htr-default');
    await page.getByRole('checkbox', { name: 'Also replace corrected text (this run)' }).check();
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    await page.locator('.status-notice', { hasText: /^Done: 48 lines recognised/ }).waitFor({ timeout: 180_000 });
    await page.keyboard.press('Control+s');
    await page.locator('.tb-save:not(.is-dirty)').waitFor();
    const doc = readDocument(fs.readFileSync(xmlFile(), 'utf8')).doc;
    // Saved with the page: each machine line's character confidences, as many as its characters.
    const ids = await page.locator('.line-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-line')!));
    const confsOf = (id: string) => charConfidences(findLine(doc, id)!.line);
    expect(ids.every((id) => confsOf(id) !== undefined)).toBe(true);
    const unsureLines = ids.filter((id) => confsOf(id)!.some((c) => c < THRESHOLD));
    expect(unsureLines.length).toBeGreaterThan(1);
    const [a] = unsureLines as [string, string];
    const confs = confsOf(a)!;
    // The list marks exactly the unsure runs of that line.
    const runs: string[] = [];
    const text = (await page.locator(`.line-item[data-line="${a}"] .line-text`).textContent())!;
    for (let at = nextUncertainChar(confs, 0, THRESHOLD, 1); at !== undefined; at = nextUncertainChar(confs, uncertainRunEnd(confs, at, THRESHOLD), THRESHOLD, 1)) {
      runs.push(text.slice(at, uncertainRunEnd(confs, at, THRESHOLD)));
    }
    expect(await page.locator(`.line-item[data-line="${a}"] mark.char-unsure`).allTextContents()).toEqual(runs);

    // In the line's text, F8 selects each run in turn; past the last, the next unsure line opens at its first run.
    await page.locator(`.line-item[data-line="${a}"]`).click();
    await page.keyboard.press('Enter');
    const field = page.getByRole('textbox', { name: 'Text of the selected line' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('line-input'))).toBe(true);
    await page.keyboard.press('Home');
    const selected = () => field.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
    for (const run of runs) {
      await page.keyboard.press('F8');
      await expect.poll(selected).toBe(run);
    }
    await page.keyboard.press('F8');
    const next = unsureLines[unsureLines.indexOf(a) + 1]!;
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(next);
    const nextConfs = confsOf(next)!;
    const first = nextUncertainChar(nextConfs, 0, THRESHOLD, 1)!;
    const nextText = (await page.locator(`.line-item[data-line="${next}"] .line-text`).textContent())!;
    await expect.poll(selected).toBe(nextText.slice(first, uncertainRunEnd(nextConfs, first, THRESHOLD)));
    // Shift+F8 goes back within the line's runs (none before the first: back to the previous line's last).
    await page.keyboard.press('Shift+F8');
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(a);
    // A person's edit ends the marks: the text is no longer the model's.
    await page.keyboard.press('End');
    await page.keyboard.type('x');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`.line-item[data-line="${a}"] mark.char-unsure`).count()).toBe(0);
    expect(folder.pageErrors).toEqual([]);
  });
});
