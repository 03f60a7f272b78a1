/**
 * Line history and status in the editor, in a real browser on a real corpus page
 * (TIME US PH 1858-535, conformed to schema-valid PAGE 2019) after a model read it
 * (Tesseract, offline): the keyboard corrects one line, verifies the next with
 * Ctrl+Enter and corrects a third; the history panel shows who made each text with
 * a character diff; an earlier text is restored and the restore undone; the saved
 * PAGE-XML keeps the corrections, the model's text as an earlier version attributed
 * to it, the statuses, and still passes the PAGE 2019 XSD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { Page } from 'playwright-core';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, findRegion, regionsInReadingOrder } from '../../electron/common/model/ops.js';
import { allLines, lineConf, lineText } from '../../electron/common/model/stats.js';
import { lineStatus, lineVersions } from '../../electron/common/model/provenance.js';
import { accuracyReport } from '../../electron/common/eval/accuracy-report.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { unzipSafely } from '../../electron/node/import/zip.js';
import { SCHEMAS } from '../helpers/corpus.js';
import { openFolder, shot, TIMEUS_DIR, TIMEUS_PAGE, type FolderSession } from './harness.js';

let folder: FolderSession;
let page: Page;
let pageErrors: string[] = [];
const xmlFile = (): string => path.join(folder.dir, `${TIMEUS_PAGE}.xml`);
const folder_ = (): string => folder.dir;
const saved = () => readDocument(fs.readFileSync(xmlFile(), 'utf8')).doc;
const rowText = (id: string) => page.locator(`.line-item[data-line="${id}"] .line-text`).textContent();

beforeAll(async () => {
  // eScriptorium leaves a dummy region without Coords: conformed, the page is valid PAGE 2019 to start with.
  const source = readDocument(fs.readFileSync(path.join(TIMEUS_DIR, 'page', `${TIMEUS_PAGE}.xml`), 'utf8')).doc;
  const xml = writeDocument(source, 'page-2019').xml;
  const opened = await openFolder({ [`${TIMEUS_PAGE}.jpg`]: fs.readFileSync(path.join(TIMEUS_DIR, `${TIMEUS_PAGE}.jpg`)), [`${TIMEUS_PAGE}.xml`]: xml });
  ({ page, pageErrors } = opened);
  folder = opened;
});

afterAll(async () => {
  await folder?.close();
});

describe('line history and status (TIME US PH 1858-535 as PAGE 2019, Tesseract offline)', () => {
  it('corrects and verifies lines with the keyboard; history and statuses are saved, schema-valid', async () => {
    const start = saved();
    expect((await validateAgainstXsd(fs.readFileSync(xmlFile(), 'utf8'), SCHEMAS, start.format)).valid).toBe(true);
    // The line list's order: regions in reading order, lines in their region's order.
    const ids = regionsInReadingOrder(start).flatMap((id) => findRegion(start, id)?.lines.map((l) => l.id) ?? []);
    const groundTruth = ids.slice(0, 3).map((id) => lineText(findLine(start, id)!.line));

    // Model output: Tesseract reads every line (replacing the people's text, asked for this run).
    await page.getByRole('combobox', { name: 'Recognition model' }).selectOption('tesseract-fra');
    await page.getByRole('checkbox', { name: 'Also replace corrected text (this run)' }).check();
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    await page.locator('.status-notice', { hasText: /^Done: 48 lines recognised/ }).waitFor({ timeout: 180_000 });
    const machine = await Promise.all(ids.slice(0, 3).map(async (id) => (await rowText(id))!));
    expect(await page.locator(`.line-item[data-line="${ids[0]!}"]`).getAttribute('data-status')).toBe('machine');

    // Keyboard only from here: the first row takes the focus, Enter edits it.
    await page.locator(`.line-item[data-line="${ids[0]!}"]`).focus();
    await page.keyboard.press('Enter');
    const field = page.getByRole('textbox', { name: 'Text of the selected line' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('line-input'))).toBe(true);
    await page.keyboard.press('Control+a');
    await page.keyboard.type(groundTruth[0]!);
    await page.keyboard.press('Enter'); // kept, on to line 2
    await expect.poll(() => field.inputValue()).toBe(machine[1]);
    await page.keyboard.press('Control+Enter'); // line 2 is right as the model read it: verified, on to line 3
    await expect.poll(() => field.inputValue()).toBe(machine[2]);
    await page.keyboard.press('End');
    await page.keyboard.type(' [vu]');
    await page.keyboard.press('Enter');
    await expect.poll(() => rowText(ids[2]!)).toBe(`${machine[2]} [vu]`);
    expect(await page.locator(`.line-item[data-line="${ids[0]!}"]`).getAttribute('data-status')).toBe('corrected');
    expect(await page.locator(`.line-item[data-line="${ids[1]!}"]`).getAttribute('data-status')).toBe('verified');
    expect(await page.locator(`.line-item[data-line="${ids[1]!}"] .line-status`).getAttribute('aria-label')).toBe('Status: Verified');

    // The history of line 1: the person's text on top, the model's reading, the file's text first; a character diff.
    await page.locator(`.line-item[data-line="${ids[0]!}"]`).click();
    await page.locator('.line-history summary', { hasText: 'History of this line (3 versions)' }).click();
    const history = page.getByRole('list', { name: 'History of this line' });
    await expect.poll(() => history.locator('.history-item').count()).toBe(3);
    expect(await history.locator('.history-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-author')))).toEqual(['person', 'model', 'unknown']);
    expect(await history.locator('.history-item').nth(1).locator('.history-who').textContent()).toMatch(/^tesseract-fra/);
    expect(await history.locator('.history-item').first().locator('ins, del').count()).toBeGreaterThan(0);
    await shot(page, '30-line-history');

    // Restore the model's text (one edit), then undo it.
    await history.locator('.history-item').nth(1).getByRole('button', { name: /^Restore the text by tesseract-fra/ }).click();
    await expect.poll(() => rowText(ids[0]!)).toBe(machine[0]);
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => rowText(ids[0]!)).toBe(groundTruth[0]);

    await page.keyboard.press('Control+s');
    await page.locator('.tb-save:not(.is-dirty)').waitFor();
    await expect.poll(() => lineText(findLine(saved(), ids[0]!)!.line)).toBe(groundTruth[0]);
    const xml = fs.readFileSync(xmlFile(), 'utf8');
    const doc = readDocument(xml).doc;
    const res = await validateAgainstXsd(xml, SCHEMAS, doc.format);
    expect(res.errors.slice(0, 3)).toEqual([]);
    expect(res.valid).toBe(true);
    const [l1, l2, l3] = ids.slice(0, 3).map((id) => findLine(doc, id)!.line);
    expect(lineText(l1!)).toBe(groundTruth[0]);
    expect(lineVersions(l1!).map((v) => v.by.kind)).toEqual(['unknown', 'model', 'person']);
    expect(lineVersions(l1!)[1]).toMatchObject({ text: machine[0], by: { kind: 'model', model: 'tesseract-fra' } });
    expect(lineVersions(l1!)[1]!.conf).toBeGreaterThan(0);
    expect(lineStatus(l1!)).toBe('corrected');
    expect(lineStatus(l2!)).toBe('verified');
    expect(lineConf(l2!)).toBeUndefined();
    expect(lineText(l3!)).toBe(`${machine[2]} [vu]`);
    expect(lineStatus(l3!)).toBe('corrected');
    // Lines nobody touched keep the model's text and status (a line the model read as empty has none).
    const rest = allLines(doc.page.regions).filter((l) => !ids.slice(0, 3).includes(l.id));
    expect(rest.map((l) => lineStatus(l) ?? (lineText(l) === '' ? 'empty' : 'none')).filter((s) => s !== 'machine' && s !== 'empty')).toEqual([]);
    expect(rest.filter((l) => lineStatus(l) === 'machine').length).toBeGreaterThan(rest.length / 2);
    expect(pageErrors).toEqual([]);
  });

  it('shows the page in progress after the person\'s save; its status is set to Ground truth and kept', async () => {
    const item = page.locator('.page-item', { hasText: TIMEUS_PAGE });
    await expect.poll(() => item.getAttribute('data-status')).toBe('in-progress');
    const status = page.getByRole('combobox', { name: `Status of ${TIMEUS_PAGE}` });
    await status.selectOption('ground-truth');
    await expect.poll(() => item.getAttribute('data-status')).toBe('ground-truth');
    expect(await page.locator('.page-status-counts [data-status="ground-truth"]').textContent()).toBe('Ground truth 1');
    await page.reload();
    await page.locator('.line-item').first().waitFor();
    expect(await page.locator('.page-item', { hasText: TIMEUS_PAGE }).getAttribute('data-status')).toBe('ground-truth');
    expect(JSON.parse(fs.readFileSync(path.join(folder.dir, 'htr-studio.json'), 'utf8')).pages[`${TIMEUS_PAGE}.jpg`].status).toBe('ground-truth');
    await shot(page, '31-page-status');
  });

  it('reports the model\'s accuracy on the corrected and verified lines, with the figures eval gives', async () => {
    await page.getByRole('button', { name: 'Accuracy report…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Accuracy report/ });
    const total = dialog.locator('.accuracy-total');
    await total.waitFor();
    const expected = accuracyReport([{ id: `${TIMEUS_PAGE}.jpg`, name: TIMEUS_PAGE, doc: saved() }]);
    expect(expected.total.lines).toBe(3);
    expect(Number(await total.getAttribute('data-cer'))).toBeCloseTo(expected.total.cer, 12);
    expect(await total.textContent()).toContain(`over 3 corrected or verified lines (${expected.total.charErrors} errors in ${expected.total.chars} characters)`);
    expect(await dialog.locator('.accuracy-cer').allTextContents()).toEqual([`${(expected.pages[0]!.cer * 100).toFixed(1)}%`]);
    expect(await dialog.getByRole('list', { name: /confusions/ }).locator('li').count()).toBe(Math.min(12, expected.confusions.length));
    await shot(page, '32-accuracy-report');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(pageErrors).toEqual([]);
  });

  it('exports the ground truth from the editor: line pairs refused while machine text is unconfirmed, then with those lines left out; PAGE for the catalogue', async () => {
    await page.getByRole('button', { name: 'Export ground truth…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the project’s ground truth' });
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption('kraken');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const result = dialog.locator('.export-result');
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toMatch(/^Not exported: \d+ lines would teach a trainer the wrong thing \(.*gt-unconfirmed/);
    await dialog.getByRole('checkbox', { name: /^Leave out lines/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toMatch(/^Exported 1 page \(\d+ lines\) into exports\/kraken-/);
    const folder = path.join(folder_(), (await result.getAttribute('data-folder'))!);
    const pairs = fs.readdirSync(folder).filter((f) => f.endsWith('.gt.txt'));
    // The person's three lines (corrected, verified, corrected) are in; the model's unconfirmed ones are not.
    expect(pairs.length).toBe(3);
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption('page');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toMatch(/^Exported 1 page .* into exports\/page-/);
    const pageFolder = path.join(folder_(), (await result.getAttribute('data-folder'))!);
    expect(fs.readdirSync(pageFolder).sort()).toEqual([`${TIMEUS_PAGE}.xml`, 'export-manifest.json', 'split.tsv']);
    // As one zip: the same files, the manifest naming the page's source and its status.
    await dialog.getByRole('checkbox', { name: /^As one zip/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toMatch(/^Exported 1 page .* into exports\/page-.*\.zip in the project/);
    const zip = path.join(folder_(), (await result.getAttribute('data-folder'))!);
    const unzipped = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-zip-'));
    await unzipSafely(zip, unzipped);
    expect(fs.readdirSync(unzipped).sort()).toEqual([`${TIMEUS_PAGE}.xml`, 'export-manifest.json', 'split.tsv']);
    const linesOf = (file: string): string[] => allLines(readDocument(fs.readFileSync(file, 'utf8')).doc.page.regions).map(lineText);
    expect(linesOf(path.join(unzipped, `${TIMEUS_PAGE}.xml`))).toEqual(linesOf(path.join(pageFolder, `${TIMEUS_PAGE}.xml`)));
    const manifest = JSON.parse(fs.readFileSync(path.join(unzipped, 'export-manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ via: 'editor', format: 'page', options: { zip: true }, sources: [{ page: TIMEUS_PAGE, status: 'ground-truth', image: { path: `${TIMEUS_PAGE}.jpg` } }] });
    fs.rmSync(unzipped, { recursive: true, force: true });
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(pageErrors).toEqual([]);
  });
});
