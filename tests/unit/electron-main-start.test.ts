// The desktop app's start path, without Electron's binary (it cannot be
// downloaded here): electron/main/main.ts runs against a stand-in `electron`
// module that records what main asks of it, while the engine it starts is the
// real one — `htr-studio serve --parent-port` forked as a Node child, which
// speaks the same message protocol as Electron's utility process. So the test
// covers: the privileged app:// scheme, the secure window, locked-down sessions,
// navigation blocking, IPC calls answered by the real engine on a real project,
// untrusted senders refused, the menu with File › Open Recent, and quitting;
// the sandbox for every renderer, the user data folder and the session log with
// Help › Open Log Folder. Then main again as an installed app (app.isPackaged,
// process.resourcesPath): the packaged path layout of electron/node/paths.ts —
// the editor, the engine and its models taken from resources/. The single-instance
// lock: a second launch's page file opens in the running window; a second instance
// that does not get the lock quits without a window, an engine or a log.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { IPC } from '../../electron/common/api/bridge.js';
import { APP_ENTRY } from '../../electron/main/app-origin.js';
import { userDataDir } from '../../electron/node/paths.js';
import { CORPUS, REPO } from '../helpers/corpus.js';

type Listener = (...args: unknown[]) => unknown;

const rec = {
  privileged: [] as unknown[],
  appListeners: new Map<string, Listener>(),
  windows: [] as FakeWindow[],
  ipcHandlers: new Map<string, Listener>(),
  ipcListeners: new Map<string, Listener>(),
  menus: [] as MenuItemConstructorOptions[][],
  openDialogs: 0,
  forks: [] as ChildProcess[],
  forkOptions: [] as { entry: string; env?: NodeJS.ProcessEnv }[],
  userDataSet: [] as string[],
  sandboxed: 0,
  openedPaths: [] as string[],
  focused: 0,
  quits: 0,
  protocolHandler: undefined as undefined | ((request: { url: string }) => Promise<Response>),
  beforeRequest: undefined as undefined | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
  permissionCheck: undefined as undefined | (() => boolean),
};

class FakeWindow {
  readonly sent: unknown[][] = [];
  readonly handlers = new Map<string, Listener>();
  loaded: string | undefined;
  readonly webContents = {
    mainFrame: { url: APP_ENTRY },
    send: (...a: unknown[]) => this.sent.push(a),
    openDevTools: () => undefined,
  };
  constructor(readonly options: Record<string, unknown>) {
    rec.windows.push(this);
  }
  maximize(): void {}
  focus(): void {
    rec.focused++;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {}
  setTitle(): void {}
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1200, height: 800 };
  }
  once(ev: string, fn: Listener): void {
    this.handlers.set(ev, fn);
  }
  on(ev: string, fn: Listener): void {
    this.handlers.set(ev, fn);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
}

let tmp: string;
let project: string;
let userData: string;
const argv = process.argv;

/** Whether main runs as an installed app (the second part of this file), and whether it gets the single-instance lock (the third). */
const fakeApp = { isPackaged: false, primary: true };

