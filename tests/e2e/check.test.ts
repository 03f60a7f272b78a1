/**
 * The ground-truth check in the editor, on a page made with one line per defect
 * (tests/helpers/planted-gt.ts): every problem is listed on its line, a click goes
 * to the line, the safe fixes apply as one undoable edit, and the saved page has
 * them (and `htr-studio check` agrees).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { checkGroundTruth } from '../../electron/common/gt/gt-checks.js';
import { canFix } from '../../electron/common/gt/gt-fixes.js';
import { planted } from '../helpers/planted-gt.js';
import { openFolder, shot, type FolderSession } from './harness.js';

let folder: FolderSession;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  const image = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: '#f4efe4' } }).png().toBuffer();
  const opened = await openFolder({ 'p.png': image, 'p.xml': planted });
  ({ page, pageErrors } = opened);
  folder = opened;
});

afterAll(async () => {
  await folder?.close();
});

describe('ground-truth check of the open page', () => {
  it('lists every planted problem, goes to its line, and fixes the safe ones as one undoable edit', async () => {
    const expected = checkGroundTruth(readDocument(planted).doc);
    await page.locator('.check-panel summary').click();
    const list = page.getByRole('list', { name: 'Problems found' });
    await expect.poll(() => list.locator('.check-problem').count()).toBe(expected.length);
    expect(await list.locator('.check-problem').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-rule')}:${e.getAttribute('data-line') ?? ''}`)))
      .toEqual(expected.map((p) => `${p.rule}:${p.id}`));
    // A click on a problem selects its line.
    await list.locator('.check-problem[data-line="baseout"] .find-hit').click();
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe('baseout');

    const fixable = expected.filter(canFix).length;
    await page.getByRole('button', { name: `Fix ${fixable} safely` }).click();
    await expect.poll(() => list.locator('.check-problem').count()).toBe(expected.length - fixable);
    expect(await list.locator('.check-problem[data-rule="text-not-nfc"]').count()).toBe(0);
    await shot(page, '33-gt-check');
    // One undo brings them all back; redo fixes them again.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => list.locator('.check-problem').count()).toBe(expected.length);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => list.locator('.check-problem').count()).toBe(expected.length - fixable);

    await page.keyboard.press('Control+s');
    await page.locator('.tb-save:not(.is-dirty)').waitFor();
    await expect.poll(() => checkGroundTruth(readDocument(fs.readFileSync(path.join(folder.dir, 'p.xml'), 'utf8')).doc).filter(canFix).length).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
