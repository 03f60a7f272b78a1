#!/usr/bin/env node
'use strict';
// Entry of the `htr-studio` command. The CLI is bundled to dist/ on `npm install`.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('htr-studio: not built yet. Run `npm install` (or `npm run build`) in the HTR Studio folder first.\n');
  process.exit(2);
}
require(cli).main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`htr-studio: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