/** Electron's UtilityProcess, played by a forked Node child with an IPC channel. */
function forkLikeUtilityProcess(entry: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  rec.forkOptions.push({ entry, env: options.env });
  // The engine's user data folder (recent.json) is main's: <XDG_CONFIG_HOME>/htr-studio, both in tmp.
  const env = { ...(options.env ?? process.env), HTR_STUDIO_CACHE_DIR: path.join(tmp, 'cache'), HTR_STUDIO_MODELS: path.join(tmp, 'user-models'), XDG_CONFIG_HOME: path.dirname(userData) };
  const child = fork(entry, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env });
  rec.forks.push(child);
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    postMessage: (m: unknown) => child.send(m as object),
    on: (ev: string, fn: Listener) => child.on(ev, fn),
    off: (ev: string, fn: Listener) => child.off(ev, fn),
    once: (ev: string, fn: Listener) => child.once(ev, fn),
    kill: () => child.kill(),
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-main-'));
  project = path.join(tmp, 'wills');
  userData = path.join(tmp, 'config', 'htr-studio');
  fs.mkdirSync(path.join(project, 'page'), { recursive: true });
  const src = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
  fs.copyFileSync(path.join(src, 'PH 1858-535.jpg'), path.join(project, 'PH 1858-535.jpg'));
  fs.copyFileSync(path.join(src, 'page', 'PH 1858-535.xml'), path.join(project, 'page', 'PH 1858-535.xml'));
  // A folder named on the command line is opened at start, as `htr-studio-desktop DIR` would.
  process.argv = [argv[0]!, 'electron-main', project];

  vi.doMock('electron', () => ({
    app: {
      whenReady: () => Promise.resolve(),
      on: (ev: string, fn: Listener) => rec.appListeners.set(ev, fn),
      getPath: () => userData,
      setPath: (name: string, p: string) => name === 'userData' && rec.userDataSet.push(p),
      getVersion: () => '0.1.0',
      enableSandbox: () => rec.sandboxed++,
      get isPackaged() {
        return fakeApp.isPackaged;
      },
      quit: () => {
        rec.quits++;
      },
      requestSingleInstanceLock: () => fakeApp.primary,
    },
    shell: { openPath: async (p: string) => (rec.openedPaths.push(p), '') },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => rec.privileged.push(s),
      handle: (_scheme: string, fn: typeof rec.protocolHandler) => (rec.protocolHandler = fn),
    },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: (fn: typeof rec.beforeRequest) => (rec.beforeRequest = fn) },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: (fn: () => boolean) => (rec.permissionCheck = fn),
      },
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (ch: string, fn: Listener) => rec.ipcHandlers.set(ch, fn),
      on: (ch: string, fn: Listener) => rec.ipcListeners.set(ch, fn),
    },
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t, setApplicationMenu: (t: MenuItemConstructorOptions[]) => rec.menus.push(t) },
    dialog: {
      showOpenDialog: async () => {
        rec.openDialogs++;
        return { canceled: true, filePaths: [] };
      },
      showMessageBox: async () => ({ response: 0 }),
    },
    nativeTheme: { shouldUseDarkColors: true },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    utilityProcess: { fork: forkLikeUtilityProcess },
  }));
  await import('../../electron/main/main.js');
  await vi.waitFor(() => expect(rec.windows).toHaveLength(1));
}, 60_000);

afterAll(() => {
  process.argv = argv;
  delete (process as { resourcesPath?: string }).resourcesPath;
  vi.doUnmock('electron');
  for (const c of rec.forks) c.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const win = () => rec.windows[0]!;
const trustedEvent = () => ({ senderFrame: win().webContents.mainFrame });
const call = (method: string, args: unknown[], event: unknown = trustedEvent()) => rec.ipcHandlers.get(IPC.call)!(event, method, args) as Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
const items = (t: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => t.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? items(m.submenu) : [])]);

