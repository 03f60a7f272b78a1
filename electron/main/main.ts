/**
 * Electron main process: one secure window showing the renderer from app://,
 * the service over IPC (answered by the engine in a utility process), job
 * events forwarded to the window, the menu, and the remembered window state. One
 * app per user (single-instance lock): a second launch — a PAGE file double-clicked
 * while the app runs — hands its arguments to this one and quits. Security
 * decisions live in plain modules (window-options, app-origin, ipc-guard, csp)
 * so they are unit-tested without Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, screen, session, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { IPC, type MenuCommand, type MenuState } from '../common/api/bridge.js';
import { APP_ENTRY, APP_HOST, APP_SCHEME, isAllowedRequest, isAppUrl } from './app-origin.js';
import { appResponseHeaders } from './csp.js';
import { checkMenuState, handleApiCall, type SenderInfo } from './ipc-guard.js';
import { INITIAL_MENU_STATE, menuTemplate } from './menu.js';
import { windowOptions } from './window-options.js';
import { fitToDisplays, parseWindowState, type WindowState } from './window-state.js';
import { DesktopService } from './desktop-service.js';
import { readStatic } from '../node/server/static-files.js';
import { EngineProcess } from './engine-process.js';
import { resolvePaths, setRuntimePaths } from '../node/paths.js';
import { openSessionLog, type SessionLog } from '../node/session-log.js';
import { RecentProjects } from '../node/project/recent-projects.js';
import { projectFolderFor, projectFromArgs } from './open-target.js';

// Every path from one module (electron/node/paths.ts): the checkout's files in dev,
// resources/ of the installed app when packaged; the user data folder is the same in
// both, and the same as browser mode's (`npm start` without Electron).
const paths = setRuntimePaths(resolvePaths(app.isPackaged ? { resourcesPath: process.resourcesPath } : {}));
app.setPath('userData', paths.userData);
/**
 * The lock is per user data folder (so after setPath). A second instance quits at
 * once — no log, no window, no engine — and this one hears of it (second-instance).
 */
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();

const RENDERER_DIR = paths.renderer;
const PRELOAD = path.join(__dirname, 'preload.cjs');
const userData = (): string => app.getPath('userData');
const stateFile = (): string => path.join(userData(), 'window-state.json');
/** This session's log file (main process and engine), in the user data folder; never sent anywhere. */
const logsDir = path.join(userData(), 'logs');
const noLog: SessionLog = { file: undefined, write: () => undefined, lineWriter: () => () => undefined };
const sessionLog = primary ? openSessionLog(logsDir) : noLog;
/** The engine keeps the recent projects (recent.json in userData); File › Open Recent reads the same list. */
const recentProjects = new RecentProjects(userData());
sessionLog.write('main', `HTR Studio ${app.getVersion?.() ?? ''} (${paths.mode}), Electron ${process.versions.electron ?? '-'}, ${process.platform} ${process.arch}`);
sessionLog.write('main', `app ${paths.appRoot}; models ${paths.shippedModels}; user models ${paths.userModels}; user data ${userData()}`);
process.on('uncaughtExceptionMonitor', (err) => sessionLog.write('main', `uncaught: ${err?.stack ?? String(err)}`));

// Must happen before `ready`: app:// behaves like https (secure context, own origin).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;
let menuState: MenuState = INITIAL_MENU_STATE;
let windowState: WindowState = parseWindowState(undefined);
/** A folder chosen in File › Open Recent: the renderer's next "choose a project" gets it instead of a dialog (after saving its page). */
let pendingProject: string | undefined;
let lastExportDir: string | undefined;

/** macOS hands files opened through a file association to a running app as events, also before `ready`. */
let openedFromSystem: string | undefined;
let appReady = false;
app.on('open-file', (event, file) => {
  event.preventDefault();
  const dir = projectFolderFor(file);
  if (!dir) return;
  if (!appReady) {
    openedFromSystem = dir;
    return;
  }
  openFromSystem(dir);
});

