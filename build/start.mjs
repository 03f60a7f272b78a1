// `npm start`: builds what is missing, then starts the desktop app. Where the
// Electron binary is not installed (CI, servers, this sandbox), says so plainly
// and points to browser mode instead of failing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = ['dist/cli.cjs', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'].every((f) => existsSync(path.join(root, f)));
if (!built) {
  const r = spawnSync(process.execPath, [path.join(root, 'build/build.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

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

const bin = electronBinary();
if (!bin) {
  console.log(
    [
      'Electron is not installed here (its binary was not downloaded), so the desktop app cannot start.',
      'Use the editor in a web browser instead:',
      '',
      '  npx htr-studio serve --project DIR',
      '',
      'DIR is a folder of page images with their PAGE-XML beside them or in a page/ subfolder.',
      'It prints an address on 127.0.0.1 to open; it only listens on this computer.',
      '',
      'To get the desktop app, run once with internet access:  npm run get-electron',
      '(install scripts are off, see .npmrc, so `npm install` never downloads it by itself).',
    ].join('\n'),
  );
  process.exit(0);
}

const child = spawn(bin, [root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
child.on('exit', (code) => process.exit(code ?? 0));
