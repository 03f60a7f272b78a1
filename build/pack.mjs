// Packages the desktop app with electron-builder (config: build/electron-builder.yml).
//
//   node build/pack.mjs --dir            the unpacked Linux app (dist/packages/linux-unpacked); `npm run pack:dir`
//   node build/pack.mjs --linux          AppImage + deb (x64);           `npm run dist:linux`
//   node build/pack.mjs --win            NSIS installer (x64);           `npm run dist:win`
//   node build/pack.mjs --mac            dmg (arm64);                    `npm run dist:mac`
// Options:
//   --out DIR       output folder (default dist/packages)
//   --stand-in      package against a stand-in Electron (build/stand-in-electron.mjs) even
//                   where Electron's binary is installed; --dir uses it anyway where it is not
//   --no-build      skip `npm run build` (the app in dist/ is current)
//   --x64, --arm64  passed on to electron-builder (overrides the config's architectures)
//
// First builds the app (build/build.mjs) and the icons (build/icons.mjs → dist/icons).
// Installers need Electron's real distribution: the one `npm run get-electron` put in
// node_modules/electron/dist (used for the machine's own system), else electron-builder
// fetches its zip into its cache (a maintainer's machine with internet access).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIcons } from './icons.mjs';
import { makeStandInElectron } from './stand-in-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const target = flag('--win') ? 'win' : flag('--mac') ? 'mac' : flag('--linux') ? 'linux' : 'dir';
const out = path.resolve(option('--out') ?? path.join(root, 'dist', 'packages'));

/** node_modules/electron/dist when `npm run get-electron` installed the binary. */
function installedElectronDist() {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const name = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    return existsSync(path.join(dir, 'dist', name)) ? path.join(dir, 'dist') : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!flag('--no-build')) run(process.execPath, [path.join(root, 'build', 'build.mjs')]);
await buildIcons(path.join(root, 'dist', 'icons'));

const hostOs = { linux: 'linux', darwin: 'mac', win32: 'win' }[process.platform];
let electronDist = flag('--stand-in') ? undefined : installedElectronDist();
if (electronDist && target !== 'dir' && target !== hostOs) electronDist = undefined; // another system's Electron
if (flag('--stand-in') || (target === 'dir' && !electronDist)) {
  electronDist = makeStandInElectron(path.join(out, '.stand-in-electron'));
  console.log(`pack: Electron's binary is not installed here (or --stand-in): packaging against a stand-in Electron in ${electronDist}.`);
  console.log('      The result checks the package (resources/, app.asar, fuses), it does not run.');
}

const builderArgs = [
  path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
  '--config', path.join('build', 'electron-builder.yml'),
  `-c.directories.output=${out}`,
  ...(electronDist ? [`-c.electronDist=${electronDist}`] : []),
  ...(target === 'dir' ? ['--linux', 'dir', '--x64'] : [`--${target}`, ...args.filter((a) => a === '--x64' || a === '--arm64')]),
  '--publish', 'never',
];
run(process.execPath, builderArgs);
