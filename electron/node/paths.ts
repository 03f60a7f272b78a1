/**
 * Every runtime path HTR Studio uses, resolved in one place for the three ways it
 * runs:
 *
 *  - **dev**: from a checkout (`npm start` with Electron, `npx htr-studio`, tests):
 *    the app's files are the repository's (dist/, native-models/, assets/).
 *  - **browser**: `htr-studio serve` (and `npm start` without Electron): the
 *    checkout's files as in dev; only the window is a web browser's.
 *  - **packaged**: an installed app (electron-builder): the code in
 *    `resources/app.asar` (native modules and data beside it in
 *    `resources/app.asar.unpacked`), the models in `resources/models`, the sample in
 *    `resources/sample`. Known from Electron's `process.resourcesPath` in the main
 *    process, which passes it on to the engine as HTR_STUDIO_RESOURCES, or from this
 *    code's own place inside an app.asar.
 *
 * Per-user folders, the same in all three modes (so the desktop app, browser
 * mode and the CLI share the window state, the sample copy and the models):
 *
 * | folder       | Linux                                | macOS                                            | Windows                              |
 * |--------------|--------------------------------------|--------------------------------------------------|--------------------------------------|
 * | user data    | $XDG_CONFIG_HOME/htr-studio (~/.config/htr-studio) | ~/Library/Application Support/htr-studio | %APPDATA%\htr-studio                 |
 * | logs         | <user data>/logs                     | <user data>/logs                                 | <user data>\logs                     |
 * | sample copy  | <user data>/sample                   | <user data>/sample                               | <user data>\sample                   |
 * | user models  | $XDG_DATA_HOME/htr-studio/models (~/.local/share/…) | ~/Library/Application Support/HTR Studio/models | %APPDATA%\HTR Studio\models |
 * | tile cache   | $XDG_CACHE_HOME/htr-studio (~/.cache/htr-studio) | ~/Library/Caches/htr-studio          | %LOCALAPPDATA%\htr-studio\Cache      |
 *
 * The official XSDs the app was built with (build/schemas.mjs) are in dist/schemas
 * (dev, browser) or resources/schemas (packaged); a user may drop them into
 * <user data>/schemas instead.
 *
 * Overrides: HTR_STUDIO_MODELS (user models), HTR_STUDIO_NATIVE_MODELS (shipped
 * models), HTR_STUDIO_CACHE_DIR (tile cache), HTR_STUDIO_RESOURCES (packaged layout),
 * HTR_STUDIO_SCHEMAS (the XSD folder).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type RunMode = 'dev' | 'browser' | 'packaged';

/** The per-user folders depend only on these; tests pass their own. */
export interface PathEnv {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

export interface PathOptions extends PathEnv {
  /** Electron's process.resourcesPath of an installed app: the packaged layout. */
  readonly resourcesPath?: string;
  /** The app's root (the repository in dev; resources/app.asar when packaged); default: found from this module's place. */
  readonly appRoot?: string;
  /** Browser mode (`htr-studio serve`): the dev layout, served to a web browser. */
  readonly browser?: boolean;
}

export interface RuntimePaths {
  readonly mode: RunMode;
  /** The repository (dev, browser) or resources/app.asar (packaged). */
  readonly appRoot: string;
  /** resources/ of the installed app; undefined in dev and browser mode. */
  readonly resources: string | undefined;
  /** The built editor (index.html and its assets). */
  readonly renderer: string;
  /** The engine's entry, `htr-studio serve --parent-port` (bin/htr-studio.cjs). */
  readonly engineEntry: string;
  /** HTR Studio's own models (htr-default, layout-default). */
  readonly shippedModels: string;
  /** The training recipes' scripts (finetune.py) of the shipped models. */
  readonly recipes: string;
  /** The sample project as shipped (read-only; a copy in userSample is what gets opened). */
  readonly sample: string;
  /** The official PAGE/ALTO/METS XSDs copied in when the app was built (may be absent). */
  readonly schemas: string;
  /** Where a user may put the XSDs themselves. */
  readonly userSchemas: string;
  readonly userData: string;
  readonly userSample: string;
  readonly userModels: string;
  readonly logs: string;
  readonly tileCache: string;
}

const ASAR = 'app.asar';

/** The folder holding package.json above `from` (the repository, or app.asar when packaged). */
function findAppRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    if (path.basename(dir) === ASAR || fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}

/** This module's folder: electron/node from source, dist/ (or dist/electron) when bundled. */
function moduleDir(): string {
  return path.dirname(fileURLToPath(import.meta.url));
}

/** Per-user configuration and state: where Electron's app.getPath('userData') points for the app named "htr-studio". */
export function userDataDir({ env = process.env, platform = process.platform, home = os.homedir() }: PathEnv = {}): string {
  const win = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'win32') return win.join(env.APPDATA || win.join(home, 'AppData', 'Roaming'), 'htr-studio');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'htr-studio');
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'htr-studio');
}

