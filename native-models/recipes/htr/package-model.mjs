// Packages an exported recogniser (export_onnx.py output) as the app's
// native-models/htr-default: the manifest in the app's schema
// (docs/model-manifest.schema.json), the ONNX file, and figures measured through
// the app's own pipeline (cut → normalise → infer → decode) on the regression set,
// written into model.json `metrics` and between the markers of MODEL_CARD.md.
//   node native-models/recipes/htr/package-model.mjs work/export [--train-log work/train.log]
//        [--target DIR] [--id ID] [--no-measure] [--prior-minutes N]
// metrics.trainedMinutes (the training time up to the evaluation of the packaged,
// best snapshot) is the log entry's trained_minutes, and metrics.step its total_steps,
// which train.py carries across --resume and --init. For logs written before that: --prior-minutes adds the training time
// before the log's first evaluation (less 10 minutes) to the time the log spans.
// --target/--id package elsewhere (e.g. a user models folder) under another id;
// --no-measure skips the figures (tests of the recipe itself).
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const exportDir = path.resolve(process.argv[2] ?? path.join(here, 'work/export'));
const arg = (n, d) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : d);
const trainLog = path.resolve(arg('--train-log', path.join(here, 'work/train.log')));
const target = path.resolve(arg('--target', path.join(root, 'native-models/htr-default')));
const id = arg('--id', 'htr-default');
const measure = !process.argv.includes('--no-measure');
const priorMinutes = Number(arg('--prior-minutes', '0'));
// Validation lines cut for the model (prepare_lines.py's work/lines/val): measured through the app.
const valDir = path.resolve(arg('--val', path.join(here, 'work/lines/val')));

const src = JSON.parse(fs.readFileSync(path.join(exportDir, 'model.json'), 'utf8'));
const pre = src.input.preprocess?.contrast_stretch;
const manifest = {
  id,
  name: 'HTR Studio handwriting (CRNN-CTC; French, Latin, Portuguese, Italian, English)',
  version: `step-${src.training?.step ?? 0}`,
  family: 'crnn-ctc',
  task: 'recognition',
  description: 'HTR Studio\'s own line recogniser, trained on CC BY 4.0 handwritten ground truth (see MODEL_CARD.md).',
  file: 'model.onnx',
  input: {
    height: src.input.height,
    channels: 1,
    invert: src.input.invert,
    normalize: src.input.normalize,
    // The recipe pads with 0 after inversion, i.e. with paper: 255 before it.
    padValue: src.input.invert ? 255 - src.input.pad_value * 255 : src.input.pad_value * 255,
    minWidth: src.input.min_width,
    straighten: 'none',
    contrast: pre ? { low: pre.lo_percentile, high: pre.hi_percentile, minRange: pre.min_range } : true,
  },
  output: { layout: src.output.layout, logSoftmax: Boolean(src.output.log_softmax), downsample: src.input.width_stride ?? 4 },
  charset: src.charset,
  blank: src.blank,
  languages: ['fr', 'la', 'pt', 'it', 'en'],
  licence: src.licence,
  attribution: (src.attribution ?? []).map((a) => (typeof a === 'string' ? a : `${a.credit} — ${a.repository} (${a.licence})`)),
  citation: src.citation,
  training: src.training,
};
// Keep what was added to the packaged model beside the network (e.g. the `decoder`
// block naming a character language model, charlm.json): re-packaging a new
// snapshot must not drop it.
const previousFile = path.join(target, 'model.json');
if (fs.existsSync(previousFile)) {
  const previous = JSON.parse(fs.readFileSync(previousFile, 'utf8'));
  if (previous.id === id && previous.decoder && (!previous.decoder.lm || fs.existsSync(path.join(target, previous.decoder.lm)))) manifest.decoder = previous.decoder;
}

// Measure through the app: bundle the pieces the CLI uses.
const entry = path.join(root, '.cache/package-model/entry.ts');
fs.mkdirSync(path.dirname(entry), { recursive: true });
fs.writeFileSync(entry, `
export { OnnxCtcRecognizer } from '../../electron/node/recognition/onnx-ctc.js';
export { validateManifest } from '../../electron/common/model-manifest/manifest.js';
export { loadGrey } from '../../electron/node/images/page-image.js';
export { cutWholeLine } from '../../electron/node/recognition/recognize-page.js';
export { compareTexts, emptyTotals, addCounts, rate } from '../../electron/common/eval/cer.js';
export { normalizeTranscription } from '../../electron/common/recognition/normalize-text.js';
`);
const bundle = path.join(root, '.cache/package-model/api.mjs');
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error', external: ['sharp', 'onnxruntime-node', 'saxes', 'tesseract.js'] });
const api = await import(pathToFileURL(bundle).href);

fs.mkdirSync(target, { recursive: true });
fs.copyFileSync(path.join(exportDir, 'model.onnx'), path.join(target, 'model.onnx'));
const valid = api.validateManifest(manifest, `${id}/model.json`);
if (!measure) {
  fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');
  console.log(`packaged ${id} in ${target} (not measured)`);
  process.exit(0);
}
const rec = await api.OnnxCtcRecognizer.load(valid, target);

