/**
 * Unselected lines are drawn in bulk (one canvas shape per region) and found
 * under the mouse from the model's geometry, not from Konva nodes: clicks and
 * hover must still land on the line a person sees under the pointer. And a page
 * of a thousand lines lists only the rows in sight, yet the selected line is
 * always shown in the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { pointInPolygon } from '../../electron/common/model/points.js';
import type { Point, TextLine } from '../../electron/common/model/types.js';
import { openEditor, savedDoc, serveFolder, shot, toScreen, viewOf, type EditorSession, type FolderSession } from './harness.js';

const allLines = (doc: ReturnType<typeof savedDoc>): TextLine[] => doc.page.regions.flatMap((r) => r.lines);

/** A point inside `line`'s outline and inside no other line's: above the middle of its baseline. */
function insideOnly(line: TextLine, lines: readonly TextLine[]): Point {
  const b = line.baseline!.points;
  const mid = b[Math.floor(b.length / 2)]!;
  for (let up = 4; up < 60; up += 2) {
    const p = { x: mid.x, y: mid.y - up };
    if (pointInPolygon(p, line.coords!.points) && lines.every((o) => o === line || !pointInPolygon(p, o.coords!.points))) return p;
  }
  throw new Error(`no point inside line ${line.id} alone`);
}

