/**
 * The desktop shell's security decisions, tested without Electron (its binary
 * is not installed here): window options, CSP, the app:// origin, the IPC
 * sender check and argument validation, the preload's bridge, the menu.
 */
import { describe, expect, it, vi } from 'vitest';
import { secureWebPreferences, windowOptions } from '../../electron/main/window-options.js';
import { appResponseHeaders, CONTENT_SECURITY_POLICY } from '../../electron/main/csp.js';
import { APP_ENTRY, isAllowedRequest, isAppUrl } from '../../electron/main/app-origin.js';
import { checkMenuState, handleApiCall, isTrustedSender } from '../../electron/main/ipc-guard.js';
import { DEFAULT_WINDOW_STATE, fitToDisplays, MAX_RECENT, parseWindowState } from '../../electron/main/window-state.js';
import { menuTemplate } from '../../electron/main/menu.js';
import { IPC, MENU_COMMANDS } from '../../electron/common/api/bridge.js';
import type { MenuItemConstructorOptions } from 'electron';
import type { StudioService } from '../../electron/common/api/service.js';

const trusted = { url: APP_ENTRY, isMainFrame: true };

function recordingService(): { service: StudioService; calls: string[] } {
  const calls: string[] = [];
  const service = new Proxy({}, { get: (_t, m: string) => async (...args: unknown[]) => (calls.push(`${m}(${JSON.stringify(args).slice(1, -1)})`), 'ok') }) as StudioService;
  return { service, calls };
}

describe('BrowserWindow options', () => {
  it('isolate and sandbox the renderer, with no Node', () => {
    const wp = secureWebPreferences('/app/preload.cjs');
    expect(wp).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('use those preferences, start hidden, and restore the saved place', () => {
    const o = windowOptions('/p.cjs', { x: 10, y: 20, width: 1000, height: 700, maximized: false }, true);
    expect(o.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(o).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, show: false });
    expect(windowOptions('/p.cjs', DEFAULT_WINDOW_STATE, false)).not.toHaveProperty('x');
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name!, values] as const;
  }));

  it('allows only the app\'s own scripts and styles, no inline code, no eval', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval/);
  });

  it('loads nothing remote and cannot be framed', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|wss?:/);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('is sent with every app:// response', () => {
    expect(appResponseHeaders('text/html')).toMatchObject({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' });
  });
});

