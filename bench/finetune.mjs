// Benchmark: what fine-tuning on a few corrected pages of one hand buys (issue 22).
// ../shared/corpus-finetune/lectaurep-dufour-1: fine-tune the base model on its
// first 1, 2 and 4 tune pages with `htr-studio train` (the command users run),
// then read the 4 test pages (never trained on, never used for early stopping)
// with the base and with each fine-tune, greedy and careful reading (beam 8 with
// the model's character LM, as the editor does), scored with `htr-studio eval`.
// Prints JSON.
// Usage: node bench/finetune.mjs [--minutes 10] [--pages 1,2,4] [--base htr-default] [--threads 1]
//          [--lr 1.5e-3] [--work DIR] [--keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const minutes = arg('--minutes', '10');
const pageCounts = arg('--pages', '1,2,4').split(',').map(Number);
const base = arg('--base', 'htr-default');
const threads = arg('--threads', '1');
const lr = arg('--lr', undefined);
const CAREFUL_BEAM = '8';
const DATA = path.resolve(root, '../shared/corpus-finetune/lectaurep-dufour-1');
if (!fs.existsSync(DATA)) throw new Error(`${DATA} is missing (the shared corpus beside the checkout)`);
const work = arg('--work', fs.mkdtempSync(path.join(os.tmpdir(), 'bench-finetune-')));
const pagesOf = (part) => fs.readdirSync(path.join(DATA, part)).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(DATA, part, f));
const tune = pagesOf('tune');
const test = pagesOf('test');

function cli(args) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/htr-studio.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`htr-studio ${args[0]} failed (${r.status}): ${r.stderr.slice(-1500)}`);
  return r.stdout;
}

/** CER of `model` on the test pages, greedy and careful reading. */
function readTest(model, tag) {
  const out = {};
  for (const [mode, extra] of [['greedy', []], ['careful', ['--beam', CAREFUL_BEAM]]]) {
    const dir = path.join(work, `rec-${tag}-${mode}`);
    const t0 = Date.now();
    cli(['recognize', ...test, '-o', dir, '--model', model, '-q', ...extra]);
    const ms = Date.now() - t0;
    let chars = 0;
    let errors = 0;
    for (const gt of test) {
      const r = JSON.parse(cli(['eval', '--gt', gt, '--hyp', path.join(dir, path.basename(gt)), '--json']));
      chars += r.chars ?? r.totals?.chars ?? 0;
      errors += r.charErrors ?? r.totals?.charErrors ?? 0;
      out[`${mode}_by_page`] = { ...out[`${mode}_by_page`], [path.basename(gt, '.xml')]: r.cer ?? r.totals?.cer };
    }
    out[mode] = chars ? +(errors / chars).toFixed(4) : null;
    out[`${mode}_seconds`] = +(ms / 1000).toFixed(1);
  }
  return out;
}

const result = {
  machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at start`,
  base, minutes: Number(minutes), threads: Number(threads), lr: lr ? Number(lr) : 'default (finetune.py)',
  test_pages: test.map((p) => path.basename(p, '.xml')),
  base_cer: readTest(base, 'base'),
  runs: [],
};
for (const k of pageCounts) {
  const out = path.join(work, `ft-${k}`);
  const t0 = Date.now();
  const lines = cli(['train', ...tune.slice(0, k), '--base', base, '-o', out, '--minutes', minutes, '--threads', threads, '--json', '-q', ...(lr ? ['--lr', lr] : [])])
    .trim().split('\n').map((l) => JSON.parse(l));
  const res = lines.find((e) => e.event === 'result');
  const evals = lines.filter((e) => e.event === 'eval').map((e) => [e.step, e.val_cer]);
  result.runs.push({
    pages: k, tune_pages: tune.slice(0, k).map((p) => path.basename(p, '.xml')),
    lines: res.lines, held_back: res.val_lines, steps: res.step, best_step: res.best_step, stopped: res.reason,
    wall_minutes: +((Date.now() - t0) / 60000).toFixed(1), peak_rss_mb: res.peak_rss_mb,
    held_back_cer: { before: res.before_val_cer, after: res.after_val_cer }, eval_curve: evals,
    test_cer: readTest(out, `ft-${k}`),
  });
  process.stderr.write(`${k} page(s): ${JSON.stringify(result.runs.at(-1).test_cer)}\n`);
}
console.log(JSON.stringify(result, null, 1));
if (!argv.includes('--keep') && !arg('--work')) fs.rmSync(work, { recursive: true, force: true });