describe('desktop main process (stand-in Electron, real engine)', () => {
  it('registers app:// as a secure scheme and opens one sandboxed window on it', () => {
    expect(rec.privileged).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    const prefs = win().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(win().loaded).toBe(APP_ENTRY);
  });

  it('cancels remote requests, grants no permissions and blocks navigation away from the app', () => {
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      rec.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict(`${APP_ENTRY}`)).toBe(false);
    expect(verdict('https://example.org/tracker.js')).toBe(true);
    expect(rec.permissionCheck!()).toBe(false);
    const contentsHandlers = new Map<string, Listener>();
    let openHandler: (() => unknown) | undefined;
    rec.appListeners.get('web-contents-created')!({}, { on: (ev: string, fn: Listener) => contentsHandlers.set(ev, fn), setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn) });
    const nav = (url: string) => {
      const ev = { prevented: false, preventDefault() { this.prevented = true; } };
      contentsHandlers.get('will-navigate')!(ev, url);
      return ev.prevented;
    };
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav(`${APP_ENTRY}#page`)).toBe(false);
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('answers the renderer over IPC from the real engine, with the folder given at start opened', async () => {
    const info = await vi.waitFor(async () => {
      const r = await call('getProject', []);
      expect(r.value).toMatchObject({ name: 'wills', pageCount: 1 });
      return r.value;
    }, { timeout: 30_000, interval: 200 });
    expect(info).toMatchObject({ dir: project });
    const pages = await call('listPages', []);
    expect(pages).toMatchObject({ ok: true, value: [{ id: 'PH 1858-535.jpg', xmlPath: 'page/PH 1858-535.xml', name: 'PH 1858-535' }] });
    const opened = await call('openPage', ['PH 1858-535.jpg']);
    expect(opened.ok).toBe(true);
    expect((opened.value as { image: { width: number } }).image.width).toBe(3072);
  }, 60_000);

  it('refuses calls from another frame or page, and bad arguments, before the engine sees them', async () => {
    expect(await call('listPages', [], { senderFrame: { url: 'https://evil.example/' } })).toMatchObject({ ok: false });
    expect(await call('openPage', ['../../etc/passwd'])).toMatchObject({ ok: false });
    expect(await call('no-such-method', [])).toMatchObject({ ok: false });
  });

  it('lists the opened folder under File › Open Recent; choosing it opens it without a dialog', async () => {
    const menu = await vi.waitFor(() => {
      const m = rec.menus.at(-1)!;
      const recent = items(m).find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[];
      expect(recent[0]!.label).toBe(project);
      return recent;
    });
    (menu[0]!.click as () => void)();
    // The renderer is told to choose a project (it saves its page first); main answers with that folder.
    expect(win().sent.at(-1)).toEqual([IPC.command, 'open-project']);
    const chosen = await call('chooseProject', []);
    expect(chosen).toMatchObject({ ok: true, value: { dir: project } });
    expect(rec.openDialogs).toBe(0);
    // An ordinary "Open Folder…" shows the native dialog (cancelled here).
    expect(await call('chooseProject', [])).toMatchObject({ ok: true, value: null });
    expect(rec.openDialogs).toBe(1);
    // The window state (the last project) and the engine's recent projects (the menu's list too) are in userData.
    const saved = JSON.parse(fs.readFileSync(path.join(userData, 'window-state.json'), 'utf8'));
    expect(saved).toMatchObject({ lastProject: project });
    expect(JSON.parse(fs.readFileSync(path.join(userData, 'recent.json'), 'utf8')).recent[0]).toMatchObject({ dir: project });
  }, 30_000);

  it('a second launch with a page file brings this window forward and opens that page\'s project (single instance)', async () => {
    const letters = path.join(tmp, 'letters');
    fs.mkdirSync(path.join(letters, 'page'), { recursive: true });
    fs.copyFileSync(path.join(project, 'PH 1858-535.jpg'), path.join(letters, 'PH 1858-535.jpg'));
    fs.copyFileSync(path.join(project, 'page', 'PH 1858-535.xml'), path.join(letters, 'page', 'PH 1858-535.xml'));
    const focused = rec.focused;
    // As the system starts it: the second instance's own argv, a path relative to its own working folder.
    rec.appListeners.get('second-instance')!({}, [argv[0]!, 'electron-main', path.join('letters', 'page', 'PH 1858-535.xml')], tmp);
    expect(rec.focused).toBe(focused + 1);
    expect(rec.windows).toHaveLength(1);
    expect(win().sent.at(-1)).toEqual([IPC.command, 'open-project']);
    expect(await call('chooseProject', [])).toMatchObject({ ok: true, value: { dir: letters, name: 'letters' } });
    expect(rec.openDialogs).toBe(1);
    // It heads File › Open Recent now; a second launch with nothing to open only focuses.
    const recent = items(rec.menus.at(-1)!).find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[];
    expect(recent.slice(0, 2).map((i) => i.label)).toEqual([letters, project]);
    const sent = win().sent.length;
    rec.appListeners.get('second-instance')!({}, [argv[0]!, 'electron-main'], tmp);
    expect(rec.focused).toBe(focused + 2);
    expect(win().sent.length).toBe(sent);
    // The start screen's calls go through main too: the session log is main's, the models folder shown by the shell.
    const start = await call('startInfo', []);
    expect(start).toMatchObject({ ok: true, value: { userModels: path.join(tmp, 'user-models'), sessionLog: expect.stringContaining(path.join(userData, 'logs')) } });
    expect(await call('revealPath', ['user-models'])).toMatchObject({ ok: true });
    expect(rec.openedPaths.at(-1)).toBe(path.join(tmp, 'user-models'));
    rec.openedPaths.length = 0;
    expect(await call('openProject', [project])).toMatchObject({ ok: true, value: { dir: project } });
  }, 60_000);

  it('sandboxes every renderer, keeps the user data folder of paths.ts, and logs the session there', async () => {
    expect(rec.sandboxed).toBe(1);
    expect(rec.userDataSet).toEqual([userDataDir()]);
    const logs = path.join(userData, 'logs');
    const [log] = fs.readdirSync(logs);
    expect(log).toMatch(/^session-.*\.log$/);
    const text = fs.readFileSync(path.join(logs, log!), 'utf8');
    expect(text).toMatch(/\[main\] HTR Studio 0\.1\.0 \(dev\)/);
    expect(text).toContain(`models ${path.join(REPO, 'native-models')}`);
    expect(text).toContain(`[main] project opened: ${project}`);
    const help = items(rec.menus.at(-1)!).find((i) => i.label === 'Open Log Folder')!;
    (help.click as () => void)();
    expect(rec.openedPaths).toEqual([logs]);
    // The engine is the checkout's, started without the packaged layout's variable.
    expect(rec.forkOptions[0]).toMatchObject({ entry: path.join(REPO, 'bin', 'htr-studio.cjs') });
    expect(rec.forkOptions[0]!.env?.HTR_STUDIO_RESOURCES).toBeUndefined();
  });

  it('takes menu state from the app only, and stops the engine on quit', async () => {
    rec.ipcListeners.get(IPC.menuState)!(trustedEvent(), { undoLabel: 'Edit text', redoLabel: null, canSave: true, title: 'p' });
    expect(items(rec.menus.at(-1)!).find((i) => typeof i.label === 'string' && i.label.startsWith('Undo'))!.label).toBe('Undo Edit text');
    const before = rec.menus.length;
    rec.ipcListeners.get(IPC.menuState)!({ senderFrame: { url: 'https://evil.example/' } }, { undoLabel: 'x', redoLabel: null, canSave: true, title: 'p' });
    expect(rec.menus.length).toBe(before);
    const engine = rec.forks[0]!;
    const exited = new Promise((done) => engine.once('exit', done));
    rec.appListeners.get('will-quit')!();
    await exited;
    expect(engine.exitCode !== null || engine.signalCode !== null).toBe(true);
  }, 30_000);
});

