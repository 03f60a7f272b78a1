/**
 * The start screen (#18 item 7) in a real browser against `htr-studio serve
 * --start-screen` (no project): it shows; "Open the sample" opens the sample's copy
 * in one click with its page list; the sample is then a recent project; "New project"
 * creates an empty project and switches to it (the lock moves); a recent project
 * whose folder is gone is greyed and can be removed; a missing folder typed in is
 * refused with a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO } from '../helpers/corpus.js';
import { launchBrowser, shot, startServer, type Server } from './harness.js';

const SAMPLE_PAGES = fs.readdirSync(path.join(REPO, 'assets', 'sample')).filter((f) => f.endsWith('.jpg')).length;

let root: string;
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Where the server's user data folder is (the harness gives each server its own). */
const userData = (): string => path.join(root, 'config', 'htr-studio');

const startScreen = () => page.getByRole('main', { name: 'Start screen: open or create a project' });
const recentItems = () => page.getByRole('list', { name: 'Recent projects' }).getByRole('listitem');

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-start-'));
  server = await startServer({ dir: root, cacheDir: root, xmlFile: '', originalXml: '' }, { startScreen: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('the start screen (browser mode, no project open)', () => {
  it('shows the start screen: no recent project yet, import (tests/e2e/import.test.ts), where models and the log are', async () => {
    await startScreen().waitFor();
    await page.getByText('No project opened yet.').waitFor();
    const importButton = page.getByRole('button', { name: 'Import…' });
    expect(await importButton.isDisabled()).toBe(false);
    // The models folder and this session's log, as paths (browser mode shows no file manager buttons).
    await page.locator('.start-path', { hasText: 'models' }).waitFor();
    expect(await page.locator('.start-path', { hasText: /session-.*\.log$/ }).textContent()).toContain(path.join(userData(), 'logs'));
    expect(await page.getByRole('button', { name: 'Show the models folder' }).count()).toBe(0);
    await shot(page, '70-start-screen');
  });

  it('opens the sample with one click: its copy in the user data folder, its pages listed', async () => {
    await page.getByRole('button', { name: 'Open the sample' }).click();
    const list = page.getByRole('list', { name: 'Pages of the project' });
    await list.waitFor({ timeout: 60_000 });
    await expect.poll(() => list.locator('.page-item').count()).toBe(SAMPLE_PAGES);
    await page.locator('.page-canvas canvas').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.project-name').textContent()).toBe('sample');
    expect(fs.readdirSync(path.join(userData(), 'sample', 'page')).filter((f) => f.endsWith('.xml'))).toHaveLength(SAMPLE_PAGES);
    expect(fs.existsSync(path.join(userData(), 'sample', '.htr-studio', 'lock'))).toBe(true);
  });

  it('lists the sample under the recent projects; "New project" creates one and switches to it', async () => {
    await page.getByRole('button', { name: 'Projects…' }).click();
    await startScreen().waitFor();
    await expect.poll(() => recentItems().allTextContents()).toEqual([expect.stringContaining('sample')]);
    const created = path.join(root, 'letters 1858');
    await page.getByRole('textbox', { name: 'Folder for the new project' }).fill(created);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.project-name', { hasText: 'letters 1858' }).waitFor();
    await page.getByText('No page images or PAGE-XML files in this folder.').waitFor();
    expect(JSON.parse(fs.readFileSync(path.join(created, 'htr-studio.json'), 'utf8'))).toMatchObject({ htrStudioProject: 1 });
    // One project at a time: the sample's lock went back when the new project's was taken.
    expect(fs.existsSync(path.join(userData(), 'sample', '.htr-studio', 'lock'))).toBe(false);
    expect(fs.existsSync(path.join(created, '.htr-studio', 'lock'))).toBe(true);
  });

  it('reopens a recent project; one whose folder is gone is greyed and can be removed', async () => {
    await page.getByRole('button', { name: 'Projects…' }).click();
    await expect.poll(() => recentItems().count()).toBe(2);
    expect(await recentItems().first().textContent()).toContain('letters 1858');
    await recentItems().nth(1).getByRole('button', { name: /^sample/ }).click();
    await page.locator('.project-name', { hasText: 'sample' }).waitFor();
    await expect.poll(() => page.locator('.page-item').count()).toBe(SAMPLE_PAGES);

    fs.rmSync(path.join(root, 'letters 1858'), { recursive: true });
    await page.getByRole('button', { name: 'Projects…' }).click();
    await startScreen().waitFor();
    const missing = recentItems().filter({ hasText: 'letters 1858' });
    await missing.waitFor();
    expect(await missing.getAttribute('class')).toContain('is-missing');
    expect(await missing.getByRole('button', { name: /^letters 1858/ }).isDisabled()).toBe(true);
    await shot(page, '71-start-screen-recent');
    await missing.getByRole('button', { name: 'Remove letters 1858 from the recent projects' }).click();
    await expect.poll(() => recentItems().count()).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(userData(), 'recent.json'), 'utf8')).recent.map((e: { dir: string }) => path.basename(e.dir))).toEqual(['sample']);
  });

  it('refuses a folder that is not there, saying so, and opens one typed in', async () => {
    await page.getByRole('textbox', { name: 'Folder to open' }).fill(path.join(root, 'nowhere'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'no such folder' }).waitFor();
    await startScreen().waitFor();
    await page.getByRole('textbox', { name: 'Folder to open' }).fill(path.join(userData(), 'sample'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.page-item').count()).toBe(SAMPLE_PAGES);
    expect(pageErrors).toEqual([]);
  });
});
