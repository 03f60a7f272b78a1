// Measures a recognition model through the app (the code `htr-studio recognize`
// runs) on a folder of lines cut for it: NAME.png + NAME.gt.txt, searched
// recursively, as `export --format lines --cut-as MODEL` and prepare_lines.py
// write them. Those PNGs are exactly what recognition feeds the model (see
// tests/unit/line-cut-parity.test.ts), so they go in as they are: cutting or
// stretching them again would measure something recognition never does.
//   node native-models/recipes/htr/measure-lines.mjs --model ID|DIR --lines DIR
//        [--beam 8] [--lm FILE --weight W --bonus B] [--greedy-only]
// Prints JSON: greedy and careful reading (beam + the model's character LM, or
// the one given), CER/WER overall and per group (the line's first sub-folder:
// the dataset in prepare_lines.py's layout), lines per second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from '../../../build/import-ts.mjs';

export const api = await importTs('measure-lines', {
  'electron/node/models/registry.ts': ['listModels', 'pickRecognizer'],
  'electron/node/recognition/load.ts': ['loadRecognizer'],
  'electron/node/images/page-image.ts': ['loadGrey'],
  'electron/common/eval/cer.ts': ['compareTexts', 'emptyTotals', 'addCounts', 'rate'],
  'electron/common/recognition/normalize-text.ts': ['normalizeTranscription'],
  'electron/common/recognition/char-lm.ts': ['CharLm'],
});

/** Every NAME.png with a NAME.gt.txt under `dir`: {name, group, file, text}. */
export function findLines(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.png') && fs.existsSync(p.slice(0, -4) + '.gt.txt')) {
        const rel = path.relative(dir, p).split(path.sep);
        out.push({ name: e.name.slice(0, -4), group: rel.length > 1 ? rel[0] : '', file: p, text: fs.readFileSync(p.slice(0, -4) + '.gt.txt', 'utf8').trim() });
      }
    }
  };
  walk(dir);
  return out;
}

/** The lines' pixels as recognition gets them (grey, already at the model's height). */
export async function loadCut(lines) {
  return Promise.all(lines.map(async (l) => {
    const g = await api.loadGrey(l.file);
    return { width: g.width, height: g.height, data: g.data };
  }));
}

const r4 = (x) => Math.round(x * 10000) / 10000;

/** CER/WER of `rec` on the lines, overall and per group, with the given decoding options. */
export async function score(rec, lines, cut, opts) {
  const t0 = performance.now();
  const out = await rec.recognize(cut, opts);
  const seconds = (performance.now() - t0) / 1000;
  const total = api.emptyTotals();
  const groups = {};
  out.forEach((o, i) => {
    const c = api.compareTexts(api.normalizeTranscription(lines[i].text), api.normalizeTranscription(o.text));
    api.addCounts(total, c);
    api.addCounts((groups[lines[i].group] ??= api.emptyTotals()), c);
  });
  return {
    cer: r4(api.rate(total.charErrors, total.chars)),
    wer: r4(api.rate(total.wordErrors, total.words)),
    byGroup: Object.fromEntries(Object.entries(groups).sort().map(([g, t]) => [g, r4(api.rate(t.charErrors, t.chars))])),
    linesPerSecond: Math.round((cut.length / seconds) * 10) / 10,
    texts: out.map((o) => o.text),
  };
}

/** A model by id or folder, opened for recognition. */
export async function openModel(ref) {
  const m = api.pickRecognizer(api.listModels().models, ref);
  return { model: m, rec: await api.loadRecognizer(m) };
}

export function machine() {
  return `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, onnxruntime-node`;
}

async function main() {
  const argv = process.argv.slice(2);
  const arg = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
  const dir = arg('--lines');
  if (!dir) throw new Error('give --lines DIR (NAME.png + NAME.gt.txt cut for the model)');
  const beam = Number(arg('--beam', '8'));
  const { model, rec } = await openModel(arg('--model', 'htr-default'));
  const lines = findLines(dir);
  const cut = await loadCut(lines);
  const lmFile = arg('--lm');
  const lm = lmFile ? { lm: api.CharLm.fromFile(JSON.parse(fs.readFileSync(lmFile, 'utf8')), lmFile), weight: Number(arg('--weight', '0.45')), bonus: Number(arg('--bonus', '1')) } : undefined;
  const strip = ({ texts: _t, ...r }) => r;
  const report = { model: model.manifest.id, version: model.manifest.version, lines: lines.length, machine: machine(), greedy: strip(await score(rec, lines, cut, { beam: 0, lm: null })) };
  if (!argv.includes('--greedy-only')) report.careful = { beam, ...(lmFile && { lm: path.basename(lmFile), weight: lm.weight, bonus: lm.bonus }), ...strip(await score(rec, lines, cut, { beam, ...(lm && { lm }) })) };
  await rec.dispose();
  console.log(JSON.stringify(report, null, 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