describe('picking lines on the canvas (timeuscorpus PH 1858-535)', () => {
  let session: EditorSession;
  let page: Page;
  beforeAll(async () => {
    session = await openEditor();
    page = session.page;
  });
  afterAll(async () => session?.close());

  it('selects the line under a click, shows hover, and selects nothing on empty paper', async () => {
    const doc = savedDoc(session.project);
    const lines = allLines(doc);
    const target = lines[10]!;
    const v = await viewOf(page);
    const at = toScreen(v, insideOnly(target, lines));
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(target.id);

    // Hovering another line shows it can be clicked.
    const other = toScreen(v, insideOnly(lines[20]!, lines));
    await page.mouse.move(other.x, other.y);
    await expect.poll(() => page.locator('.page-canvas').evaluate((el) => (el as HTMLElement).style.cursor)).toBe('pointer');

    // On the paper far from every line and baseline (this page's region has no outline): nothing.
    const far = { x: doc.page.imageWidth / 2, y: 40 };
    expect(lines.every((l) => !pointInPolygon(far, l.coords!.points) && l.baseline!.points.every((q) => Math.hypot(q.x - far.x, q.y - far.y) > 100))).toBe(true);
    const f = toScreen(v, far);
    await page.mouse.click(f.x, f.y);
    await expect.poll(() => page.locator('.line-item.is-current').count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });

  it('moves the selection from one line to the next by clicking on the canvas', async () => {
    const lines = allLines(savedDoc(session.project));
    const v = await viewOf(page);
    const a = toScreen(v, insideOnly(lines[5]!, lines));
    await page.mouse.click(a.x, a.y);
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(lines[5]!.id);
    const b = toScreen(v, insideOnly(lines[6]!, lines));
    await page.mouse.click(b.x, b.y);
    await expect.poll(() => page.locator('.line-item.is-current').getAttribute('data-line')).toBe(lines[6]!.id);
  });
});

describe('a page of a thousand lines', () => {
  const COLS = 4;
  const PER_COL = 250;
  const W = 4000;
  const H = 6000;
  let folder: FolderSession;
  let page: Page;

  /** A self-made page: COLS × PER_COL ruled lines, each with an outline and a baseline. */
  function thousandLinePage(): string {
    const regions: string[] = [];
    const pitch = Math.floor((H - 200) / PER_COL);
    const colW = W / COLS;
    for (let c = 0; c < COLS; c++) {
      const x0 = Math.round(c * colW + 40);
      const x1 = Math.round((c + 1) * colW - 40);
      const ls: string[] = [];
      for (let i = 0; i < PER_COL; i++) {
        const base = 100 + (i + 1) * pitch - 4;
        const top = base - Math.round(pitch * 0.7);
        const bottom = base + Math.round(pitch * 0.2);
        ls.push(`<TextLine id="c${c}l${i}"><Coords points="${x0},${top} ${x1},${top} ${x1},${bottom} ${x0},${bottom}"/><Baseline points="${x0},${base} ${x1},${base}"/><TextEquiv><Unicode>column ${c + 1} line ${i + 1}</Unicode></TextEquiv></TextLine>`);
      }
      // The region reaches 100 px and more below its last line: room to click the region itself.
      regions.push(`<TextRegion id="col${c}"><Coords points="${x0 - 10},90 ${x1 + 10},90 ${x1 + 10},${H - 20} ${x0 - 10},${H - 20}"/>${ls.join('')}</TextRegion>`);
    }
    return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>e2e</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
<Page imageFilename="ledger.jpg" imageWidth="${W}" imageHeight="${H}"><ReadingOrder><OrderedGroup id="ro">${[...Array(COLS).keys()].map((c) => `<RegionRefIndexed index="${c}" regionRef="col${c}"/>`).join('')}</OrderedGroup></ReadingOrder>${regions.join('')}</Page></PcGts>
`;
  }

  beforeAll(async () => {
    const image = await sharp({ create: { width: W, height: H, channels: 3, background: '#e8e0cc' } }).jpeg().toBuffer();
    folder = await serveFolder({ 'ledger.jpg': image, 'ledger.xml': thousandLinePage() });
    page = await folder.browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await page.goto(folder.server.url);
    await page.locator('.page-canvas[data-sharp="true"]').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => folder?.close());

  it('lists only the rows in sight, and shows the line picked on the canvas', async () => {
    await page.locator('.line-list.is-windowed').waitFor();
    const rows = await page.locator('.line-item').count();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(150);
    // The last column's line 200: far below the rows in sight.
    const v = await viewOf(page);
    const pitch = Math.floor((H - 200) / PER_COL);
    const base = 100 + 200 * pitch - 4;
    const at = toScreen(v, { x: 3 * (W / COLS) + W / COLS / 2, y: base - pitch * 0.3 });
    await page.mouse.click(at.x, at.y);
    const item = page.locator('.line-item.is-current');
    await expect.poll(() => item.getAttribute('data-line')).toBe('c3l199');
    await expect.poll(() => item.locator('.line-num').textContent()).toBe(String(3 * PER_COL + 200));
    expect(await item.isVisible()).toBe(true);
    expect(await page.locator('.line-item').count()).toBeLessThan(150);
    // The list says how long it is to assistive technology.
    expect(await page.locator('.line-list li[aria-setsize]').first().getAttribute('aria-setsize')).toBe(String(COLS * PER_COL));
    // Tab steps to the next line in reading order, which the list shows too.
    await page.locator('.page-canvas').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => item.getAttribute('data-line')).toBe('c3l200');
    await shot(page, '50-thousand-lines');
  });

  it('selects a region where the click is inside it but on no line', async () => {
    const v = await viewOf(page);
    const at = toScreen(v, { x: W / COLS / 2, y: H - 50 });
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('select[name="region-kind"]').count()).toBe(1);
    await expect.poll(() => page.locator('.line-item.is-current').count()).toBe(0);
    await expect.poll(() => page.locator('.order-item.is-selected').getAttribute('data-region')).toBe('col0');
  });
});

describe('a page whose scan is damaged', () => {
  let folder: FolderSession;

  beforeAll(async () => {
    const raw = Buffer.alloc(3000 * 2000);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
    const jpeg = await sharp(raw, { raw: { width: 3000, height: 2000, channels: 1 } }).jpeg().toBuffer();
    folder = await serveFolder({
      // Header intact, pixel data cut short: the size reads, the picture does not.
      'torn.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 3)),
      'torn.xml': `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>e2e</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
<Page imageFilename="torn.jpg" imageWidth="3000" imageHeight="2000"><TextRegion id="r1"><Coords points="100,100 2900,100 2900,400 100,400"/><TextLine id="l1"><Coords points="120,120 2880,120 2880,380 120,380"/><Baseline points="120,360 2880,360"/><TextEquiv><Unicode>still here</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>
`,
    });
  });
  afterAll(async () => folder?.close());

  it('opens the transcription and says the image cannot be shown', async () => {
    const page = await folder.browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await page.goto(folder.server.url);
    await expect.poll(() => page.locator('.line-item[data-line="l1"]').textContent()).toContain('still here');
    await page.locator('.status-notice', { hasText: 'The page image cannot be shown' }).waitFor({ timeout: 30_000 });
    await page.close();
  });
});
