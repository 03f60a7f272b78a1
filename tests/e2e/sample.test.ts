/**
 * The first-run path on the shipped sample (assets/sample), in a real browser
 * against `htr-studio serve`: a copy of the sample opens in the editor, "Detect
 * layout" finds its lines with the shipped layout model, "Recognise" reads them
 * with the shipped handwriting model, and every line ends up with text that
 * resembles the page's ground truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { REPO } from '../helpers/corpus.js';
import { launchBrowser, shot, startServer, type Server } from './harness.js';

const SAMPLE = path.join(REPO, 'assets', 'sample');
/** The first page in the page list (sorted by name). */
const FIRST = fs.readdirSync(SAMPLE).filter((f) => f.endsWith('.jpg')).sort()[0]!.replace(/\.jpg$/, '');

let dir: string;
let cacheDir: string;
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The ground truth's words of the first page, lower-cased, without punctuation. */
function truthWords(): string[] {
  const { doc } = readDocument(fs.readFileSync(path.join(SAMPLE, 'page', `${FIRST}.xml`), 'utf8'));
  const text = doc.page.regions.flatMap((r) => r.lines.map((l) => l.textEquivs[0]?.unicode ?? '')).join(' ');
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
}

beforeAll(async () => {
  // A copy, as `npm start` makes one: the shipped sample is never written to.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-sample-'));
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-sample-cache-'));
  fs.cpSync(SAMPLE, dir, { recursive: true, filter: (src) => !/\.(py|md)$/.test(src) });
  server = await startServer({ dir, xmlFile: path.join(dir, 'page', `${FIRST}.xml`), originalXml: '', cacheDir });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // "Detecting the layout replaces this page's N lines written by people … Go on?"
  page.on('dialog', (d) => void d.accept());
  await page.goto(server.url);
  await page.locator('.page-canvas canvas').first().waitFor({ timeout: 60_000 });
  await page.locator('.line-item').first().waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const d of [dir, cacheDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('the sample project in the editor (browser mode)', () => {
  it('opens with its pages and its ground-truth lines', async () => {
    const truth = readDocument(fs.readFileSync(path.join(SAMPLE, 'page', `${FIRST}.xml`), 'utf8')).doc;
    const n = truth.page.regions.reduce((k, r) => k + r.lines.length, 0);
    await expect.poll(() => page.locator('.line-item').count()).toBe(n);
    await shot(page, '60-sample-opened');
  });

  it('Detect layout, then Recognise: every line found again and read, the text like the ground truth', async () => {
    const n = await page.locator('.line-item').count();
    const progress = page.getByRole('group', { name: 'Job in progress' });

    await page.getByRole('button', { name: 'Detect layout', exact: true }).click();
    await progress.waitFor();
    await progress.waitFor({ state: 'detached', timeout: 120_000 });
    await page.locator('.status-notice', { hasText: /^Done: / }).waitFor();
    // The shipped layout model finds each drawn line once (a line or two either way at most).
    await expect.poll(() => page.locator('.line-item').count()).toBeGreaterThanOrEqual(n - 1);
    expect(await page.locator('.line-item').count()).toBeLessThanOrEqual(n + 1);

    // Lines people wrote keep their text unless asked: ask, so every line is read.
    await page.getByRole('checkbox', { name: 'Also replace corrected text (this run)' }).check();
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    await progress.waitFor();
    await progress.waitFor({ state: 'detached', timeout: 180_000 });
    await page.locator('.status-notice', { hasText: /^Done: \d+ lines? recognised/ }).waitFor();
    await shot(page, '61-sample-recognised');

    const texts = (await page.locator('.line-item .line-text').allTextContents()).map((t) => t.trim());
    expect(texts.length).toBe(await page.locator('.line-item').count());
    for (const [i, t] of texts.entries()) expect(t.length, `line ${i + 1} has no text`).toBeGreaterThan(3);
    // Sensible reading: most of the ground truth's words are read right somewhere on the page.
    const read = new Set(texts.join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u));
    const words = truthWords();
    const found = words.filter((w) => read.has(w)).length;
    expect(found / words.length).toBeGreaterThan(0.4);
    expect(pageErrors).toEqual([]);
  });
});