describe('app:// origin, navigation and remote content', () => {
  it('recognises only the app\'s own pages', () => {
    expect(isAppUrl('app://studio/index.html')).toBe(true);
    expect(isAppUrl('app://studio/assets/index.js')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://studio@evil.example/')).toBe(false);
    expect(isAppUrl('https://studio/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('javascript:alert(1)')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });

  it('cancels every request that is not the app\'s own', () => {
    expect(isAllowedRequest('app://studio/index.html')).toBe(true);
    expect(isAllowedRequest('blob:app://studio/6f1c')).toBe(true);
    expect(isAllowedRequest('https://example.com/x.js')).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/')).toBe(false);
    expect(isAllowedRequest('file:///home/user/.ssh/id_rsa')).toBe(false);
    expect(isAllowedRequest('ws://example.com')).toBe(false);
  });
});

describe('IPC', () => {
  it('trusts only the main frame of the app page', () => {
    expect(isTrustedSender(trusted)).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: undefined, isMainFrame: true })).toBe(false);
  });

  it('refuses calls from an untrusted sender without touching the engine', async () => {
    const { service, calls } = recordingService();
    const env = await handleApiCall(service, { url: 'https://evil.example/', isMainFrame: true }, 'listPages', []);
    expect(env.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('validates every argument against the method schema', async () => {
    const { service, calls } = recordingService();
    const bad: [unknown, unknown][] = [
      ['readFile', ['/etc/passwd']],
      ['__proto__', []],
      ['hasOwnProperty', ['x']],
      ['openPage', ['../../etc/passwd']],
      ['openPage', [{ toString: 'x' }]],
      ['openPage', null],
      ['savePage', ['p.xml', '<x/>']],
      ['savePage', ['p.xml', '<x/>', null, 'more']],
      ['getTile', ['p.xml', 0, -1, 0]],
      ['getTile', ['p.xml', 0, 0, Number.NaN]],
      ['getTile', ['p.xml', 0, 0, 2 ** 40]],
      ['chooseProject', ['/home']],
    ];
    for (const [method, args] of bad) {
      const env = await handleApiCall(service, trusted, method, args);
      expect(env, JSON.stringify([method, args])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(calls).toEqual([]);
    expect(await handleApiCall(service, trusted, 'getTile', ['page/p.xml', 3, 1, 2])).toEqual({ ok: true, value: 'ok' });
    expect(calls).toEqual(['getTile("page/p.xml",3,1,2)']);
  });

  it('accepts menu state only in its exact shape from the app', () => {
    const state = { undoLabel: 'Move baseline point', redoLabel: null, canSave: true, title: 'p — HTR Studio' };
    expect(checkMenuState(trusted, state)).toEqual(state);
    expect(checkMenuState({ url: 'https://evil.example/', isMainFrame: true }, state)).toBeUndefined();
    expect(checkMenuState(trusted, { ...state, extra: 1 })).toBeUndefined();
    expect(checkMenuState(trusted, { ...state, canSave: 'yes' })).toBeUndefined();
    expect(checkMenuState(trusted, { ...state, undoLabel: 'x'.repeat(201) })).toBeUndefined();
    expect(checkMenuState(trusted, null)).toBeUndefined();
  });
});

describe('preload bridge', () => {
  it('exposes only call, onCommand, setMenuState and onJobEvent, over fixed channels', async () => {
    const exposed: Record<string, unknown> = {};
    const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
    const send = vi.fn();
    const listeners = new Map<string, (e: unknown, ...a: unknown[]) => void>();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
      ipcRenderer: {
        invoke,
        send,
        on: (ch: string, fn: (e: unknown, ...a: unknown[]) => void) => listeners.set(ch, fn),
        off: (ch: string) => listeners.delete(ch),
      },
    }));
    await import('../../electron/preload/preload.js');
    vi.doUnmock('electron');
    expect(Object.keys(exposed)).toEqual(['htrStudio']);
    const bridge = exposed.htrStudio as { call: (m: string, a: unknown) => Promise<unknown>; onCommand: (fn: (c: string) => void) => () => void; setMenuState: (s: unknown) => void; onJobEvent: (fn: (e: unknown) => void) => () => void };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onCommand', 'onJobEvent', 'setMenuState']);
    await bridge.call('listPages', 'not-a-list');
    expect(invoke).toHaveBeenCalledWith(IPC.call, 'listPages', []);
    const got: string[] = [];
    const off = bridge.onCommand((c) => got.push(c));
    listeners.get(IPC.command)!({}, 'save');
    listeners.get(IPC.command)!({}, 'rm -rf');
    expect(got).toEqual(['save']);
    off();
    expect(listeners.has(IPC.command)).toBe(false);
    bridge.setMenuState({ undoLabel: null, redoLabel: null, canSave: false, title: 't' });
    expect(send).toHaveBeenCalledWith(IPC.menuState, { undoLabel: null, redoLabel: null, canSave: false, title: 't' });
    // Job events reach the page only in their exact shape.
    const events: unknown[] = [];
    const offJobs = bridge.onJobEvent((e) => events.push(e));
    const progress = { type: 'progress', jobId: 'job-1', done: 1, total: 2, pageId: null, label: 'p' };
    listeners.get(IPC.jobEvent)!({}, progress);
    listeners.get(IPC.jobEvent)!({}, { type: 'progress', jobId: 'job-1' });
    listeners.get(IPC.jobEvent)!({}, 'finished');
    expect(events).toEqual([progress]);
    offJobs();
    expect(listeners.has(IPC.jobEvent)).toBe(false);
  });
});

describe('window state', () => {
  it('survives missing, broken or odd files', () => {
    expect(parseWindowState(undefined)).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{oops')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{"width": 20, "height": "x", "x": 5}')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{"x":1,"y":2,"width":800,"height":600,"maximized":true,"lastProject":"/data/p"}')).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: true, lastProject: '/data/p' });
  });

  it('moves a window back onto a display when its monitor is gone', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const offscreen = { x: 3000, y: 100, width: 1000, height: 800, maximized: false };
    expect(fitToDisplays(offscreen, screen)).toEqual({ width: 1000, height: 800, maximized: false });
    const onscreen = { x: 100, y: 100, width: 1000, height: 800, maximized: false };
    expect(fitToDisplays(onscreen, screen)).toBe(onscreen);
  });
});

describe('menu', () => {
  const find = (t: ReturnType<typeof menuTemplate>, label: RegExp) =>
    t.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])).find((i) => typeof i.label === 'string' && label.test(i.label));

  it('labels Undo/Redo with the edit and keeps the usual shortcuts', () => {
    const sent: string[] = [];
    const t = menuTemplate({ undoLabel: 'Move baseline point', redoLabel: null, canSave: true, title: 'x' }, (c) => sent.push(c), 'linux');
    const undo = find(t, /^Undo/)!;
    expect(undo).toMatchObject({ label: 'Undo Move baseline point', accelerator: 'CmdOrCtrl+Z', enabled: true });
    expect(find(t, /^Redo/)).toMatchObject({ label: 'Redo', accelerator: 'Ctrl+Y', enabled: false });
    expect(find(t, /^Save/)).toMatchObject({ accelerator: 'CmdOrCtrl+S', enabled: true });
    expect(find(t, /^Open Folder/)).toMatchObject({ accelerator: 'CmdOrCtrl+O' });
    expect(find(t, /^Zoom In/)).toMatchObject({ accelerator: 'CmdOrCtrl+=' });
    (undo.click as () => void)();
    expect(sent).toEqual(['undo']);
    const mac = menuTemplate({ undoLabel: null, redoLabel: 'Edit text', canSave: false, title: 'x' }, () => undefined, 'darwin');
    expect(find(mac, /^Redo/)).toMatchObject({ label: 'Redo Edit text', accelerator: 'Shift+Cmd+Z', enabled: true });
    expect(find(mac, /^Save/)).toMatchObject({ enabled: false });
  });

  const all = (t: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    t.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? all(m.submenu) : [])]);
  const state = { undoLabel: null, redoLabel: null, canSave: false, title: 'x' };

  it('reaches every editor command, and shows single-key shortcuts without taking them from text fields', () => {
    const sent: string[] = [];
    const items = all(menuTemplate(state, (c) => sent.push(c), 'linux'));
    for (const i of items) if (typeof i.click === 'function' && !i.role) (i.click as () => void)();
    // Every command the renderer understands has a menu entry (next to its toolbar button or key).
    expect([...new Set(sent)].sort()).toEqual([...MENU_COMMANDS].sort());
    const byLabel = (label: string) => items.find((i) => i.label === label)!;
    expect(byLabel('Draw Region')).toMatchObject({ accelerator: 'R', registerAccelerator: false });
    expect(byLabel('Delete Selection')).toMatchObject({ accelerator: 'Delete', registerAccelerator: false });
    expect(byLabel('Merge Lines')).toMatchObject({ accelerator: 'M', registerAccelerator: false });
    // Modifier shortcuts are real accelerators (the renderer leaves them to the menu in the desktop app).
    expect(byLabel('Fit Page')).toMatchObject({ accelerator: 'CmdOrCtrl+0' });
    expect(byLabel('Fit Page').registerAccelerator).toBeUndefined();
    // A single key that is registered would be swallowed while typing a transcription.
    for (const i of items) if (typeof i.accelerator === 'string' && !/CmdOrCtrl|Ctrl|Cmd|Alt/.test(i.accelerator)) expect(i.registerAccelerator, i.label).toBe(false);
  });

  it('lists recent folders under File › Open Recent, opens and clears them', () => {
    const opened: string[] = [];
    let cleared = 0;
    const recent = { dirs: ['/data/registre & actes', '/data/wills'], open: (d: string) => opened.push(d), clear: () => cleared++ };
    const items = all(menuTemplate(state, () => undefined, 'linux', undefined, recent));
    const sub = items.find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[];
    // "&" would be read as a mnemonic marker: doubled, it shows as itself.
    expect(sub.map((i) => i.label ?? i.type)).toEqual(['/data/registre && actes', '/data/wills', 'separator', 'Clear Recent']);
    (sub[1]!.click as () => void)();
    (sub[3]!.click as () => void)();
    expect(opened).toEqual(['/data/wills']);
    expect(cleared).toBe(1);
    const none = all(menuTemplate(state, () => undefined, 'linux')).find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[];
    expect(none).toEqual([{ label: 'No Recent Folders', enabled: false }]);
  });

  it('reads the recent folders an older version kept in window-state.json (carried over into recent.json), tolerant of a hand-edited file', () => {
    const many = Array.from({ length: MAX_RECENT + 3 }, (_, i) => `/p/${i}`);
    expect(parseWindowState(JSON.stringify({ recentProjects: many })).recentProjects).toEqual(many.slice(0, MAX_RECENT));
    expect(parseWindowState('{"recentProjects":["/a",7,"","/a",null,"/b"]}').recentProjects).toEqual(['/a', '/b']);
    expect(parseWindowState('{"recentProjects":"/a"}').recentProjects).toBeUndefined();
  });
});
