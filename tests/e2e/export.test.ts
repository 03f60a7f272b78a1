/**
 * Export from the editor in browser mode: the page as it is on screen (an
 * unsaved correction included) is converted by the engine and downloaded; the
 * project's own file is left alone. (The desktop app writes it where the native
 * save dialog says: tests/unit/server.test.ts, "desktop export".)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { findLine } from '../../electron/common/model/ops.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { SCHEMAS } from '../helpers/corpus.js';
import { openEditor, shot, TIMEUS_PAGE, type EditorSession } from './harness.js';

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditor();
  page = session.page;
});
afterAll(async () => session?.close());

describe('export page as (browser mode)', () => {
  it('downloads the page as ALTO 4 with the unsaved correction, schema-valid, and leaves the project file alone', async () => {
    await page.locator('.line-item[data-line="r2l7"]').click();
    const field = page.locator('.line-input');
    await field.fill('renvoi approuvé et exporté');
    await field.press('Enter');
    await expect.poll(() => page.locator('.line-item[data-line="r2l7"]').textContent()).toContain('exporté');

    await page.getByRole('button', { name: 'Export page as' }).click();
    await shot(page, '51-export-menu');
    const downloaded = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'ALTO 4' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe(`${TIMEUS_PAGE}.alto.xml`);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const { doc } = readDocument(text);
    expect(doc.format.kind).toBe('alto');
    expect(findLine(doc, 'r2l7')?.line.textEquivs[0]?.unicode).toBe('renvoi approuvé et exporté');
    expect((await validateAgainstXsd(text, SCHEMAS, doc.format)).valid).toBe(true);
    // Two notes: the region's Coords, and the corrected line's history, which ALTO has no place for.
    await page.locator('.status-notice', { hasText: `Exported ${TIMEUS_PAGE}.alto.xml (2 repairs for the schema, listed above)` }).waitFor();
    // The repair is listed where a browser user sees it (eScriptorium's dummy block has no Coords).
    const repairs = page.getByRole('region', { name: `What the export changed in ${TIMEUS_PAGE}.alto.xml so that its schema accepts it:` });
    expect(await repairs.textContent()).toContain('TextRegion without Coords: given the box of its lines');
    expect(await repairs.textContent()).toMatch(/UserDefined of a .* has no ALTO equivalent: dropped/);
    await repairs.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => repairs.count()).toBe(0);
    // The menu closed; the project's file has not been exported over (the edit is saved by autosave only).
    expect(await page.getByRole('menu').count()).toBe(0);
    expect(fs.readFileSync(session.project.xmlFile, 'utf8')).not.toContain('<alto');
  });

  it('closes the format menu with Esc without exporting', async () => {
    await page.getByRole('button', { name: 'Export page as' }).click();
    await expect.poll(() => page.getByRole('menuitem').count()).toBe(3);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
  });
});
