// Benchmark: `htr-studio process` (segment + recognise, models loaded once) on up
// to 20 corpus page images; pages per minute and the process's peak RSS (from
// /usr/bin/time -v when present). Also segment alone, ms per page per detector.
// Then the handwritten page nearest 30 lines on its own, as an archivist runs one page: a fresh
// `process` (start, model loading, segment, recognise, write), greedy and with the
// editor's careful reading (--beam 8 with the model's language model).
// Prints JSON. Usage: node bench/process-pages.mjs [--limit N] [--model ID] [--layout-model ID]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : d);
const limit = Number(arg('--limit', '20'));
const corpus = path.resolve(root, '../shared/corpus');
const images = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory() && e.name !== 'schemas' && e.name !== 'htr-lines') walk(p);
    else if (/\.(jpe?g|png|tif)$/i.test(e.name) && !/_B\.tif$|_b\.tif$/.test(e.name)) images.push(p);
  }
};
walk(corpus);
const pages = [...new Set(images)].sort().slice(0, limit);
const bin = path.join(root, 'bin/htr-studio.cjs');
const hasTime = fs.existsSync('/usr/bin/time');

function run(args) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bench-process-'));
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const argv = hasTime ? ['-v', process.execPath, bin, ...args, '-o', out, '--json', '-q'] : [bin, ...args, '-o', out, '--json', '-q'];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  let json = {};
  try {
    json = JSON.parse(r.stdout);
  } catch {
    /* failed run: reported below */
  }
  return { seconds, peakRssMb: rss ? Math.round(Number(rss) / 1024) : null, json, code: r.status };
}

const layoutModel = arg('--layout-model', undefined);
const model = arg('--model', undefined);
const proc = run(['process', ...pages, ...(layoutModel ? ['--layout-model', layoutModel] : []), ...(model ? ['--model', model] : [])]);
const seg = run(['segment', ...pages, ...(layoutModel ? ['--model', layoutModel] : [])]);
const lines = (proc.json.results ?? []).reduce((n, r) => n + (r.lines ?? 0), 0);
// A handwritten page (by source, as bench/layout-detectors.mjs tells them apart), the case that matters.
const HANDWRITTEN = /escriptorium-testaments|escriptorium-timeuscorpus|transkribus-/;
const near30 = [...(seg.json.results ?? [])].filter((r) => HANDWRITTEN.test(r.image)).sort((a, b) => Math.abs(a.lines - 30) - Math.abs(b.lines - 30))[0];
const single = (extra) => {
  const r = run(['process', near30.image, ...(layoutModel ? ['--layout-model', layoutModel] : []), ...(model ? ['--model', model] : []), ...extra]);
  return { seconds: +r.seconds.toFixed(2), engineMs: r.json.results?.[0]?.ms, lines: r.json.results?.[0]?.lines, peakRssMb: r.peakRssMb, exit: r.code };
};
const onePage = near30 && { image: path.basename(near30.image), greedy: single([]), carefulReading: single(['--beam', '8']) };
console.log(JSON.stringify({
  machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  pages: pages.length,
  process: { layoutModel: proc.json.layoutModel, model: proc.json.model, seconds: +proc.seconds.toFixed(1), pagesPerMinute: +((pages.length / proc.seconds) * 60).toFixed(1), lines, peakRssMb: proc.peakRssMb, exit: proc.code },
  segment: { model: seg.json.model, seconds: +seg.seconds.toFixed(1), msPerPage: Math.round((seg.seconds * 1000) / pages.length), perPage: (seg.json.results ?? []).map((r) => ({ image: path.basename(r.image), ms: r.ms, lines: r.lines })), peakRssMb: seg.peakRssMb },
  onePage,
}, null, 2));