/** As File › Open Recent: the renderer saves its page, then asks for a project and gets this one. */
function openFromSystem(dir: string): void {
  pendingProject = dir;
  sendCommand('open-project');
}

// Another launch (a PAGE file or a folder opened from the file manager or a terminal): this
// window comes forward and opens what it was given; its relative paths are from its own folder.
app.on('second-instance', (_event, argv: string[], workingDirectory: string) => {
  sessionLog.write('main', 'second launch: handed over to this window');
  const dir = projectFromArgs(argv, app.isPackaged, workingDirectory);
  if (!appReady) {
    if (dir) openedFromSystem = dir;
    return;
  }
  if (!win) createWindow();
  else {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
  if (dir) openFromSystem(dir);
});

function loadWindowState(): WindowState {
  let text: string | undefined;
  try {
    text = fs.readFileSync(stateFile(), 'utf8');
  } catch {
    text = undefined;
  }
  return fitToDisplays(parseWindowState(text), screen.getAllDisplays().map((d) => d.workArea));
}

function saveWindowState(): void {
  if (win) {
    const b = win.getNormalBounds();
    windowState = { ...windowState, x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
  }
  try {
    fs.mkdirSync(path.dirname(stateFile()), { recursive: true });
    fs.writeFileSync(stateFile(), JSON.stringify(windowState, null, 2));
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}

function sendCommand(command: MenuCommand): void {
  win?.webContents.send(IPC.command, command);
}

function rebuildMenu(): void {
  const devTools = app.isPackaged ? undefined : () => win?.webContents.openDevTools({ mode: 'detach' });
  const recent = {
    dirs: recentProjects.dirs(),
    // The renderer saves the open page first, then asks for a project: it gets this one.
    open: (dir: string) => {
      pendingProject = dir;
      sendCommand('open-project');
    },
    clear: () => void recentProjects.clear().then(rebuildMenu, rebuildMenu),
  };
  const help = { openLogFolder: () => void shell.openPath(logsDir) };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(menuState, sendCommand, process.platform, devTools, recent, help)));
  win?.setTitle(menuState.title);
}

function senderOf(event: IpcMainInvokeEvent | IpcMainEvent): SenderInfo {
  const frame = event.senderFrame;
  return { url: frame?.url, isMainFrame: !!frame && !!win && frame === win.webContents.mainFrame };
}

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const file = await readStatic(RENDERER_DIR, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), { status: 200, headers: appResponseHeaders(file.type) });
  });
}

