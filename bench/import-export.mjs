// Benchmark: `htr-studio import` of 500 pages and `htr-studio export --format kraken`
// of ~20,000 line pairs, each next to its floor in the same run:
// - import: a plain copy loop of the same files (what any import must at least do);
// - export: a plain sharp loop doing only the crops (each page decoded once to grey,
//   each line's bounding box extracted and written as PNG with its .gt.txt) — no
//   polygon mask, no straightening, no contrast stretch, no checker, no manifest.
// Peak RSS of each (a child process under /usr/bin/time -v), and both at a small and
// the full size (100 vs 500 pages; ~5,000 vs ~20,000 lines) to show whether memory
// grows with the page count.
//
// The pages are made at run time in a temporary folder and removed after: the real
// TIME US page (eScriptorium, 48 transcribed lines on a 3072×4608 JPEG) from
// ../shared/corpus, replicated under new names (image copied, PAGE's imageFilename
// changed). Nothing is committed.
// Prints JSON. Usage: nice node bench/import-export.mjs [--pages 500] [--lines 20000] [--keep]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : d);
const bin = path.join(root, 'bin/htr-studio.cjs');
const SOURCE = path.resolve(root, '../shared/corpus/escriptorium-timeuscorpus/cph_paris_tissage_1858');
const NAME = 'PH 1858-535';

// ---- floors, run as child processes of this script so that their RSS is their own ----

/** The lines of a PAGE file: bounding box of the TextLine's Coords, and its line-level text. */
function pageLines(xml) {
  const out = [];
  for (const block of xml.split(/<(?:\w+:)?TextLine\b/).slice(1)) {
    const body = block.split(/<\/(?:\w+:)?TextLine>/)[0];
    const pts = /<(?:\w+:)?Coords\s+points="([^"]+)"/.exec(body)?.[1];
    const texts = [...body.matchAll(/<(?:\w+:)?Unicode>([^<]*)<\/(?:\w+:)?Unicode>/g)].map((m) => m[1]);
    const text = (texts[texts.length - 1] ?? '').trim();
    if (!pts || !text) continue;
    const xy = pts.trim().split(/\s+/).map((p) => p.split(',').map(Number));
    const xs = xy.map((p) => p[0]), ys = xy.map((p) => p[1]);
    out.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys), text });
  }
  return out;
}

async function floorCrops(list, outDir) {
  const sharp = (await import('sharp')).default;
  fs.mkdirSync(outDir, { recursive: true });
  let n = 0;
  for (const xmlFile of fs.readFileSync(list, 'utf8').trim().split('\n')) {
    const xml = fs.readFileSync(xmlFile, 'utf8');
    const image = path.join(path.dirname(path.dirname(xmlFile)), /imageFilename="([^"]+)"/.exec(xml)[1]);
    const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
    const stem = path.basename(xmlFile, '.xml');
    for (const [i, l] of pageLines(xml).entries()) {
      const left = Math.max(0, Math.floor(l.x0)), top = Math.max(0, Math.floor(l.y0));
      const width = Math.min(info.width, Math.ceil(l.x1)) - left, height = Math.min(info.height, Math.ceil(l.y1)) - top;
      if (width < 1 || height < 1) continue;
      const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).extract({ left, top, width, height }).png().toBuffer();
      fs.writeFileSync(path.join(outDir, `${stem}_${i}.png`), png);
      fs.writeFileSync(path.join(outDir, `${stem}_${i}.gt.txt`), `${l.text}\n`);
      n++;
    }
  }
  console.log(JSON.stringify({ lines: n }));
}

function floorCopy(srcDir, outDir) {
  fs.mkdirSync(path.join(outDir, 'page'), { recursive: true });
  let n = 0;
  for (const f of fs.readdirSync(srcDir)) {
    if (f === 'page') continue;
    fs.copyFileSync(path.join(srcDir, f), path.join(outDir, f));
    const xml = path.join(srcDir, 'page', f.replace(/\.jpg$/, '.xml'));
    fs.copyFileSync(xml, path.join(outDir, 'page', path.basename(xml)));
    n++;
  }
  console.log(JSON.stringify({ pages: n }));
}

if (process.argv[2] === '--floor-crops') {
  await floorCrops(process.argv[3], process.argv[4]);
  process.exit(0);
}
if (process.argv[2] === '--floor-copy') {
  floorCopy(process.argv[3], process.argv[4]);
  process.exit(0);
}

// ---- the benchmark ----

