// Benchmark: what a character language model buys HTR Studio's recogniser.
// htr-default's output decoded greedily, by beam search, and by beam search with
// a character n-gram LM (htr-studio train-lm), on the recipe's validation lines
// (the LM weight and bonus are chosen there) and on ../shared/corpus/htr-lines
// (reported, never tuned on). Greedy decoding is the peer in the same run.
// Prints JSON.
// Usage: node bench/charlm-decoding.mjs --lm FILE [--lm FILE…] --val DIR [--beam 8] [--tune-lines 300]
//          [--weights 0.3,0.6,1 --bonuses 0,1,2] [--no-baselines]
//   --val: folder of NAME.png + NAME.gt.txt cut for the model, searched recursively (the recipe's work/lines/val)
//   --model: the model measured (id or folder; default htr-default)
//   --weights/--bonuses: the grid searched on the tuning lines (one value each: no search)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTs, REPO as root } from '../build/import-ts.mjs';
const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const lmFiles = argv.flatMap((a, i) => (a === '--lm' ? [argv[i + 1]] : []));
const valDir = arg('--val', path.join(root, 'native-models/recipes/htr/work/lines/val'));
const BEAM = Number(arg('--beam', '8'));
const TUNE_LINES = Number(arg('--tune-lines', '300'));
const WEIGHTS = arg('--weights', '0.3,0.6,1.0').split(',').map(Number);
const BONUSES = arg('--bonuses', '0,1,2').split(',').map(Number);
if (!lmFiles.length) throw new Error('give at least one --lm FILE (made with htr-studio train-lm)');

const api = await importTs('charlm-bench', {
  'electron/node/models/registry.ts': ['listModels'],
  'electron/node/recognition/load.ts': ['loadRecognizer'],
  'electron/node/images/page-image.ts': ['loadGrey'],
  'electron/node/recognition/recognize-page.ts': ['cutWholeLine'],
  'electron/common/eval/cer.ts': ['compareTexts', 'emptyTotals', 'addCounts', 'rate'],
  'electron/common/recognition/normalize-text.ts': ['normalizeTranscription'],
  'electron/common/recognition/char-lm.ts': ['CharLm'],
});

const LINES = path.resolve(root, '../shared/corpus/htr-lines');
const regression = fs.readFileSync(path.join(LINES, 'lines.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))
  .map((r) => ({ image: path.join(LINES, '..', r[0]), text: fs.readFileSync(path.join(LINES, '..', r[1]), 'utf8').trim() }));
// The recipe's validation lines are cut for the model already (export --cut-as): fed as they are.
const measure = await import('../native-models/recipes/htr/measure-lines.mjs');
const val = measure.findLines(valDir).map((l) => ({ image: l.file, text: l.text }));

const m = measure.api.pickRecognizer(api.listModels().models, arg('--model', 'htr-default'));
const rec = await api.loadRecognizer(m);
const cutAll = async (lines) => Promise.all(lines.map(async (l) => api.cutWholeLine(await api.loadGrey(l.image), rec.input)));
const cer = (lines, texts) => {
  const t = api.emptyTotals();
  texts.forEach((h, i) => api.addCounts(t, api.compareTexts(api.normalizeTranscription(lines[i].text), api.normalizeTranscription(h))));
  return +api.rate(t.charErrors, t.chars).toFixed(4);
};
async function run(lines, cut, opts) {
  const t0 = performance.now();
  const res = await rec.recognize(cut, opts);
  return { cer: cer(lines, res.map((r) => r.text)), linesPerS: +(cut.length / ((performance.now() - t0) / 1000)).toFixed(1) };
}

const report = { machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version }, model: m.manifest.id, beam: BEAM, valLines: val.length, regressionLines: regression.length, lms: [] };
const valCut = await measure.loadCut(val.map((l) => ({ file: l.image })));
const regCut = await cutAll(regression);
// Tuning on every k-th validation line (spread over all datasets).
const step = Math.max(1, Math.floor(val.length / TUNE_LINES));
const tuneIdx = val.map((_, i) => i).filter((i) => i % step === 0);
const tune = tuneIdx.map((i) => val[i]);
const tuneCut = tuneIdx.map((i) => valCut[i]);

if (!argv.includes('--no-baselines')) {
  report.greedy = { val: await run(val, valCut, { beam: 0, lm: null }), regression: await run(regression, regCut, { beam: 0, lm: null }) };
  report.beamNoLm = { val: await run(val, valCut, { beam: BEAM, lm: null }), regression: await run(regression, regCut, { beam: BEAM, lm: null }) };
}
for (const file of lmFiles) {
  const lm = api.CharLm.fromFile(JSON.parse(fs.readFileSync(file, 'utf8')), file);
  const entry = { file: path.basename(file), order: lm.order, bytes: fs.statSync(file).size, valBitsPerSymbol: +lm.crossEntropy(val.map((l) => api.normalizeTranscription(l.text))).toFixed(3), grid: [] };
  let best = null;
  const single = WEIGHTS.length === 1 && BONUSES.length === 1;
  for (const weight of WEIGHTS) {
    for (const bonus of BONUSES) {
      if (single) {
        best = { weight, bonus, tuneCer: null };
        break;
      }
      const r = await run(tune, tuneCut, { beam: BEAM, lm: { lm, weight, bonus } });
      entry.grid.push({ weight, bonus, tuneCer: r.cer });
      if (!best || r.cer < best.tuneCer) best = { weight, bonus, tuneCer: r.cer };
    }
  }
  const scorer = { lm, weight: best.weight, bonus: best.bonus };
  entry.chosen = best;
  entry.val = await run(val, valCut, { beam: BEAM, lm: scorer });
  entry.regression = await run(regression, regCut, { beam: BEAM, lm: scorer });
  report.lms.push(entry);
}
await rec.dispose();
console.log(JSON.stringify(report, null, 2));