function lockDownSessions(): void {
  const ses = session.defaultSession;
  // No remote content: anything but the app's own files is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  // The editor needs no camera, notifications, geolocation…
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function createWindow(): void {
  // The state in memory is the file's (read once at start) plus what happened since.
  windowState = fitToDisplays(windowState, screen.getAllDisplays().map((d) => d.workArea));
  win = new BrowserWindow(windowOptions(PRELOAD, windowState, nativeTheme.shouldUseDarkColors));
  if (windowState.maximized) win.maximize();
  win.once('ready-to-show', () => win?.show());
  win.on('close', saveWindowState);
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(APP_ENTRY);
}

if (primary) void app.whenReady().then(() => {
  appReady = true;
  windowState = loadWindowState();
  // An older version kept File › Open Recent in window-state.json: carried into recent.json once, then dropped.
  const { recentProjects: older, ...rest } = windowState;
  windowState = rest;
  if (older?.length) void recentProjects.carryOver(older).then(rebuildMenu, () => undefined);
  serveAppProtocol();
  lockDownSessions();
  const engineLog = { stdout: sessionLog.lineWriter('engine'), stderr: sessionLog.lineWriter('engine') };
  const engine = new EngineProcess({
    paths,
    onOutput: (stream, chunk) => engineLog[stream](chunk),
    onExit: (code) => sessionLog.write('main', `engine exited (code ${code})`),
  });
  app.on('will-quit', () => {
    sessionLog.write('main', 'quit');
    engine.stop();
  });
  engine.subscribe((event) => win?.webContents.send(IPC.jobEvent, event));
  const service = new DesktopService(
    () => engine.get(),
    async () => {
      const chosen = pendingProject;
      pendingProject = undefined;
      if (chosen) {
        if (fs.statSync(chosen, { throwIfNoEntry: false })?.isDirectory()) return chosen;
        await recentProjects.remove(chosen).catch(() => undefined);
        rebuildMenu();
        const message = { type: 'warning' as const, message: 'That folder is no longer there', detail: `${chosen}\n\nIt was removed from the recent folders.` };
        await (win ? dialog.showMessageBox(win, message) : dialog.showMessageBox(message));
        return undefined;
      }
      const opts = { title: 'Open a folder of page images', properties: ['openDirectory' as const] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? undefined : r.filePaths[0];
    },
    (dir) => {
      // The engine has put it at the head of the recent projects; the menu reads them again.
      sessionLog.write('main', `project opened: ${dir}`);
      windowState = { ...windowState, lastProject: dir };
      saveWindowState();
      rebuildMenu();
    },
    async (suggestedName) => {
      // Exports go beside the last export (or to Documents), never into the project by default.
      const opts = {
        title: 'Export page',
        defaultPath: path.join(lastExportDir ?? app.getPath('documents'), suggestedName),
        filters: [{ name: 'XML', extensions: ['xml'] }],
      };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      if (r.canceled || !r.filePath) return undefined;
      lastExportDir = path.dirname(r.filePath);
      return r.filePath;
    },
    {
      // The start screen's buttons: the models folder (made first, so there is something to show), this session's log.
      reveal: async (target, info) => {
        if (target === 'user-models') {
          fs.mkdirSync(info.userModels, { recursive: true });
          const failed = await shell.openPath(info.userModels);
          if (failed) throw new Error(failed);
        } else if (info.sessionLog) shell.showItemInFolder(info.sessionLog);
        else await shell.openPath(logsDir);
      },
      sessionLog: sessionLog.file ?? null,
    },
    async (kind) => {
      // Import… › Add files / Add a folder: the paths go into the dialog's list, the engine reads them.
      const opts = {
        title: kind === 'files' ? 'Files to import' : 'A folder to import (an export, a workspace, images)',
        properties: kind === 'files' ? (['openFile', 'multiSelections'] as const) : (['openDirectory'] as const),
        filters: kind === 'files' ? [{ name: 'Images, PDF, PAGE/ALTO, METS, zip, IIIF manifest', extensions: ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp', 'jp2', 'pdf', 'xml', 'pxml', 'zip', 'json'] }, { name: 'All files', extensions: ['*'] }] : [],
      };
      const r = win ? await dialog.showOpenDialog(win, { ...opts, properties: [...opts.properties] }) : await dialog.showOpenDialog({ ...opts, properties: [...opts.properties] });
      return r.canceled ? [] : r.filePaths;
    },
  );
  ipcMain.handle(IPC.call, (event, method: unknown, args: unknown) => handleApiCall(service, senderOf(event), method, args));
  ipcMain.on(IPC.menuState, (event, state: unknown) => {
    const checked = checkMenuState(senderOf(event), state);
    if (!checked) return;
    menuState = checked;
    rebuildMenu();
  });
  // A folder named on the command line wins over the last one used.
  // …or a PAGE-XML or project file the system opened the app with (file associations).
  const argDir = openedFromSystem ?? projectFromArgs(process.argv, app.isPackaged);
  const last = windowState.lastProject;
  const initial = argDir ?? (last && fs.existsSync(last) ? last : undefined);
  if (initial) void service.open(path.resolve(initial)).catch(() => undefined);
  rebuildMenu();
  createWindow();
  app.on('activate', () => {
    if (!win) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
