// The desktop app's start path, without Electron's binary (it cannot be
// downloaded here): electron/main/main.ts runs against a stand-in `electron`
// module that records what main asks of it, while the engine it starts is the
// real one — `htr-studio serve --parent-port` forked as a Node child, which
// speaks the same message protocol as Electron's utility process. So the test
// covers: the privileged app:// scheme, the secure window, locked-down sessions,
// navigation blocking, IPC calls answered by the real engine on a real project,
// untrusted senders refused, the menu with File › Open Recent, and quitting.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { IPC } from '../../electron/common/api/bridge.js';
import { APP_ENTRY } from '../../electron/main/app-origin.js';
import { CORPUS } from '../helpers/corpus.js';

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

/** Electron's UtilityProcess, played by a forked Node child with an IPC channel. */
function forkLikeUtilityProcess(entry: string, args: string[]) {
  const child = fork(entry, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, HTR_STUDIO_CACHE_DIR: path.join(tmp, 'cache') } });
  rec.forks.push(child);
  return {
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
  userData = path.join(tmp, 'userData');
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
      isPackaged: false,
      quit: () => undefined,
    },
    protocol: { registerSchemesAsPrivileged: (s: unknown) => rec.privileged.push(s), handle: () => undefined },
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
    // The window state, with the recent folder, was written to userData.
    const saved = JSON.parse(fs.readFileSync(path.join(userData, 'window-state.json'), 'utf8'));
    expect(saved).toMatchObject({ lastProject: project, recentProjects: [project] });
  }, 30_000);

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