describe('desktop main process as an installed app (packaged path layout)', () => {
  let resources: string;

  beforeAll(async () => {
    // resources/ as electron-builder lays it out: app.asar (a folder here: Node cannot read an archive) with the
    // engine's entry and the built editor, the models beside it (one whose id only this layout has), the sample.
    resources = path.join(tmp, 'installed', 'resources');
    const appAsar = path.join(resources, 'app.asar');
    fs.mkdirSync(path.join(appAsar, 'dist', 'renderer'), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'bin'), path.join(appAsar, 'bin'));
    fs.writeFileSync(path.join(appAsar, 'dist', 'renderer', 'index.html'), '<!doctype html><title>installed editor</title>');
    const model = JSON.parse(fs.readFileSync(path.join(REPO, 'native-models', 'layout-default', 'model.json'), 'utf8'));
    fs.mkdirSync(path.join(resources, 'models', 'packaged-probe'), { recursive: true });
    fs.writeFileSync(path.join(resources, 'models', 'packaged-probe', 'model.json'), JSON.stringify({ ...model, id: 'packaged-probe', name: 'Packaged layout probe' }));
    fs.cpSync(path.join(REPO, 'assets', 'sample'), path.join(resources, 'sample'), { recursive: true });

    for (const c of rec.forks) c.kill();
    rec.windows.length = 0;
    rec.menus.length = 0;
    rec.forks.length = 0;
    rec.forkOptions.length = 0;
    rec.userDataSet.length = 0;
    rec.sandboxed = 0;
    fakeApp.isPackaged = true;
    (process as { resourcesPath?: string }).resourcesPath = resources;
    // An installed app gets its arguments with no script path before them: here a page file, as the
    // system passes one opened through the file association; its project (the folder above page/) opens.
    process.argv = [argv[0]!, path.join(project, 'page', 'PH 1858-535.xml')];
    vi.resetModules();
    await import('../../electron/main/main.js');
    await vi.waitFor(() => expect(rec.windows).toHaveLength(1));
  }, 60_000);

  it('serves the editor from resources/app.asar and starts the engine from there, told the layout', async () => {
    const res = await rec.protocolHandler!({ url: APP_ENTRY });
    expect(await res.text()).toContain('installed editor');
    expect(rec.forkOptions).toHaveLength(1);
    expect(rec.forkOptions[0]!.entry).toBe(path.join(resources, 'app.asar', 'bin', 'htr-studio.cjs'));
    expect(rec.forkOptions[0]!.env?.HTR_STUDIO_RESOURCES).toBe(resources);
    expect(rec.sandboxed).toBe(1);
    expect(rec.userDataSet).toEqual([userDataDir()]);
    // No developer tools in an installed app.
    expect(items(rec.menus.at(-1)!).some((i) => i.label === 'Developer Tools')).toBe(false);
  });

  it("lists the models of resources/models in the engine, and opens the project of the page file given as the first argument", async () => {
    const info = await vi.waitFor(async () => {
      const r = await call('getProject', []);
      expect(r.value).toMatchObject({ name: 'wills' });
      return r.value;
    }, { timeout: 30_000, interval: 200 });
    expect(info).toMatchObject({ dir: project });
    const models = (await call('listDetectors', [])).value as { id: string; origin: string }[];
    expect(models.find((m) => m.id === 'packaged-probe')).toMatchObject({ origin: 'shipped' });
    // The checkout's own models are not the installed app's.
    expect(models.some((m) => m.id === 'layout-default')).toBe(false);
    const logs = fs.readdirSync(path.join(userData, 'logs'));
    const texts = logs.map((f) => fs.readFileSync(path.join(userData, 'logs', f), 'utf8'));
    expect(texts.some((t) => t.includes('(packaged)') && t.includes(`models ${path.join(resources, 'models')}`))).toBe(true);
  }, 60_000);

  it('opens a page file the system hands the running app (macOS open-file) as its project, after the page is saved', async () => {
    let prevented = false;
    rec.appListeners.get('open-file')!({ preventDefault: () => (prevented = true) }, path.join(project, 'page', 'PH 1858-535.xml'));
    expect(prevented).toBe(true);
    expect(win().sent.at(-1)).toEqual([IPC.command, 'open-project']);
    expect(await call('chooseProject', [])).toMatchObject({ ok: true, value: { dir: project } });
  }, 30_000);

  it('stops the engine on quit', async () => {
    const engine = rec.forks[0]!;
    const exited = new Promise((done) => engine.once('exit', done));
    rec.appListeners.get('will-quit')!();
    await exited;
  }, 30_000);
});

describe('a second desktop instance (the single-instance lock is taken)', () => {
  let logsBefore: string[];

  beforeAll(async () => {
    for (const c of rec.forks) c.kill();
    rec.windows.length = 0;
    rec.forks.length = 0;
    rec.quits = 0;
    fakeApp.primary = false;
    logsBefore = fs.readdirSync(path.join(userData, 'logs'));
    vi.resetModules();
    await import('../../electron/main/main.js');
    await new Promise((r) => setTimeout(r, 200));
  }, 60_000);

  it('quits at once: no window, no engine, no session log; the running app got its arguments', () => {
    expect(rec.quits).toBe(1);
    expect(rec.windows).toHaveLength(0);
    expect(rec.forks).toHaveLength(0);
    expect(fs.readdirSync(path.join(userData, 'logs'))).toEqual(logsBefore);
  });
});
