// The exported model measured by the app itself: electron/node/layout/yolo.ts on the
// ORIGINAL page images, ground truth read by the app's PAGE/ALTO reader, scored by
// electron/node/layout/evaluate-layout.ts (the model card's and the regression
// test's scorer). This is the number to quote; evaluate.py is the fast
// approximation used during training (same rules, on the export's JPEGs).
//
// Each page goes through `segmentImage`, as `htr-studio segment` runs it (detect →
// table-aware line splitting → PAGE lines); --no-split scores the detector's raw lines.
//
// usage: node evaluate_app.mjs EXPORT_DIR [--data work/data] [--split val] [--conf C] [--iou U] [--no-split]
//          [--zoom LINE_HEIGHT,MAX,MIN | --no-zoom]   (layout.zoom of model.json overridden or left out)
//   EXPORT_DIR holds model.onnx + model.json (export_onnx.py); pages come from DATA/pages.tsv.
import fs from 'node:fs';
import path from 'node:path';
import { importTs } from '../../../build/import-ts.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const modelDir = path.resolve(argv[0] ?? 'work/export');
const dataDir = path.resolve(arg('--data', 'work/data'));
const split = arg('--split', 'val');
const noSplit = argv.includes('--no-split');

const api = await importTs('layout-evaluate-app', {
  'electron/node/layout/yolo.ts': ['YoloDetector'],
  'electron/node/layout/evaluate-layout.ts': ['scoreDetector'],
  'electron/common/layout/score-classes.ts': ['classScores'],
});

const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
const layout = { ...manifest.layout };
if (arg('--conf')) layout.conf = Number(arg('--conf'));
if (arg('--iou')) layout.iou = Number(arg('--iou'));
if (arg('--zoom')) {
  const [lineHeight, max, min] = arg('--zoom').split(',').map(Number);
  layout.zoom = { lineHeight, max, min };
}
if (argv.includes('--no-zoom')) delete layout.zoom;
const det = await api.YoloDetector.load({ ...manifest, layout }, modelDir);

const rows = fs.readFileSync(path.join(dataDir, 'pages.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const pages = rows.filter((c) => c[1] === split).map(([name, , , xml, image]) => ({ name, xml, image }));
// The zoom each page was detected at (1: not zoomed), seen on its way through.
const zooms = [];
const seen = { manifest: det.manifest, detect: async (file, o) => { const r = await det.detect(file, o); zooms.push(r.zoom ?? 1); return r; }, dispose: () => det.dispose() };
const score = await api.scoreDetector(seen, pages, { split: !noSplit });
await det.dispose();

const round = (v) => Math.round(v * 1e4) / 1e4;
const perClass = (counts) => Object.fromEntries(Object.entries(api.classScores(counts)).map(([c, v]) => [c, { p: round(v.precision), r: round(v.recall), f1: round(v.f1), tp: v.truePositives, pred: v.predicted, gt: v.expected }]));
console.log(JSON.stringify({
  model: manifest.id, version: manifest.version, split, pages: pages.length, conf: layout.conf, iou: layout.iou, zoom: layout.zoom ?? null, lineSplitting: !noSplit,
  lines: { precision: round(score.pooled.precision), recall: round(score.pooled.recall), f1: round(score.pooled.f1), tp: score.pooled.truePositives, pred: score.pooled.predicted, gt: score.pooled.expected },
  page_mean_line_f1: round(score.meanF1),
  ms_per_page: score.msPerPage,
  zones: { pages: score.pages.filter((p) => p.zonesAnnotated).length, by_class: perClass(score.zones) },
  line_types: perClass(score.lineTypes),
  per_page: score.pages.map((p, i) => ({ page: pages[i].name, gt: p.expected, pred: p.predicted, f1: round(p.f1), ...(zooms[i] > 1 && { zoom: zooms[i] }) })),
}, null, 1));
