/**
 * Find and replace across two pages (the open one and a saved one), one undo for
 * both — the acceptance case of the transcription workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { lineVersions } from '../../electron/common/model/provenance.js';
import { mapAllLines } from '../../electron/common/model/ops.js';
import { writeDocument } from '../../electron/common/formats/document-io.js';
import { openEditor, shot, TIMEUS_PAGE, type EditorSession } from './harness.js';

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditor({ copies: 1 });
  page = session.page;
});
afterAll(async () => session?.close());

describe('find and replace across pages', () => {
  it('lists hits on both pages, replaces them all, and one "Undo on all pages" puts both back', async () => {
    const other = path.join(session.project.dir, 'page', `${TIMEUS_PAGE} copy 1.xml`);
    const otherBefore = fs.readFileSync(other, 'utf8');
    await page.locator('.find-replace summary', { hasText: 'Find and replace' }).click();
    await page.getByRole('combobox', { name: 'Where to find' }).selectOption('project');
    await page.getByRole('searchbox', { name: 'Find in the lines' }).fill('Jonquet');
    const status = page.locator('.find-summary [role="status"]').first();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/ hits on 2 pages$/);
    const list = page.getByRole('list', { name: 'Hits' });
    expect(await list.locator(`.find-hit[data-page="${TIMEUS_PAGE} copy 1.jpg"]`).count()).toBeGreaterThan(2);
    await page.getByRole('textbox', { name: 'Replace with' }).fill('Jonquet-Martin');
    await page.getByRole('button', { name: 'Replace all on all pages' }).click();
    await page.locator('.find-replace [role="status"]', { hasText: /^Replaced \d+ on 2 pages/ }).waitFor({ timeout: 20_000 });
    // This page: replaced on screen (one undoable edit); the other page: saved, the person in its history.
    expect(await page.locator('.line-item .line-text', { hasText: 'Jonquet-Martin' }).count()).toBeGreaterThan(2);
    const saved = readDocument(fs.readFileSync(other, 'utf8')).doc;
    const changed = allLines(saved.page.regions).filter((l) => lineText(l).includes('Jonquet-Martin'));
    expect(changed.length).toBeGreaterThan(2);
    expect(lineVersions(changed[0]!).at(-1)?.by.kind).toBe('person');
    await shot(page, '37-replace-across-pages');

    await page.getByRole('button', { name: 'Undo on all pages' }).click();
    await page.locator('.find-replace [role="status"]', { hasText: 'Put back 2 pages.' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('.line-item .line-text', { hasText: 'Jonquet-Martin' }).count()).toBe(0);
    expect(fs.readFileSync(other, 'utf8')).toBe(otherBefore);
    // A hit on the other page opens it at its line.
    await page.getByRole('textbox', { name: 'Replace with' }).fill('');
    await page.getByRole('searchbox', { name: 'Find in the lines' }).fill('Jonquet');
    await expect.poll(() => list.locator(`.find-hit[data-page="${TIMEUS_PAGE} copy 1.jpg"]`).count(), { timeout: 20_000 }).toBeGreaterThan(2);
    const hit = list.locator(`.find-hit[data-page="${TIMEUS_PAGE} copy 1.jpg"]`).first();
    const line = (await hit.getAttribute('data-line'))!;
    await hit.click();
    await expect.poll(() => page.locator('.crumb').textContent()).toBe(`${TIMEUS_PAGE} copy 1`);
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(line);
    expect(session.pageErrors).toEqual([]);
  });

  it('F8 past the last uncertain line of the open page goes on to the next page that has one, at that line', async () => {
    // The open page (copy 1) has people's text only; the other page gets one machine line at 42%.
    const first = session.project.xmlFile;
    const doc = readDocument(fs.readFileSync(first, 'utf8')).doc;
    const target = allLines(doc.page.regions)[9]!.id;
    fs.writeFileSync(first, writeDocument(mapAllLines(doc, (l) => (l.id === target ? { ...l, textEquivs: [{ ...l.textEquivs[0]!, conf: 0.42 }] } : l))).xml);
    await expect.poll(() => page.locator('.crumb').textContent()).toBe(`${TIMEUS_PAGE} copy 1`);
    // Pressed in a line's text: the review goes on in the text of the line it opens.
    await page.locator('.line-item').first().click();
    await page.keyboard.press('Enter');
    const field = page.getByRole('textbox', { name: 'Text of the selected line' });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('F8');
    await expect.poll(() => page.locator('.crumb').textContent(), { timeout: 20_000 }).toBe(TIMEUS_PAGE);
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(target);
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await field.inputValue()).toBe(await page.locator(`.line-item[data-line="${target}"] .line-text`).textContent());
    // On that page it is the one uncertain line; no other page has one: F8 stays on it.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('F8');
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(target);
    expect(await page.locator('.crumb').textContent()).toBe(TIMEUS_PAGE);
    expect(session.pageErrors).toEqual([]);
  });
});
