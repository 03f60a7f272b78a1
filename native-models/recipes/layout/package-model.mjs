// Packages an exported layout model (export_onnx.py output) as the app's
// native-models/layout-default and measures it the way the app uses it (segment →
// PAGE lines → scored against ground truth) on the handwritten corpus pages, next
// to the PP-OCR DB line finder in the same run. Figures go into model.json
// `metrics` and between the markers of MODEL_CARD.md: lines per page, and zones and
// line types per SegmOnto class (box IoU ≥ 0.5, one-to-one within the class).
//   node native-models/recipes/layout/package-model.mjs work/export [--target DIR] [--data work/data] [--corpus DIR] [--no-measure]
// With the recipe's data (prepare.py) present, the validation pages are measured the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs, REPO as root } from '../../../build/import-ts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (n, d) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : d);
const exportDir = path.resolve(process.argv[2] ?? path.join(here, 'work/export'));
const target = path.resolve(arg('--target', path.join(root, 'native-models/layout-default')));

const manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'model.json'), 'utf8'));
manifest.attribution = (manifest.attribution ?? []).map((a) => (typeof a === 'string' ? a : `${a.credit} — ${a.repository} (${a.licence})`));
fs.mkdirSync(target, { recursive: true });
if (path.resolve(exportDir) !== target) fs.copyFileSync(path.join(exportDir, 'model.onnx'), path.join(target, 'model.onnx'));
if (process.argv.includes('--no-measure')) {
  fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');
  process.exit(0);
}

const api = await importTs('package-layout', {
  'electron/node/layout/yolo.ts': ['YoloDetector'],
  'electron/node/layout/db-detector.ts': ['DbDetector'],
  'electron/node/layout/evaluate-layout.ts': ['scoreDetector', 'HANDWRITTEN_REGRESSION_PAGES'],
  'electron/common/layout/score-classes.ts': ['classScores'],
});
// ../shared beside the checkout, or $HTR_STUDIO_SHARED (as the Python recipes: ../common/paths.py); --corpus overrides.
const corpus = path.resolve(arg('--corpus', path.join(process.env.HTR_STUDIO_SHARED || path.resolve(root, '../shared'), 'corpus')));
const pages = api.HANDWRITTEN_REGRESSION_PAGES.map((p) => path.join(corpus, p));

const yolo = await api.YoloDetector.load(manifest, target);
const ours = await api.scoreDetector(yolo, pages);
// The validation pages (recipe's split, work/data/pages.tsv from prepare.py) through the same
// pipeline: line F1 pooled over their lines, as the training log reports it.
const valTsv = path.resolve(arg('--data', path.join(here, 'work/data')), 'pages.tsv');
const valPages = fs.existsSync(valTsv)
  ? fs.readFileSync(valTsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).filter((c) => c[1] === 'val').map(([, , , xml, image]) => ({ xml, image }))
  : [];
const val = valPages.length ? await api.scoreDetector(yolo, valPages) : undefined;
await yolo.dispose();
const db = await api.DbDetector.load();
const peer = await api.scoreDetector(db, pages);
await db.dispose();

const r4 = (x) => Math.round(x * 10000) / 10000;
const perClass = (counts) => Object.fromEntries(Object.entries(api.classScores(counts)).map(([c, v]) => [c, { gt: v.expected, pred: v.predicted, tp: v.truePositives, p: r4(v.precision), r: r4(v.recall), f1: r4(v.f1) }]));
manifest.metrics = {
  regressionMeanLineF1: r4(ours.meanF1),
  regressionPooledLineF1: r4(ours.pooled.f1),
  regressionLineF1ByPage: Object.fromEntries(ours.pages.map((p) => [p.page, r4(p.f1)])),
  dbMeanLineF1SameRun: r4(peer.meanF1),
  dbLineF1ByPage: Object.fromEntries(peer.pages.map((p) => [p.page, r4(p.f1)])),
  msPerPage: ours.msPerPage,
  dbMsPerPage: peer.msPerPage,
  measuredOn: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, onnxruntime-node, whole segment (decode, detect, baselines, reading order)`,
  // Through the app when the recipe's data is here; else the training log's figure.
  valLineF1: val ? r4(val.pooled.f1) : manifest.training?.best_val_line_f1,
  ...(val && { valPages: val.pages.length, valLinePrecision: r4(val.pooled.precision), valLineRecall: r4(val.pooled.recall) }),
  regressionZones: perClass(ours.zones),
  regressionZonePages: ours.pages.filter((p) => p.zonesAnnotated).length,
  regressionLineTypes: perClass(ours.lineTypes),
  ...(val && { valZones: perClass(val.zones), valZonePages: val.pages.filter((p) => p.zonesAnnotated).length, valLineTypes: perClass(val.lineTypes) }),
};
fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');

const pct = (x) => x.toFixed(3);
const m = manifest.metrics;
// One row per class present on either side; P / R / F1 with the counts behind them.
const classRows = (title, v, r) => {
  const names = [...new Set([...Object.keys(v ?? {}), ...Object.keys(r ?? {})])].sort();
  const cell = (x) => (x ? `${pct(x.p)} / ${pct(x.r)} / ${pct(x.f1)} (${x.tp} of ${x.gt}; ${x.pred} found)` : '—');
  return [`| ${title} | validation P / R / F1 | regression set P / R / F1 |`, '|---|---|---|', ...names.map((c) => `| ${c} | ${cell(v?.[c])} | ${cell(r?.[c])} |`)];
};
const table = [
  '| page (handwritten, corpus) | layout-default line F1 | PP-OCR DB line F1 (same run) |',
  '|---|---|---|',
  ...ours.pages.map((p, i) => `| ${p.page} | ${pct(p.f1)} | ${pct(peer.pages[i].f1)} |`),
  `| **mean over pages** | **${pct(m.regressionMeanLineF1)}** | ${pct(m.dbMeanLineF1SameRun)} |`,
  `| pooled over all lines | ${pct(m.regressionPooledLineF1)} | ${pct(peer.pooled.f1)} |`,
  `| ms per page (${m.measuredOn}) | ${m.msPerPage} | ${m.dbMsPerPage} |`,
  ...(m.valLineF1 !== undefined ? [`| validation pages (${m.valPages ?? 20}, by document): line F1${m.valPages ? ' (P / R ' + pct(m.valLinePrecision) + ' / ' + pct(m.valLineRecall) + ')' : ''} | ${pct(m.valLineF1)} | |`] : []),
  '',
  `Zones per SegmOnto class, pooled over the pages whose ground truth has SegmOnto zones (validation: ${m.valZonePages ?? '—'} of ${m.valPages ?? '—'} pages; regression set: ${m.regressionZonePages} of ${ours.pages.length}):`,
  '',
  ...classRows('zone', m.valZones, m.regressionZones),
  '',
  'Lines per SegmOnto line type (untyped ground-truth lines count as DefaultLine; the line F1 above ignores the type):',
  '',
  ...classRows('line type', m.valLineTypes, m.regressionLineTypes),
].join('\n');
const cardFile = path.join(target, 'MODEL_CARD.md');
if (fs.existsSync(cardFile)) {
  fs.writeFileSync(cardFile, fs.readFileSync(cardFile, 'utf8').replace(/<!-- metrics:start -->[\s\S]*<!-- metrics:end -->/, `<!-- metrics:start -->\n${table}\n<!-- metrics:end -->`));
}
console.log(JSON.stringify(m, null, 1));