/** The user's models folder: models dropped here are listed with the shipped ones (HTR_STUDIO_MODELS overrides). */
export function userModelsDir({ env = process.env, platform = process.platform, home = os.homedir() }: PathEnv = {}): string {
  if (env.HTR_STUDIO_MODELS) return env.HTR_STUDIO_MODELS;
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'HTR Studio', 'models');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'HTR Studio', 'models');
  return path.posix.join(env.XDG_DATA_HOME || path.posix.join(home, '.local', 'share'), 'htr-studio', 'models');
}

/** Where derived files (tile pyramids) are cached: the OS per-user cache folder, never the project (it may be read-only). */
export function tileCacheDir({ env = process.env, platform = process.platform, home = os.homedir() }: PathEnv = {}): string {
  if (env.HTR_STUDIO_CACHE_DIR) return path.resolve(env.HTR_STUDIO_CACHE_DIR);
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'htr-studio', 'Cache');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'htr-studio');
  return path.posix.join(env.XDG_CACHE_HOME || path.posix.join(home, '.cache'), 'htr-studio');
}

/** Every path for one way of running; see the module comment. */
export function resolvePaths(opts: PathOptions = {}): RuntimePaths {
  const env = opts.env ?? process.env;
  const perUser: PathEnv = { env, platform: opts.platform, home: opts.home };
  const located = opts.appRoot ?? findAppRoot(moduleDir());
  const resources = opts.resourcesPath ?? (env.HTR_STUDIO_RESOURCES || undefined) ?? (path.basename(located) === ASAR ? path.dirname(located) : undefined);
  const packaged = resources !== undefined;
  const appRoot = packaged ? (opts.appRoot ?? path.join(resources, ASAR)) : located;
  const userData = userDataDir(perUser);
  const shippedModels = env.HTR_STUDIO_NATIVE_MODELS || (packaged ? path.join(resources, 'models') : path.join(appRoot, 'native-models'));
  return {
    mode: packaged ? 'packaged' : opts.browser ? 'browser' : 'dev',
    appRoot,
    resources,
    renderer: path.join(appRoot, 'dist', 'renderer'),
    engineEntry: path.join(appRoot, 'bin', 'htr-studio.cjs'),
    shippedModels,
    recipes: path.join(shippedModels, 'recipes'),
    sample: packaged ? path.join(resources, 'sample') : path.join(appRoot, 'assets', 'sample'),
    schemas: env.HTR_STUDIO_SCHEMAS || (packaged ? path.join(resources, 'schemas') : path.join(appRoot, 'dist', 'schemas')),
    userSchemas: path.join(userData, 'schemas'),
    userData,
    userSample: path.join(userData, 'sample'),
    userModels: userModelsDir(perUser),
    logs: path.join(userData, 'logs'),
    tileCache: tileCacheDir(perUser),
  };
}

let current: RuntimePaths | undefined;

/** The paths of this process: those set by setRuntimePaths, else resolved now (HTR_STUDIO_RESOURCES and the code's place say whether it is packaged). */
export function runtimePaths(): RuntimePaths {
  return current ?? resolvePaths();
}

/** Sets this process's paths (Electron's main process, which knows process.resourcesPath; serve in browser mode). */
export function setRuntimePaths(paths: RuntimePaths): RuntimePaths {
  current = paths;
  return paths;
}

/**
 * A file inside app.asar that native code opens by path (onnxruntime's model
 * loader, which does not go through Electron's asar-aware fs): its copy in
 * app.asar.unpacked. Paths outside an asar archive come back unchanged.
 */
export function unpackedPath(file: string): string {
  const marker = `${path.sep}${ASAR}${path.sep}`;
  const at = file.indexOf(marker);
  if (at < 0) return file;
  const unpacked = `${file.slice(0, at)}${path.sep}${ASAR}.unpacked${path.sep}${file.slice(at + marker.length)}`;
  return fs.existsSync(unpacked) ? unpacked : file;
}

/** A file of an npm package (e.g. '@tesseract.js-data/eng/package.json'), on disk (unpacked when packaged); undefined when not installed. */
export function packageFile(request: string): string | undefined {
  try {
    return unpackedPath(createRequire(import.meta.url).resolve(request));
  } catch {
    return undefined;
  }
}
