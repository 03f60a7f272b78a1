/**
 * Import from the editor (browser mode): a PDF rendered into pages (a long one
 * cancelled half-way), and a IIIF manifest served by a local test server, fetched with
 * progress; a cancelled import leaves the project as it was, and a rerun brings the pages in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { makePdf } from '../helpers/pdf-writer.js';
import { startIiifServer, type IiifServer } from '../helpers/iiif-server.js';
import type { Browser } from 'playwright-core';
import { launchBrowser, openEditor, shot, startServer, type EditorSession, type Server } from './harness.js';

let session: EditorSession;
let page: Page;
let iiif: IiifServer;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-import-'));
  iiif = await startIiifServer();
  session = await openEditor();
  page = session.page;
});
afterAll(async () => {
  await session?.close();
  await iiif?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Whether the page list shows a page of that name. */
const listed = (name: string): Promise<number> => page.locator('.page-item .page-name', { hasText: name }).count();
const projectImages = (): string[] => fs.readdirSync(session.project.dir).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();

async function startImport(source: string, dpi?: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Import into the project' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Import…' }).click();
  await dialog.locator('textarea').fill(source);
  if (dpi) await dialog.getByLabel('PDF pages at (dpi)').fill(dpi);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
}

describe('import (browser mode)', () => {
  it('a PDF: its pages rendered and listed', async () => {
    const pdf = path.join(tmp, 'register.pdf');
    fs.writeFileSync(pdf, makePdf([{ width: 144, height: 72, content: '0 0 1 rg 36 18 72 36 re f' }, { width: 72, height: 144, content: '1 0 0 rg 0 0 36 36 re f' }]));
    await startImport(pdf, '72');
    const dialog = page.getByRole('dialog', { name: 'Import into the project' });
    await dialog.getByRole('status').filter({ hasText: 'Done: imported 2 page(s).' }).waitFor({ timeout: 60_000 });
    await shot(page, '60-import-pdf');
    for (const n of ['register_0001', 'register_0002']) await expect.poll(() => listed(n)).toBe(1);
    expect(projectImages()).toEqual(expect.arrayContaining(['register_0001.png', 'register_0002.png']) as unknown as string[]);
  });

  it('a long PDF: progress page by page, and cancel leaves the project as it was', async () => {
    const before = projectImages();
    const pdf = path.join(tmp, 'long.pdf');
    // 80 A4 pages at 300 dpi: long enough to cancel on the way, also on a fast machine.
    fs.writeFileSync(pdf, makePdf(Array.from({ length: 80 }, (_, i) => ({ width: 595, height: 842, content: `0 g 72 ${72 + (i % 35) * 20} 400 12 re f` }))));
    await startImport(pdf, '300');
    const dialog = page.getByRole('dialog', { name: 'Import into the project' });
    const progress = dialog.getByRole('group', { name: 'Importing…' });
    await expect.poll(() => progress.locator('.import-label').textContent(), { timeout: 60_000 }).toMatch(/long\.pdf page ([2-9]|[1-7]\d)$/);
    expect(Number(await progress.locator('.job-pct').textContent().then((t) => t?.replace('%', '')))).toBeLessThan(100);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Cancelled; the project is as it was.' }).waitFor({ timeout: 60_000 });
    expect(projectImages()).toEqual(before);
    expect(fs.readdirSync(path.join(session.project.dir, '.htr-studio')).filter((f) => f.startsWith('import-'))).toEqual([]);
  });

  it('a IIIF manifest from a local server: progress while fetching, cancel leaves the project as it was, a rerun imports', async () => {
    const before = projectImages();
    iiif.slowMs = 1500;
    await startImport(`${iiif.base}/v3/manifest.json`);
    const dialog = page.getByRole('dialog', { name: 'Import into the project' });
    const progress = dialog.getByRole('group', { name: 'Importing…' });
    await progress.waitFor();
    await expect.poll(() => progress.locator('.import-label').textContent(), { timeout: 30_000 }).toContain(iiif.base);
    await shot(page, '61-import-iiif-progress');
    const cancel = progress.getByRole('button', { name: 'Cancel' });
    await expect.poll(() => cancel.isEnabled()).toBe(true);
    await cancel.click();
    await dialog.getByRole('status').filter({ hasText: 'Cancelled; the project is as it was.' }).waitFor({ timeout: 30_000 });
    expect(projectImages()).toEqual(before);

    iiif.slowMs = 0;
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'Done: imported 3 page(s).' }).waitFor({ timeout: 60_000 });
    for (const n of ['0001_p. 1', '0002_p. 2', '0003_p. 3']) await expect.poll(() => listed(n)).toBe(1);
    expect(projectImages().length).toBe(before.length + 3);
  });

  it('a refusal is shown in the dialog and nothing changes', async () => {
    const before = projectImages();
    await startImport(`${iiif.base}/huge/manifest.json`);
    const dialog = page.getByRole('dialog', { name: 'Import into the project' });
    await dialog.getByRole('alert').filter({ hasText: 'more than the 200.0 MB an image may have; refused' }).waitFor({ timeout: 30_000 });
    expect(projectImages()).toEqual(before);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});

describe('import from the start screen (no project open)', () => {
  let server: Server;
  let browser: Browser;
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-import-start-'));
    server = await startServer({ dir: root, cacheDir: root, xmlFile: '', originalXml: '' }, { startScreen: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates the project in the folder named, imports into it, and opens it', async () => {
    const start = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await start.goto(server.url);
    await start.getByRole('button', { name: 'Import…' }).click();
    const dialog = start.getByRole('dialog', { name: 'Import into a new project' });
    const dir = path.join(root, 'letters');
    const pdf = path.join(root, 'letters.pdf');
    fs.writeFileSync(pdf, makePdf([{ width: 72, height: 72, content: '0 g 10 10 20 20 re f' }]));
    await dialog.getByLabel('Folder for the new project').fill(dir);
    await dialog.locator('textarea').fill(pdf);
    await dialog.getByLabel('PDF pages at (dpi)').fill('72');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await start.locator('.page-item .page-name', { hasText: 'letters_0001' }).waitFor({ timeout: 60_000 });
    expect(fs.readdirSync(dir).sort()).toEqual(['.htr-studio', 'htr-studio.json', 'letters_0001.png', 'mets.xml']);
  });
});
