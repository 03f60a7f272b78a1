// Benchmark: line recognition on ../shared/corpus/htr-lines (298 cut handwritten
// lines) with every installed model, next to Debian's tesseract CLI (--psm 7) on
// the same lines in the same run (greedy, and careful reading for models with a
// character LM); plus one 30-line page end to end and peak RSS of
// a 500-line batch. Prints JSON. Usage: node bench/recognize-lines.mjs [--limit N] [--models a,b]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTs, REPO as root } from '../build/import-ts.mjs';

const arg = (name, def) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const limit = Number(arg('--limit', '0')) || Infinity;
const only = arg('--models', '')?.split(',').filter(Boolean) ?? [];
const api = await importTs('recognize-bench', {
  'electron/node/models/registry.ts': ['listModels'],
  'electron/node/recognition/load.ts': ['loadRecognizer'],
  'electron/node/images/page-image.ts': ['loadGrey'],
  'electron/node/recognition/recognize-page.ts': ['cutWholeLine', 'recognizePage'],
  'electron/common/formats/document-io.ts': ['readDocument'],
  'electron/common/eval/cer.ts': ['compareTexts', 'emptyTotals', 'addCounts', 'rate'],
  'electron/common/recognition/normalize-text.ts': ['normalizeTranscription'],
});

const LINES = path.resolve(root, '../shared/corpus/htr-lines');
const rows = fs.readFileSync(path.join(LINES, 'lines.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const lines = rows.slice(0, limit).map((r) => ({ image: path.join(LINES, '..', r[0]), text: fs.readFileSync(path.join(LINES, '..', r[1]), 'utf8').trim() }));

async function cutAll(rec) {
  const cut = [];
  for (const l of lines) {
    const img = await api.loadGrey(l.image);
    cut.push(await api.cutWholeLine(img, rec.input));
  }
  return cut;
}

function score(texts) {
  const t = api.emptyTotals();
  // Ground truth normalised as htr-default's model card says (look-alike quotes, dashes…), for every recogniser alike.
  texts.forEach((h, i) => api.addCounts(t, api.compareTexts(api.normalizeTranscription(lines[i].text), api.normalizeTranscription(h))));
  return +api.rate(t.charErrors, t.chars).toFixed(4);
}

const results = [];
const { models } = api.listModels();
for (const m of models.filter((x) => x.manifest.task === 'recognition' && (only.length ? only.includes(x.manifest.id) : true))) {
  const rec = await api.loadRecognizer(m);
  const cut = await cutAll(rec);
  await rec.recognize(cut.slice(0, 4)); // warm-up
  const t0 = performance.now();
  const res = await rec.recognize(cut);
  const s = (performance.now() - t0) / 1000;
  results.push({ model: m.manifest.id, lines: cut.length, linesPerS: +(cut.length / s).toFixed(1), cer: score(res.map((r) => r.text)), note: 'greedy: inference + decoding on pre-cut lines' });
  // Careful reading: the model's own beam search with its character LM (the editor's checkbox).
  if (m.manifest.decoder) {
    const beam = m.manifest.decoder.beam || 8;
    const t1 = performance.now();
    const careful = await rec.recognize(cut, { beam });
    const s1 = (performance.now() - t1) / 1000;
    results.push({ model: `${m.manifest.id} careful reading`, lines: cut.length, linesPerS: +(cut.length / s1).toFixed(1), cer: score(careful.map((r) => r.text)), note: `beam ${beam} + ${m.manifest.decoder.lm} (weight ${m.manifest.decoder.weight}, bonus ${m.manifest.decoder.bonus})` });
  }
  await rec.dispose();
}

// The peer: Debian's tesseract CLI, one process per line as scripts use it.
if (spawnSync('tesseract', ['--version']).status === 0) {
  const texts = [];
  const t0 = performance.now();
  for (const l of lines) texts.push(spawnSync('tesseract', [l.image, '-', '-l', 'fra', '--psm', '7'], { encoding: 'utf8' }).stdout.trim());
  const s = (performance.now() - t0) / 1000;
  results.push({ model: 'tesseract CLI 5 (fra, --psm 7)', lines: lines.length, linesPerS: +(lines.length / s).toFixed(1), cer: score(texts), note: 'one process per line' });
}

// A page end to end: decode, cut, recognise, 30-ish lines.
const pageXml = path.resolve(root, '../shared/corpus/escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml');
const page = {};
if (fs.existsSync(pageXml)) {
  const m = models.find((x) => x.manifest.id === 'htr-default') ?? models.find((x) => x.manifest.task === 'recognition');
  const rec = await api.loadRecognizer(m);
  const { doc } = api.readDocument(fs.readFileSync(pageXml, 'utf8'));
  const image = pageXml.replace(/\.xml$/, '.jpg');
  await api.recognizePage(doc, image, rec);
  const t0 = performance.now();
  const r = await api.recognizePage(doc, image, rec);
  Object.assign(page, { model: m.manifest.id, page: path.basename(pageXml), lines: r.lines, seconds: +((performance.now() - t0) / 1000).toFixed(3) });

  // Peak memory of a 500-line batch (the lines repeated), read from the kernel's high-water mark.
  const cut = await cutAll(rec);
  const big = Array.from({ length: 500 }, (_, i) => cut[i % cut.length]);
  await rec.recognize(big);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
  page.peakRssMbAfter500LineBatch = hwm ? Math.round(Number(hwm) / 1024) : null;
  await rec.dispose();
}

console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`, lines: lines.length, results, page }, null, 2));
