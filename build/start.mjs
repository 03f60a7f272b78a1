// `npm start`: builds what is missing, then starts something that works.
//
//  - With Electron's binary: the desktop app.
//  - Without it (install scripts are off, see .npmrc): first tries to fetch it,
//    quietly, once (`npm run get-electron`, at most 60 s; a failure is remembered
//    for a day so offline starts stay quick), and where that fails starts the
//    editor in the web browser instead (`htr-studio serve`) on
//      1. a folder named on the command line (`npm start -- DIR`), else
//      2. the desktop app's last project (lastProject in its window-state.json), else
//      3. a copy of the sample project (assets/sample → <user data>/sample; the
//         shipped sample is never modified, and edits to the copy are kept);
//    opens the system browser where there is a display, and prints the
//    http://127.0.0.1:… address. Ctrl+C stops it.
//
// Environment:
//   HTR_STUDIO_BROWSER=1       browser mode even where the desktop app could start (no fetch either)
//   HTR_STUDIO_NO_BROWSER=1    do not open a browser, only print the address (tests, remote shells)
//   HTR_STUDIO_NO_FETCH=1      do not try to download Electron's binary
// The user data folder is the desktop app's: $XDG_CONFIG_HOME/htr-studio (~/.config/htr-studio),
// ~/Library/Application Support/htr-studio, or %APPDATA%\htr-studio — from the app's own
// path module (electron/node/paths.ts, bundled as dist/paths.cjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = ['dist/cli.cjs', 'dist/paths.cjs', 'dist/sample-copy.cjs', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'].every((f) => existsSync(path.join(root, f)));
if (!built) {
  const r = spawnSync(process.execPath, [path.join(root, 'build/build.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const env = process.env;
const args = process.argv.slice(2);
const FETCH_TIMEOUT_MS = 60_000;
const FETCH_RETRY_MS = 24 * 3600_000;

/** The Electron binary, or undefined when the package is there but its download was skipped or failed. */
function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** The app's paths in browser mode: the user data folder is the desktop app's (it sets Electron's userData to the same). */
const paths = createRequire(import.meta.url)(path.join(root, 'dist', 'paths.cjs')).resolvePaths({ browser: true, appRoot: root });

const isDir = (d) => !!d && statSync(d, { throwIfNoEntry: false })?.isDirectory() === true;

/** Runs `npm run get-electron` (node node_modules/electron/install.js) quietly; true when the binary is there after. */
function fetchElectron(dataDir) {
  const marker = path.join(dataDir, 'electron-download-failed');
  const failedAt = statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
  if (failedAt !== undefined && Date.now() - failedAt < FETCH_RETRY_MS) {
    console.log("Electron's binary is not installed (its download failed earlier today; `npm run get-electron` tries again).");
    return false;
  }
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return false;
  console.log("Electron's binary is not installed; trying to download it (npm run get-electron)…");
  const r = spawnSync(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: FETCH_TIMEOUT_MS, encoding: 'utf8' });
  if (electronBinary()) return true;
  const why = r.error?.code === 'ETIMEDOUT' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (`${r.stderr ?? ''}`.match(/\w*Error[^\n]*/)?.[0] ?? `exit code ${r.status}`);
  console.log(`The download failed (${why.trim().slice(0, 200)}).`);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n${why}\n`);
  } catch {
    // Not remembering it only means trying again next time.
  }
  return false;
}

/** The sample's copy in the user data folder: the engine's own rule (electron/node/project/sample-copy.ts), so both keep the person's edits alike. */
const { copySample } = createRequire(import.meta.url)(path.join(root, 'dist', 'sample-copy.cjs'));
const sampleCopy = () => copySample(paths.sample, paths.userSample);

/** The project to serve, and how it was chosen. */
function chooseProject(dataDir) {
  const named = args.find((a) => !a.startsWith('-') && isDir(a));
  if (named) return { dir: path.resolve(named), why: 'the folder named on the command line' };
  try {
    const last = JSON.parse(readFileSync(path.join(dataDir, 'window-state.json'), 'utf8')).lastProject;
    if (typeof last === 'string' && isDir(last)) return { dir: last, why: 'the last project the desktop app had open' };
  } catch {
    // No state file yet (first run) or an unreadable one: the sample.
  }
  return { dir: sampleCopy(), why: `a copy of the sample project (${path.join('assets', 'sample')}), yours to edit` };
}

/** Opens `url` in the system browser where there is one to show; never fails. */
function openBrowser(url) {
  if (env.HTR_STUDIO_NO_BROWSER === '1') return;
  const [cmd, cmdArgs] =
    process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] // '' is start's window title; the URL has no & or spaces
    : env.DISPLAY || env.WAYLAND_DISPLAY ? ['xdg-open', [url]]
    : [undefined, []];
  if (!cmd) return;
  try {
    const child = spawn(cmd, cmdArgs, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the address is printed anyway.
  }
}

function startBrowserMode(dataDir) {
  const { dir, why } = chooseProject(dataDir);
  console.log(`Starting the editor in your web browser instead, on ${why}:\n  ${dir}`);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'htr-studio.cjs'), 'serve', '--project', dir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  let url;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    if (url !== undefined) return void process.stdout.write(chunk);
    buffered += chunk;
    const nl = buffered.indexOf('\n');
    if (nl < 0) return;
    url = buffered.slice(0, nl).trim();
    console.log(['', 'Open this address (it carries a one-time access token; only this computer can reach it):', '', `  ${url}`, ''].join('\n'));
    console.log('For the desktop app instead, run `npm run get-electron` once with internet access, then `npm start`.');
    const rest = buffered.slice(nl + 1);
    if (rest) process.stdout.write(rest);
    openBrowser(url);
  });
  const stop = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGTERM'));
  child.on('exit', (code, signal) => {
    if (url === undefined) console.error('htr-studio serve stopped before it printed its address (see above).');
    process.exit(code ?? (signal ? 0 : 1));
  });
}

const dataDir = paths.userData;
let bin = env.HTR_STUDIO_BROWSER === '1' ? undefined : electronBinary();
if (!bin && env.HTR_STUDIO_BROWSER !== '1' && env.HTR_STUDIO_NO_FETCH !== '1' && fetchElectron(dataDir)) bin = electronBinary();

if (bin) {
  const child = spawn(bin, [root, ...args], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (env.HTR_STUDIO_BROWSER !== '1') console.log('The desktop app cannot start without Electron.');
  startBrowserMode(dataDir);
}
