/**
 * `npm start` (build/start.mjs) always starts something: without Electron's
 * binary it tries the download once (here it cannot succeed: the mirror is a
 * closed local port), then serves the editor in browser mode on a copy of the
 * sample project and prints the address. Child processes run in their own
 * process group and are killed in `finally`; every wait has a timeout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/corpus.js';

const SAMPLE = path.join(REPO, 'assets', 'sample');

/** Whether this checkout has Electron's binary (then the test asks for browser mode explicitly). */
function electronInstalled(): boolean {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const bin = path.join(dir, 'dist', fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
    return fs.existsSync(bin);
  } catch {
    return false;
  }
}
const HAS_ELECTRON = electronInstalled();

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

/** Runs `node build/start.mjs` with its user data and cache in `home`; resolves once it prints an address. */
function start(home: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    APPDATA: path.join(home, 'config'),
    HTR_STUDIO_CACHE_DIR: path.join(home, 'cache'),
    HTR_STUDIO_NO_BROWSER: '1',
    // Were the machine online, the download still could not happen (nor Electron start).
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    ...(HAS_ELECTRON && { HTR_STUDIO_BROWSER: '1' }),
    ...extraEnv,
  };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.HTR_STUDIO_NO_FETCH;
  const child = spawn(process.execPath, [path.join(REPO, 'build', 'start.mjs')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 30 s:\n${out}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start.mjs exited (${code}) without an address:\n${out}`));
    });
    const check = (): void => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({ child, url: m[0], output: () => out });
    };
    child.stdout!.on('data', check);
  });
}

/** Stops start.mjs and the server it started (the whole process group), waiting at most 10 s. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = new Promise<'late'>((done) => setTimeout(() => done('late'), 10_000));
  if ((await Promise.race([exited, timer])) === 'late') {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

async function listPages(url: string): Promise<{ name: string; xmlPath: string | null }[]> {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const res = await fetch(new URL('/api/call/listPages', u.origin), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ args: [] }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { ok: boolean; value: { name: string; xmlPath: string | null }[] };
  expect(body.ok).toBe(true);
  return body.value;
}

const sampleNames = fs.readdirSync(SAMPLE).filter((f) => f.endsWith('.jpg')).map((f) => f.replace(/\.jpg$/, '')).sort();

describe.skipIf(process.platform === 'win32')('npm start (build/start.mjs) without the Electron binary', () => {
  // start.mjs builds whatever is missing first; do that here, so the 30 s are the start's own.
  beforeAll(() => {
    const built = ['dist/cli.cjs', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'].every((f) => fs.existsSync(path.join(REPO, f)));
    if (!built) execFileSync(process.execPath, [path.join(REPO, 'build', 'build.mjs')], { cwd: REPO, stdio: 'ignore', timeout: 300_000 });
  }, 310_000);

  it('tries the download, then serves the editor on a copy of the sample and prints its address', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-start-'));
    let s: Started | undefined;
    try {
      s = await start(home);
      const out = s.output();
      if (!HAS_ELECTRON) expect(out).toMatch(/trying to download it[\s\S]*The download failed/);
      const copy = path.join(home, 'config', 'htr-studio', 'sample');
      expect(out).toContain(copy);

      // GET / is the editor's page (no token needed for static files).
      const page = await fetch(new URL('/', s.url), { signal: AbortSignal.timeout(10_000) });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toMatch(/<div id="root">|<script/);
      // The API without the token is refused; with it, lists the sample's pages.
      const refused = await fetch(new URL('/api/call/listPages', s.url), { method: 'POST', body: '{"args":[]}', signal: AbortSignal.timeout(10_000) });
      expect(refused.status).toBe(401);
      const pages = await listPages(s.url);
      expect(pages.map((p) => p.name).sort()).toEqual(sampleNames);
      for (const p of pages) expect(p.xmlPath).toBe(`page/${p.name}.xml`);

      // A copy: the shipped sample is the same, the copy is writable.
      for (const name of sampleNames) {
        expect(fs.readFileSync(path.join(copy, 'page', `${name}.xml`), 'utf8')).toBe(fs.readFileSync(path.join(SAMPLE, 'page', `${name}.xml`), 'utf8'));
        fs.accessSync(path.join(copy, 'page', `${name}.xml`), fs.constants.W_OK);
      }
    } finally {
      await stop(s?.child);
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('on a later run: no second download try for a day, the edited copy kept, the last project preferred', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-start-'));
    const data = path.join(home, 'config', 'htr-studio');
    let s: Started | undefined;
    try {
      // As a first run would leave it: a failed download remembered, the sample copied and edited.
      fs.mkdirSync(path.join(data, 'sample', 'page'), { recursive: true });
      fs.writeFileSync(path.join(data, 'electron-download-failed'), 'earlier\n');
      const edited = path.join(data, 'sample', 'page', `${sampleNames[0]}.xml`);
      const text = fs.readFileSync(path.join(SAMPLE, 'page', `${sampleNames[0]}.xml`), 'utf8').replace('<Unicode>', '<Unicode>EDITED ');
      fs.writeFileSync(edited, text);
      s = await start(home);
      expect(s.output()).not.toMatch(/trying to download/);
      expect(fs.readFileSync(edited, 'utf8')).toBe(text);
      expect((await listPages(s.url)).map((p) => p.name).sort()).toEqual(sampleNames);
      await stop(s.child);

      // The desktop app's last project (window-state.json) wins over the sample.
      const project = path.join(home, 'my project');
      fs.mkdirSync(project);
      fs.copyFileSync(path.join(SAMPLE, `${sampleNames[1]}.jpg`), path.join(project, 'only.jpg'));
      fs.writeFileSync(path.join(data, 'window-state.json'), JSON.stringify({ width: 1400, height: 900, maximized: false, lastProject: project }));
      s = await start(home);
      expect(s.output()).toContain(project);
      expect((await listPages(s.url)).map((p) => p.name)).toEqual(['only']);
    } finally {
      await stop(s?.child);
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});