const pagesWanted = Number(arg('--pages', '500'));
const linesWanted = Number(arg('--lines', '20000'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bench-io-'));
// One build of the command line for the whole run, beside the real one (same paths to
// its resources): bin/ rebuilds when a source is newer, which must not happen mid-run.
spawnSync(process.execPath, [bin, '--version'], { stdio: 'ignore' });
const snapshot = path.join(root, 'dist', `cli-bench-${process.pid}.cjs`);
fs.copyFileSync(path.join(root, 'dist', 'cli.cjs'), snapshot);
process.on('exit', () => fs.rmSync(snapshot, { force: true }));
const cli = (...args) => [process.execPath, '-e', `require(${JSON.stringify(snapshot)}).main(process.argv.slice(1)).then((c) => process.exit(c))`, ...args];

/** Runs a command under /usr/bin/time -v: seconds and peak RSS. */
function timed(argv, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  if (r.status !== 0) console.error(r.stderr.slice(-3000));
  return { seconds, peakRssMb: rss ? Math.round(Number(rss) / 1024) : null, stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** A folder of `n` pages: the TIME US page as NAME_00001.jpg + page/NAME_00001.xml, …. */
function makePages(dir, n) {
  fs.mkdirSync(path.join(dir, 'page'), { recursive: true });
  const xml = fs.readFileSync(path.join(SOURCE, 'page', `${NAME}.xml`), 'utf8');
  for (let i = 1; i <= n; i++) {
    const stem = `tissage_${String(i).padStart(5, '0')}`;
    fs.copyFileSync(path.join(SOURCE, `${NAME}.jpg`), path.join(dir, `${stem}.jpg`));
    fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), xml.replace(/imageFilename="[^"]*"/, `imageFilename="${stem}.jpg"`));
  }
  return fs.readdirSync(path.join(dir, 'page')).sort().map((f) => path.join(dir, 'page', f));
}

const load = () => os.loadavg().map((x) => +x.toFixed(2));
const loadBefore = load();
const perPage = pageLines(fs.readFileSync(path.join(SOURCE, 'page', `${NAME}.xml`), 'utf8')).length;

// Import: 100 and `pagesWanted` pages into fresh projects, and the copy loop of the same files.
const importRuns = [];
for (const n of [...new Set([Math.min(100, pagesWanted), pagesWanted])]) {
  const src = path.join(tmp, `src-${n}`);
  makePages(src, n);
  const imp = timed(cli('import', src, '-p', path.join(tmp, `project-${n}`), '-q'));
  const copy = timed([process.execPath, fileURLToPath(import.meta.url), '--floor-copy', src, path.join(tmp, `copy-${n}`)]);
  importRuns.push({
    pages: n,
    import: { seconds: +imp.seconds.toFixed(1), pagesPerSecond: +(n / imp.seconds).toFixed(1), peakRssMb: imp.peakRssMb, exit: imp.code },
    floorCopy: { seconds: +copy.seconds.toFixed(1), pagesPerSecond: +(n / copy.seconds).toFixed(1), peakRssMb: copy.peakRssMb },
    ratio: +(imp.seconds / copy.seconds).toFixed(2),
  });
  for (const d of [src, `project-${n}`, `copy-${n}`]) fs.rmSync(path.resolve(tmp, d), { recursive: true, force: true });
}

// Export: pages enough for ~linesWanted line pairs (and a quarter of that), kraken layout, and the crop loop.
const exportRuns = [];
const fullPages = Math.ceil(linesWanted / perPage);
const src = path.join(tmp, 'export-src');
const allXml = makePages(src, fullPages);
for (const n of [...new Set([Math.ceil(fullPages / 4), fullPages])]) {
  const xmls = allXml.slice(0, n);
  const list = path.join(tmp, `list-${n}.txt`);
  fs.writeFileSync(list, xmls.join('\n') + '\n');
  const out = path.join(tmp, `kraken-${n}`);
  const exp = timed(cli('export', ...xmls, '--format', 'kraken', '-o', out, '-q'));
  const lines = fs.readdirSync(out).filter((f) => f.endsWith('.gt.txt')).length;
  fs.rmSync(out, { recursive: true, force: true });
  const floorOut = path.join(tmp, `floor-${n}`);
  const floor = timed([process.execPath, fileURLToPath(import.meta.url), '--floor-crops', list, floorOut]);
  const floorLines = JSON.parse(floor.stdout || '{"lines":0}').lines;
  fs.rmSync(floorOut, { recursive: true, force: true });
  exportRuns.push({
    pages: n,
    export: { lines, seconds: +exp.seconds.toFixed(1), linesPerSecond: Math.round(lines / exp.seconds), peakRssMb: exp.peakRssMb, exit: exp.code },
    floorCrops: { lines: floorLines, seconds: +floor.seconds.toFixed(1), linesPerSecond: Math.round(floorLines / floor.seconds), peakRssMb: floor.peakRssMb },
    ratio: +((exp.seconds / Math.max(lines, 1)) / (floor.seconds / Math.max(floorLines, 1))).toFixed(2),
  });
}
if (!process.argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });

console.log(JSON.stringify({
  machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  loadAverage: { before: loadBefore, after: load() },
  page: `${NAME} (TIME US, eScriptorium), ${perPage} transcribed lines, 3072×4608 JPEG, replicated`,
  import: importRuns,
  export: exportRuns,
}, null, 2));
