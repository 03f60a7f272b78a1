/**
 * Running models from the editor, in a real browser against `htr-studio serve`
 * on a real corpus page: Tesseract (offline) recognises the page with a progress
 * bar, the result is one undoable command, the saved PAGE-XML carries
 * confidences, the confidence colouring shows them; a project-wide job is
 * cancelled from its Cancel button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { nextUncertainLine } from '../../electron/common/transcription/review.js';
import { findRegion, regionsInReadingOrder } from '../../electron/common/model/ops.js';
import sharp from 'sharp';
import { frames, save, savedDoc, serveFolder, shot, TIMEUS_PAGE, type Project, openEditor, type EditorSession } from './harness.js';

let project: Project;
let page: Page;
let pageErrors: string[] = [];
let session: EditorSession;

const lineText = (id: string) => page.locator(`.line-item[data-line="${id}"] .line-text`).textContent();

beforeAll(async () => {
  session = await openEditor({ copies: 3, acceptDialogs: true });
  ({ project, page } = session);
  pageErrors = session.pageErrors;
});

afterAll(async () => {
  await session?.close();
});

describe('models from the editor (timeuscorpus PH 1858-535, Tesseract offline)', () => {
  it('lists the models with a default chosen', async () => {
    const recognizer = page.getByRole('combobox', { name: 'Recognition model' });
    await expect.poll(() => recognizer.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Tesseract (fra), printed text']));
    expect(await recognizer.inputValue()).not.toBe('');
    const detector = page.getByRole('combobox', { name: 'Layout model' });
    await expect.poll(() => detector.locator('option').count()).toBeGreaterThan(0);
    expect(await detector.locator('option', { hasText: '(default)' }).count()).toBe(1);
  });

  it('recognises the page with a progress bar; one undo restores the old text; the saved file has conf on every line', async () => {
    const original = savedDoc(project);
    const firstId = allLines(original.page.regions)[0]!.id;
    const oldText = (await lineText(firstId))!;
    await page.getByRole('combobox', { name: 'Recognition model' }).selectOption('tesseract-fra');
    // Every line of this page was transcribed by people: by default recognition leaves them as they are.
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    await page.locator('.status-notice', { hasText: 'Done: 0 lines recognised; 48 corrected lines left as people wrote them' }).waitFor({ timeout: 120_000 });
    expect(await lineText(firstId)).toBe(oldText);
    // Asked for in this run: they are read again (the option does not stay on).
    const replace = page.getByRole('checkbox', { name: 'Also replace corrected text (this run)' });
    await replace.check();
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    await expect.poll(() => replace.isChecked()).toBe(false);
    const progress = page.getByRole('group', { name: 'Job in progress' });
    await progress.waitFor();
    await expect.poll(() => page.locator('.job-bar').getAttribute('value'), { timeout: 60_000 }).not.toBeNull();
    await expect.poll(async () => Number(await page.locator('.job-bar').getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot(page, '10-recognition-progress');
    // The canvas stays usable while the engine works: zoom in and back.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('+');
    await page.keyboard.press('0');
    await progress.waitFor({ state: 'detached', timeout: 120_000 });
    await page.locator('.status-notice', { hasText: /^Done: 48 lines recognised/ }).waitFor();
    await expect.poll(() => lineText(firstId)).not.toBe(oldText);
    const undo = page.getByRole('button', { name: 'Undo Recognise page (Ctrl+Z)' });
    expect(await undo.isEnabled()).toBe(true);
    await shot(page, '11-recognised');

    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => lineText(firstId)).toBe(oldText);
    // Back to the file on disk: nothing to save.
    await expect.poll(() => page.locator('.tb-save').isDisabled()).toBe(true);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => lineText(firstId)).not.toBe(oldText);
    await save(page);
    const xml = fs.readFileSync(project.xmlFile, 'utf8');
    const saved = readDocument(xml).doc;
    const lines = allLines(saved.page.regions);
    expect(lines).toHaveLength(48);
    for (const l of lines) {
      expect(l.textEquivs[0]!.conf).toBeGreaterThanOrEqual(0);
      expect(l.textEquivs[0]!.conf).toBeLessThanOrEqual(1);
    }
    expect(xml).toMatch(/<TextEquiv conf="[01](\.\d+)?">/);
    // Geometry untouched: only text changed.
    expect(lines.map((l) => l.baseline)).toEqual(allLines(original.page.regions).map((l) => l.baseline));
  });

  it('jumps to the next and previous line the model was unsure of with F8 / Shift+F8, also while typing', async () => {
    const doc = savedDoc(project);
    const ordered = regionsInReadingOrder(doc).flatMap((id) => findRegion(doc, id)?.lines ?? []);
    const confs = ordered.map((l) => l.textEquivs[0]!.conf!).sort((a, b) => a - b);
    const threshold = Math.round(confs[Math.floor(confs.length / 2)]! * 100);
    await page.getByRole('spinbutton', { name: 'Uncertain below this confidence, in percent' }).fill(String(threshold));
    const first = ordered[0]!.id;
    await page.locator(`.line-item[data-line="${first}"]`).click();
    const want = nextUncertainLine(ordered, first, threshold / 100, 1)!;
    expect(want).toBeDefined();
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('F8');
    const current = () => page.locator('.line-editor-head .line-id').textContent();
    await expect.poll(current).toBe(want);
    // From the text field: the next one, and the field keeps the focus.
    const input = page.getByRole('textbox', { name: 'Text of the selected line' });
    await input.focus();
    await input.press('F8');
    await expect.poll(current).toBe(nextUncertainLine(ordered, want, threshold / 100, 1));
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.press('Shift+F8');
    await expect.poll(current).toBe(want);
    await page.getByRole('spinbutton', { name: 'Uncertain below this confidence, in percent' }).fill('80');
  });

  it('colours lines by confidence: on unless turned off', async () => {
    const toggle = page.getByRole('button', { name: 'Colour lines by recognition confidence (C)' });
    // On by default: the model's doubts are what a corrector looks for first.
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('c');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await frames(page);
    await shot(page, '12-confidence-overlay');
    // Low-confidence lines show red-ish, confident ones green-ish: the canvas has both hues now.
    const hues = await page.locator('.page-canvas canvas').last().evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let reddish = 0;
      let greenish = 0;
      for (let i = 0; i < d.length; i += 4 * 7) {
        if (d[i + 3]! < 40) continue;
        if (d[i]! > d[i + 1]! + 40) reddish++;
        else if (d[i + 1]! > d[i]! + 40) greenish++;
      }
      return { reddish, greenish };
    });
    expect(hues.reddish + hues.greenish).toBeGreaterThan(1000);
  });

  it('recognises only the selected lines', async () => {
    const ids = allLines(savedDoc(project).page.regions).map((l) => l.id);
    // Mark two lines and one other so a change is visible.
    for (const id of [ids[2]!, ids[3]!, ids[4]!]) {
      await page.locator(`.line-item[data-line="${id}"]`).click();
      const input = page.getByRole('textbox', { name: 'Text of the selected line' });
      await input.fill('XXX');
      await input.press('Escape');
      await page.locator('.page-canvas').focus();
    }
    await page.locator(`.line-item[data-line="${ids[2]!}"]`).click();
    await page.getByRole('textbox', { name: 'Text of the selected line' }).fill('XXX');
    await page.locator(`.line-item[data-line="${ids[4]!}"]`).click();
    await page.getByRole('textbox', { name: 'Text of the selected line' }).fill('XXX');
    await page.locator(`.line-item[data-line="${ids[3]!}"]`).click({ modifiers: ['Shift'] });
    await expect.poll(() => lineText(ids[2]!)).toBe('XXX');
    await expect.poll(() => lineText(ids[4]!)).toBe('XXX');
    // Select lines 3 and 4 only.
    await page.locator(`.line-item[data-line="${ids[2]!}"]`).click();
    await page.locator(`.line-item[data-line="${ids[3]!}"]`).click({ modifiers: ['Shift'] });
    await page.getByRole('combobox', { name: 'Run on' }).selectOption('lines');
    // "Careful reading" is on unless turned off: the job asks for a beam search.
    const careful = page.getByRole('checkbox', { name: 'Careful reading (slower)' });
    expect(await careful.isChecked()).toBe(true);
    const asked = page.waitForRequest((r) => r.url().endsWith('/api/call/startJob'));
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    expect(JSON.parse((await asked).postData()!).args[0]).toMatchObject({ kind: 'recognize', scope: 'lines', beam: 8 });
    await page.locator('.status-notice', { hasText: /^Done: 2 lines recognised/ }).waitFor({ timeout: 120_000 });
    await expect.poll(() => lineText(ids[2]!)).not.toBe('XXX');
    expect(await lineText(ids[4]!)).toBe('XXX');
    expect(await page.getByRole('button', { name: 'Undo Recognise lines (Ctrl+Z)' }).isEnabled()).toBe(true);
    // Turned off, the choice is remembered and the job leaves decoding to the model.
    await careful.uncheck();
    await page.reload();
    await page.locator('.line-item').first().waitFor();
    expect(await page.getByRole('checkbox', { name: 'Careful reading (slower)' }).isChecked()).toBe(false);
    await page.locator(`.line-item[data-line="${ids[2]!}"]`).click();
    await page.getByRole('combobox', { name: 'Run on' }).selectOption('lines');
    const fast = page.waitForRequest((r) => r.url().endsWith('/api/call/startJob'));
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    expect(JSON.parse((await fast).postData()!).args[0]).toMatchObject({ scope: 'lines', beam: null });
    await page.locator('.status-notice', { hasText: /^Done: 1 line recognised/ }).waitFor({ timeout: 120_000 });
    await page.getByRole('combobox', { name: 'Run on' }).selectOption('page');
  });

  it('cancels a running project-wide job from its Cancel button', async () => {
    const copies = [1, 2, 3].map((i) => path.join(project.dir, 'page', `${TIMEUS_PAGE} copy ${i}.xml`));
    const before = copies.map((f) => fs.readFileSync(f, 'utf8'));
    await page.getByRole('combobox', { name: 'Run on' }).selectOption('project');
    await page.getByRole('checkbox', { name: 'Also replace corrected text (this run)' }).check();
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    const progress = page.getByRole('group', { name: 'Job in progress' });
    await progress.waitFor();
    await expect.poll(async () => Number(await page.locator('.job-bar').getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot(page, '13-project-job-running');
    const t0 = Date.now();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.status-notice', { hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
    expect(Date.now() - t0).toBeLessThan(30_000);
    await progress.waitFor({ state: 'detached' });
    // The last page was never reached, and nothing else arrives later (an absence: only time can show it).
    await page.waitForTimeout(1500);
    expect(fs.readFileSync(copies[2]!, 'utf8')).toBe(before[2]);
    // The open page comes first: on a slow machine its result may have arrived before the Cancel
    // (then it is one undoable edit); either way the earlier edits are still there to undo.
    expect(await page.getByRole('button', { name: /^Undo Recognise (lines|page) \(Ctrl\+Z\)$/ }).isEnabled()).toBe(true);
    // A new job can start at once.
    expect(await page.getByRole('button', { name: 'Recognise', exact: true }).isEnabled()).toBe(true);
    await page.getByRole('combobox', { name: 'Run on' }).selectOption('page');
    expect(pageErrors).toEqual([]);
  });
});

describe('a page with no lines yet', () => {
  it('leads with Detect layout; Recognise waits for lines and says why', async () => {
    const image = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#efe6d2' } }).jpeg().toBuffer();
    const folder = await serveFolder({ 'bare.jpg': image });
    try {
      const page = await folder.browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(folder.server.url);
      await page.locator('.page-canvas').waitFor({ timeout: 60_000 });
      const buttons = page.locator('.jobs-buttons button');
      await expect.poll(() => buttons.first().textContent()).toBe('Detect layout');
      expect(await buttons.first().getAttribute('class')).toContain('primary-button');
      const recognise = page.getByRole('button', { name: 'Recognise', exact: true });
      expect(await recognise.isDisabled()).toBe(true);
      expect(await recognise.getAttribute('title')).toContain('detect the layout first');
      // Nothing a model was unsure of here: F8 says so.
      await page.locator('.page-canvas').focus();
      await page.keyboard.press('F8');
      await page.locator('.status-notice', { hasText: 'No line on this page was read with a confidence below 80%' }).waitFor();
      // The whole project may still be recognised from here (other pages may have lines).
      await page.getByRole('combobox', { name: 'Run on' }).selectOption('project');
      expect(await recognise.isEnabled()).toBe(true);
      expect(await buttons.first().textContent()).toBe('Recognise');
    } finally {
      await folder.close();
    }
  });
});
