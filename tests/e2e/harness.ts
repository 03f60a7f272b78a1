/**
 * E2E harness: a temporary project made from a real corpus page, the built CLI's
 * `serve` on it, and headless Debian Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readDocument } from '../../electron/common/formats/document-io.js';
import type { PageDocument, Point } from '../../electron/common/model/types.js';
import { CORPUS, REPO } from '../helpers/corpus.js';

export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');

/** A timeuscorpus page: handwritten, 48 lines with baselines, its JPEG one folder up. */
export const TIMEUS_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
export const TIMEUS_PAGE = 'PH 1858-535';

export interface Project {
  readonly dir: string;
  readonly xmlFile: string;
  readonly originalXml: string;
  readonly cacheDir: string;
}

/**
 * Copies a page and its image into a fresh temporary project (never into the
 * repository); `copies` more pages ("… copy 1", …) make a multi-page project.
 */
export function makeProject(copies = 0): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-'));
  fs.mkdirSync(path.join(dir, 'page'));
  fs.copyFileSync(path.join(TIMEUS_DIR, `${TIMEUS_PAGE}.jpg`), path.join(dir, `${TIMEUS_PAGE}.jpg`));
  const xmlFile = path.join(dir, 'page', `${TIMEUS_PAGE}.xml`);
  fs.copyFileSync(path.join(TIMEUS_DIR, 'page', `${TIMEUS_PAGE}.xml`), xmlFile);
  // Corpus files are read-only; the copies must be writable.
  fs.chmodSync(xmlFile, 0o644);
  fs.chmodSync(path.join(dir, `${TIMEUS_PAGE}.jpg`), 0o644);
  const xml = fs.readFileSync(xmlFile, 'utf8');
  for (let i = 1; i <= copies; i++) {
    const stem = `${TIMEUS_PAGE} copy ${i}`;
    fs.copyFileSync(path.join(TIMEUS_DIR, `${TIMEUS_PAGE}.jpg`), path.join(dir, `${stem}.jpg`));
    fs.chmodSync(path.join(dir, `${stem}.jpg`), 0o644);
    fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), xml.replace(/imageFilename="[^"]*"/, `imageFilename="${stem}.jpg"`));
  }
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-cache-'));
  return { dir, xmlFile, originalXml: fs.readFileSync(xmlFile, 'utf8'), cacheDir };
}

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `node bin/htr-studio.cjs serve --port 0` on the project (with `startScreen`:
 * on none, `--start-screen`); resolves with the URL it prints first.
 */
export function startServer(project: Project, opts: { startScreen?: boolean } = {}): Promise<Server> {
  const where = opts.startScreen ? ['--start-screen'] : ['--project', project.dir];
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'htr-studio.cjs'), 'serve', '--port', '0', ...where], {
    // Its own user data folder (character sets, logs): a test never writes into the real one.
    env: { ...process.env, HTR_STUDIO_CACHE_DIR: project.cacheDir, XDG_CONFIG_HOME: path.join(project.cacheDir, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in time\n${err}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}\n${err}`)));
    child.stdout!.on('data', (d) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve({
        url: out.slice(0, nl),
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export function savedDoc(project: Project): PageDocument {
  return readDocument(fs.readFileSync(project.xmlFile, 'utf8')).doc;
}

export interface ViewTransform {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
  /** Canvas box on the page (CSS px). */
  readonly left: number;
  readonly top: number;
}

/** The canvas's image→screen transform, as it publishes it in data-view. */
export async function viewOf(page: Page): Promise<ViewTransform> {
  const canvas = page.locator('.page-canvas');
  const [scale, x, y] = (await canvas.getAttribute('data-view'))!.split(' ').map(Number) as [number, number, number];
  const box = (await canvas.boundingBox())!;
  return { scale, x, y, left: box.x, top: box.y };
}

/** Two animation frames: whatever the last event changed has been rendered. */
export async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** The view once it has stopped changing (a selection may move it to keep the line in sight). */
export async function steadyView(page: Page): Promise<ViewTransform> {
  let before = await viewOf(page);
  for (let i = 0; i < 50; i++) {
    await frames(page);
    const now = await viewOf(page);
    if (now.scale === before.scale && now.x === before.x && now.y === before.y) return now;
    before = now;
  }
  return before;
}

/** Every tile the view needs is drawn (the canvas says so in data-sharp). */
export async function tilesDrawn(page: Page): Promise<void> {
  await page.locator('.page-canvas[data-sharp="true"]').waitFor({ timeout: 60_000 });
}

export function toScreen(v: ViewTransform, p: Point): Point {
  return { x: v.left + v.x + p.x * v.scale, y: v.top + v.y + p.y * v.scale };
}

/** Presses Ctrl+S and waits until the app reports the page saved. */
export async function save(page: Page): Promise<void> {
  await page.keyboard.press('Control+s');
  await page.locator('.tb-save:not(.is-dirty)').waitFor();
  await page.locator('.status-notice', { hasText: 'Saved page/' }).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Lines of `after` that differ from `before`, for "only this changed" checks. */
export function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return [`line count ${a.length} → ${b.length}`];
  return b.filter((line, i) => line !== a[i]);
}

/** Closes the browser, stops the server, removes the session's temporary folders. */
async function closeAll(browser: Browser, server: Server, dirs: readonly string[]): Promise<void> {
  await browser.close();
  await server.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

/** A running editor: a temp project, its server, a browser page on it. */
export interface EditorSession {
  readonly project: Project;
  readonly server: Server;
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught errors of the page, for tests that assert there were none. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** Opens the editor on a fresh copy of the page (plus `copies` more) and waits for its lines. */
export async function openEditor(opts: { copies?: number; acceptDialogs?: boolean } = {}): Promise<EditorSession> {
  const project = makeProject(opts.copies ?? 0);
  const server = await startServer(project);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (opts.acceptDialogs) page.on('dialog', (d) => void d.accept());
  await page.goto(server.url);
  await page.locator('.page-canvas canvas').first().waitFor();
  await page.locator('.line-item').first().waitFor();
  return {
    project,
    server,
    browser,
    page,
    pageErrors,
    close: () => closeAll(browser, server, [project.dir, project.cacheDir]),
  };
}

/** Drags with the mouse from one screen point to another in small steps, as a hand would. */
export async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

/** A project made by the test itself (synthetic or damaged pages), served, with a browser: for pages no corpus file has. */
export interface FolderSession {
  readonly dir: string;
  readonly server: Server;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** A served folder with the editor open on it in a browser page, its lines listed. */
export async function openFolder(files: Readonly<Record<string, string | Buffer>>): Promise<FolderSession & { readonly page: Page; readonly pageErrors: string[] }> {
  const folder = await serveFolder(files);
  const page = await folder.browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(folder.server.url);
  await page.locator('.line-item').first().waitFor({ timeout: 60_000 });
  return { ...folder, page, pageErrors };
}

/** Writes `files` (name → content) into a fresh temporary project and serves it. */
export async function serveFolder(files: Readonly<Record<string, string | Buffer>>): Promise<FolderSession> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-folder-'));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-folder-cache-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const xml = Object.keys(files).find((n) => n.endsWith('.xml')) ?? '';
  const server = await startServer({ dir, xmlFile: path.join(dir, xml), originalXml: '', cacheDir });
  const browser = await launchBrowser();
  return {
    dir,
    server,
    browser,
    close: () => closeAll(browser, server, [dir, cacheDir]),
  };
}
