/**
 * A crash loses no edit: the editor's unsaved edits reach the engine's journal
 * within a second; the engine is killed (SIGKILL) before any save; a new engine on
 * the same project opens the page, offers the edits back, and they are restored and
 * saved.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { findLine } from '../../electron/common/model/ops.js';
import { launchBrowser, makeProject, savedDoc, shot, startServer, type Server } from './harness.js';

const project = makeProject();
let browser: Browser | undefined;
let server: Server | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(project.dir, { recursive: true, force: true });
  fs.rmSync(project.cacheDir, { recursive: true, force: true });
});

describe('the journal of unsaved edits', () => {
  it('offers the edits back after the engine was killed before saving them', async () => {
    server = await startServer(project);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // No autosave in this window: the edit must survive on the journal alone.
    await page.addInitScript(() => localStorage.setItem('htr-studio-autosave-ms', '0'));
    await page.goto(server.url);
    await page.locator('.line-item[data-line="r2l7"]').click();
    const field = page.getByRole('textbox', { name: 'Text of the selected line' });
    await field.fill('corrigé avant la panne');
    await field.press('Enter');
    const journal = path.join(project.dir, '.htr-studio', 'journal');
    // The entry itself, not its temporary file: on a slow disk the kill could
    // otherwise land between the write and the rename, and nothing would be there.
    const entries = (): string[] => (fs.existsSync(journal) ? fs.readdirSync(journal).filter((f) => f.endsWith('.json')) : []);
    await expect.poll(() => entries().length, { timeout: 10_000 }).toBe(1);
    expect(fs.readFileSync(project.xmlFile, 'utf8')).toBe(project.originalXml);

    server.child.kill('SIGKILL');
    await new Promise((r) => server!.child.once('exit', r));
    await page.close();
    server = await startServer(project);
    const again = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await again.goto(server.url);
    const offer = again.getByRole('alertdialog', { name: /were never saved/ });
    await offer.waitFor({ timeout: 30_000 });
    await shot(again, '36-journal-offer');
    await offer.getByRole('button', { name: 'Restore the unsaved edits' }).click();
    await expect.poll(() => again.locator('.line-item[data-line="r2l7"] .line-text').textContent()).toBe('corrigé avant la panne');
    await again.keyboard.press('Control+s');
    await expect.poll(() => findLine(savedDoc(project), 'r2l7')?.line.textEquivs[0]?.unicode).toBe('corrigé avant la panne');
    await expect.poll(() => entries().length).toBe(0);
  });
});
