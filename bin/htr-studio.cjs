#!/usr/bin/env node
'use strict';
// Entry of the `htr-studio` command. The CLI is bundled into dist/ by esbuild; in a
// checkout it is (re)built here when missing or older than the sources, because
// install scripts are off (see .npmrc) and a `git pull` changes the sources.
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.cjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const sources = path.join(root, 'electron');
const builder = path.join(root, 'build', 'build.mjs');
if (fs.existsSync(builder) && fs.existsSync(sources)) {
  const stale = !fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newestSource(sources);
  if (stale) {
    try {
      execFileSync(process.execPath, [builder, 'cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch {
      process.stderr.write('htr-studio: building the command line failed; run `npm install` in the HTR Studio folder, then try again.\n');
      process.exit(2);
    }
  }
}
if (!fs.existsSync(cli)) {
  process.stderr.write('htr-studio: not built. Run `npm install` (then `npm run build`) in the HTR Studio folder.\n');
  process.exit(2);
}
require(cli).main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`htr-studio: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