const corpus = path.resolve(root, '../shared/corpus');
const rows = fs.readFileSync(path.join(corpus, 'htr-lines/lines.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const cut = [];
const truth = [];
const groups = [];
for (const r of rows) {
  const img = await api.loadGrey(path.join(corpus, r[0]));
  cut.push(await api.cutWholeLine(img, valid.input));
  truth.push(fs.readFileSync(path.join(corpus, r[1]), 'utf8').trim());
  groups.push(r[2]);
}
await rec.recognize(cut.slice(0, 8));
const t0 = performance.now();
const out = await rec.recognize(cut);
const seconds = (performance.now() - t0) / 1000;
const totals = api.emptyTotals();
const byGroup = {};
out.forEach((o, i) => {
  const c = api.compareTexts(api.normalizeTranscription(truth[i]), o.text);
  api.addCounts(totals, c);
  byGroup[groups[i]] ??= api.emptyTotals();
  api.addCounts(byGroup[groups[i]], c);
});
await rec.dispose();
const meanWidth = cut.reduce((s, c) => s + c.width, 0) / cut.length;

// Training figures (step, epoch, minutes) come from the training log's best evaluation;
// validation CER is measured here, through the app, greedy and careful reading.
let val = {};
if (fs.existsSync(trainLog)) {
  const evals = fs.readFileSync(trainLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => typeof e.val_cer === 'number');
  const best = evals.reduce((a, b) => (b.val_cer < a.val_cer ? b : a), evals[0]);
  if (best) val = { valCer: best.val_cer, valWer: best.val_wer, valCerByDataset: best.val_cer_by_group, trainedMinutes: typeof best.trained_minutes === 'number' ? Math.round(best.trained_minutes) : priorMinutes + Math.round((Date.parse(best.time) - Date.parse(evals[0].time)) / 60000) + 10, step: best.total_steps ?? best.step, epoch: best.epoch };
}
if (fs.existsSync(valDir)) {
  // The pages those lines come from, beside the model: CI re-measures it on them.
  const pages = path.join(valDir, '../../val-pages.tsv');
  if (fs.existsSync(pages)) fs.copyFileSync(pages, path.join(target, 'validation-pages.tsv'));
  const m = await import(pathToFileURL(path.join(here, 'measure-lines.mjs')).href);
  const lines = m.findLines(valDir);
  const cutVal = await m.loadCut(lines);
  const recVal = await m.api.loadRecognizer({ manifest: valid, dir: target, origin: 'shipped' });
  const greedy = await m.score(recVal, lines, cutVal, { beam: 0, lm: null });
  const careful = manifest.decoder ? await m.score(recVal, lines, cutVal, { beam: 8 }) : undefined;
  await recVal.dispose();
  Object.assign(val, {
    valLines: lines.length,
    valCer: greedy.cer,
    valWer: greedy.wer,
    valCerByDataset: greedy.byGroup,
    ...(careful && { valCerCareful: careful.cer, valWerCareful: careful.wer, valCerCarefulByDataset: careful.byGroup, carefulLinesPerSecond: careful.linesPerSecond }),
  });
}
const r4 = (x) => Math.round(x * 10000) / 10000;
manifest.metrics = {
  regressionCer: r4(api.rate(totals.charErrors, totals.chars)),
  regressionWer: r4(api.rate(totals.wordErrors, totals.words)),
  regressionCerByDataset: Object.fromEntries(Object.entries(byGroup).map(([g, t]) => [g, r4(api.rate(t.charErrors, t.chars))])),
  linesPerSecond: Math.round((cut.length / seconds) * 10) / 10,
  meanLineWidthPx: Math.round(meanWidth),
  measuredOn: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, onnxruntime-node, batch 16 sorted by width, greedy`,
  ...val,
};
fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');

// The model card's figures table, between its markers.
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const m = manifest.metrics;
const table = [
  '| measure | value |',
  '|---|---|',
  `| CER on the regression set (corpus/htr-lines, 298 lines, normalised ground truth) | ${pct(m.regressionCer)} |`,
  `| WER on the regression set | ${pct(m.regressionWer)} |`,
  ...Object.entries(m.regressionCerByDataset).map(([g, v]) => `| CER regression set, ${g} | ${pct(v)} |`),
  ...(m.valCer !== undefined ? [`| CER on the validation split (${m.valLines ?? ''} lines; ${m.step} steps, ${src.training?.steps_before_init ? `the last ${m.step - src.training.steps_before_init} a fine-tune, its epoch` : 'epoch'} ${m.epoch?.toFixed(1)}), greedy | ${pct(m.valCer)} |`] : []),
  ...(m.valCerCareful !== undefined ? [`| CER on the validation split, careful reading (beam 8 + character LM) | ${pct(m.valCerCareful)} |`, `| WER on the validation split, careful reading | ${pct(m.valWerCareful)} |`] : []),
  ...Object.entries(m.valCerByDataset ?? {}).map(([g, v]) => `| CER validation, ${g}: greedy${m.valCerCarefulByDataset ? ' / careful reading' : ''} | ${pct(v)}${m.valCerCarefulByDataset?.[g] !== undefined ? ` / ${pct(m.valCerCarefulByDataset[g])}` : ''} |`),
  `| speed, lines per second (${m.measuredOn}; mean line ${m.meanLineWidthPx} px wide at height ${manifest.input.height}) | ${m.linesPerSecond} |`,
  `| parameters / ONNX size | ${(fs.statSync(path.join(target, 'model.onnx')).size / 1e6).toFixed(1)} MB fp32 |`,
].join('\n');
const cardFile = path.join(target, 'MODEL_CARD.md');
if (fs.existsSync(cardFile)) {
  const card = fs.readFileSync(cardFile, 'utf8');
  const next = card.replace(/<!-- metrics:start -->[\s\S]*<!-- metrics:end -->/, `<!-- metrics:start -->\n${table}\n<!-- metrics:end -->`);
  fs.writeFileSync(cardFile, next);
}
console.log(JSON.stringify(manifest.metrics, null, 1));
