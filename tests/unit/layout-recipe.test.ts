/**
 * The layout recipe end to end, from nothing: export two corpus pages with
 * `export --format yolo`, train a few steps on CPU, export ONNX, and run it through
 * the app's own YOLO runner. It checks that the pieces fit (shapes, names,
 * letterbox, output layout), not how well the model detects.
 *
 * Second test: the lent-GPU path on CPU: pack_data.py packs an export, device_run.sh
 * (the script the device tool runs) warm-restarts the committed checkpoint for two
 * steps, evaluates, exports, and leaves the model in its OUT folder, which the app's
 * runner then loads.
 *
 * Third: synthetic registers (synth_tables.py) come out as valid PAGE whose lines
 * are boxed on their ink, go through the app's exporter, and mix_data.py adds
 * them to the training split only.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportCmd } from '../../electron/cli/commands/export.js';
import { YoloDetector } from '../../electron/node/layout/yolo.js';
import { scoreLines } from '../../electron/common/layout/score.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import type { ModelManifest } from '../../electron/common/model-manifest/manifest.js';
import { yoloClassNames } from '../../electron/node/export/yolo-classes.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { loadGrey } from '../../electron/node/images/page-image.js';
import { bbox } from '../../electron/common/model/points.js';
import { CORPUS, REPO, SCHEMAS } from '../helpers/corpus.js';

const PYTHON = '/usr/bin/python3';
const RECIPE = path.join(REPO, 'native-models/recipes/layout');
const CHECKPOINT = path.join(RECIPE, 'checkpoint/last.pt');
const DIR = path.join(CORPUS, 'escriptorium-testaments-alto');
const PAGES = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(DIR, f)) : [];

function whyNot(): string | undefined {
  if (PAGES.length < 2) return `needs two pages in ${DIR}`;
  const r = spawnSync(PYTHON, ['-c', 'import torch, onnx, PIL, numpy, yaml'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} is missing`;
  if (r.status !== 0) return `${PYTHON} lacks torch, onnx, PIL, numpy or yaml (Debian: python3-torch python3-onnx python3-pil python3-yaml)`;
  return undefined;
}
const reason = whyNot();
if (reason) console.warn(`layout-recipe test skipped: ${reason}`);

// Small and single-threaded, below other work on the machine.
const ENV = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

async function exportPages(out: string): Promise<void> {
  const err: string[] = [];
  const code = await exportCmd.run([...PAGES, '--format', 'yolo', '-o', out, '--imgsz', '512', '--val-fraction', '0.5', '-q'], { out: () => {}, err: (l) => err.push(l) });
  expect(code, err.join('\n')).toBe(0);
}

function python(args: string[]): string {
  const r = spawnSync('nice', ['-n', '10', PYTHON, ...args], { cwd: RECIPE, env: ENV, encoding: 'utf8', timeout: 150_000 });
  const log = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`python ${args[0]} failed (${r.status ?? r.signal}):\n${log.slice(-3000)}`);
  return log;
}

describe.skipIf(Boolean(reason))(`layout recipe: export → train → ONNX → the app runs it${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('the whole path works on CPU', { timeout: 240_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-recipe-'));
    const data = path.join(tmp, 'data');
    await exportPages(data);

    const run = path.join(tmp, 'run');
    const train = python(['train.py', '--data', path.join(data, 'data.yaml'), '--out', run, '--imgsz', '512', '--window', '256x384',
      '--batch', '1', '--max-steps', '3', '--threads', '1', '--regression', '']);
    expect(train).toMatch(/loaded 1 train .* 1 val/);
    // --max-steps ends with one evaluation on the validation page, logged as JSON.
    const log = fs.readFileSync(path.join(run, 'train.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; val: { lines: { gt: number } } });
    expect(log.at(-1)!.step).toBe(3);
    expect(log.at(-1)!.val.lines.gt).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(run, 'ckpt/last.pt'))).toBe(true);

    // Resumable: one more step from last.pt.
    const resumed = python(['train.py', '--data', path.join(data, 'data.yaml'), '--out', run, '--resume', '--window', '256x384',
      '--batch', '1', '--max-steps', '4', '--threads', '1', '--regression', '']);
    expect(resumed).toMatch(/resumed at step 3/);

    // Export, checked against torch in onnxruntime-node by the script itself.
    const model = path.join(tmp, 'model');
    const exp = python(['export_onnx.py', path.join(run, 'ckpt/last.pt'), '--out', model, '--check', path.join(data, 'data.yaml'), '--zoom', '30,2,1.2']);
    expect(exp).toMatch(/"ok":true/);
    const manifest = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8')) as ModelManifest;
    expect([manifest.id, manifest.family, manifest.task]).toEqual(['layout-default', 'yolo', 'layout']);
    expect(manifest.layout).toMatchObject({ imgsz: 512, maxDet: 500, zoom: { lineHeight: 30, max: 2, min: 1.2 } });

    // The app's runner: names from the ONNX metadata, output [1, 4 + nc, N]. An untrained model
    // scores low, so the threshold is dropped to make detections flow through every step.
    const det = await YoloDetector.load({ ...manifest, layout: { ...manifest.layout, conf: 0.001, maxDet: 50 } }, model);
    expect(det.names).toEqual(yoloClassNames('both'));
    expect([det.inputW, det.inputH]).toEqual([512, 512]);
    const { doc } = readDocument(fs.readFileSync(PAGES[0]!, 'utf8'));
    const image = path.join(DIR, doc.page.imageFilename);
    const result = await det.detect(image);
    expect([result.width, result.height]).toEqual([doc.page.imageWidth, doc.page.imageHeight]);
    const all = [...result.lines, ...result.regions];
    expect(all.length).toBeGreaterThan(0);
    for (const d of all) {
      expect(det.names).toContain(d.label);
      for (const p of d.polygon) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(doc.page.imageWidth);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(doc.page.imageHeight);
      }
    }
    // Scored as the benchmark scores detectors; no accuracy is claimed after four steps.
    const s = scoreLines(result.lines.map((l) => l.polygon), allLines(doc.page.regions).map((l) => l.coords!.points));
    expect(s.expected).toBe(allLines(doc.page.regions).length);
    await det.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.skipIf(!fs.existsSync(CHECKPOINT))('device_run.sh (the GPU run) works on CPU: pack → warm restart → evaluate → ONNX in OUT', { timeout: 180_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-device-'));
    const data = path.join(tmp, 'data');
    await exportPages(data);
    const pack = path.join(tmp, 'pack');
    const packed = python(['pack_data.py', '--data', path.join(data, 'data.yaml'), '--regression', '', '--out', pack]);
    const report = JSON.parse(fs.readFileSync(path.join(pack, 'pack.json'), 'utf8')) as { data: { pages: Record<string, number>; bytes_out: number } };
    expect(report.data.pages, packed).toEqual({ train: 1, val: 1 });
    expect(fs.readFileSync(path.join(pack, 'data.yaml'), 'utf8')).not.toMatch(/^path:/m); // relocatable: the yaml's folder is the root

    const out = path.join(tmp, 'out');
    const r = spawnSync('nice', ['-n', '10', 'bash', path.join(RECIPE, 'device_run.sh'), '--device', 'cpu', '--out', out, '--run', path.join(tmp, 'run'),
      '--pack', pack, '--minutes', '1', '--batch', '1', '--threads', '1', '--eval-minutes', '10', '--', '--steps', '2', '--window', '256x384'],
    { env: { ...ENV, PYTHON }, encoding: 'utf8', timeout: 170_000 });
    const log = `${r.stdout}\n${r.stderr}`;
    expect(r.status, log.slice(-3000)).toBe(0);
    const from = Number(/resumed at step (\d+), .* from .*checkpoint\/last\.pt; warm restart/.exec(log)?.[1]);
    expect(from).toBeGreaterThan(0);
    const trained = fs.readFileSync(path.join(out, 'train.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; device: string });
    expect([trained.at(-1)!.step, trained.at(-1)!.device]).toEqual([from + 2, 'cpu']); // --steps 2: two steps of this run, then the evaluation
    expect(log).toMatch(/"ok":true/); // the export checked against torch
    expect(fs.readdirSync(out).sort()).toEqual(['best.pt', 'eval.json', 'last.pt', 'model.json', 'model.onnx', 'run.log', 'train.log']);
    const evaluation = JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8')) as { val: { best: { conf: number; iou: number; lines: { gt: number } }; device: string } };
    expect(evaluation.val.best.lines.gt).toBeGreaterThan(0);
    expect(evaluation.val.device).toBe('cpu');

    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')) as ModelManifest;
    expect([manifest.id, manifest.family, manifest.task]).toEqual(['layout-default', 'yolo', 'layout']);
    expect(manifest.layout).toMatchObject({ imgsz: 1024, maxDet: 500, conf: evaluation.val.best.conf, iou: evaluation.val.best.iou });
    // The committed checkpoint after two tiny steps: a trained model, run at its own thresholds.
    const det = await YoloDetector.load(manifest, out);
    expect(det.names).toEqual(yoloClassNames('both'));
    expect([det.inputW, det.inputH]).toEqual([1024, 1024]);
    const { doc } = readDocument(fs.readFileSync(PAGES[1]!, 'utf8'));
    const result = await det.detect(path.join(DIR, doc.page.imageFilename));
    expect([result.width, result.height]).toEqual([doc.page.imageWidth, doc.page.imageHeight]);
    expect(result.lines.length).toBeGreaterThan(0);
    for (const d of result.lines) expect(det.names).toContain(d.label);
    await det.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('strip_checkpoint (one helper for both recipes) keeps the weights and no optimiser or RNG state', { timeout: 60_000 }, () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-strip-'));
    const out = path.join(tmp, 'stripped.pt');
    expect(python(['strip_checkpoint.py', CHECKPOINT, out])).toMatch(/kept \[.*'ema'.*'model'.*'step'/);
    const keys = python(['-c', `import sys; sys.path.insert(0, '../common'); from torchkit import load_state; print(sorted(load_state(${JSON.stringify(out)})))`]);
    expect(keys).toMatch(/'model'/);
    expect(keys).not.toMatch(/'optimizer'|'scheduler'|'rng'/);
    expect(fs.existsSync(`${out}.tmp`)).toBe(false);
  });

  it('synthetic registers: valid PAGE, lines boxed on their ink, exported, mixed into training only', { timeout: 180_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-layout-synth-'));
    const data = path.join(tmp, 'data');
    await exportPages(data);
    const pages = path.join(tmp, 'pages');
    const draw = (out: string): string => python(['synth_tables.py', '--out', out, '--pages', '2', '--seed', '5', '--pages-tsv', path.join(data, 'pages.tsv')]);
    expect(draw(pages)).toMatch(/synth_register_5_0001: \d+x\d+, \d+ lines/);
    const xmls = fs.readdirSync(pages).filter((f) => f.endsWith('.xml')).sort();
    expect(xmls).toEqual(['synth_register_5_0000.xml', 'synth_register_5_0001.xml']);
    for (const f of xmls) {
      const xml = fs.readFileSync(path.join(pages, f), 'utf8');
      const { doc } = readDocument(xml);
      expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors).toEqual([]);
      const { imageWidth: width, imageHeight: height } = doc.page;
      const grey = await loadGrey(path.join(pages, doc.page.imageFilename));
      expect([grey.width, grey.height]).toEqual([width, height]);
      const sorted = Uint8Array.from(grey.data).sort();
      const paper = sorted[sorted.length >> 1]!;
      const lines = allLines(doc.page.regions);
      expect(lines.length).toBeGreaterThan(20); // a register: dozens of cells with writing
      for (const l of lines) {
        expect((l.textEquivs[0]?.unicode ?? '').trim()).not.toBe('');
        const b = bbox(l.coords!.points)!;
        expect(b.minX).toBeGreaterThanOrEqual(0);
        expect(b.minY).toBeGreaterThanOrEqual(0);
        expect(b.maxX).toBeLessThanOrEqual(width);
        expect(b.maxY).toBeLessThanOrEqual(height);
        // Boxed on ink: the darkest pixel inside is far darker than the paper.
        let darkest = 255;
        for (let y = b.minY; y < b.maxY; y++) for (let x = b.minX; x < b.maxX; x++) darkest = Math.min(darkest, grey.data[y * width + x]!);
        expect(paper - darkest, `${f} ${l.id}`).toBeGreaterThan(40);
      }
    }
    // Same seed, same pages.
    const again = path.join(tmp, 'again');
    draw(again);
    expect(fs.readFileSync(path.join(again, xmls[1]!), 'utf8')).toBe(fs.readFileSync(path.join(pages, xmls[1]!), 'utf8'));

    const synth = path.join(tmp, 'synth');
    const err: string[] = [];
    const code = await exportCmd.run([...xmls.map((f) => path.join(pages, f)), '--format', 'yolo', '-o', synth, '--imgsz', '512', '--val-fraction', '0', '-q'], { out: () => {}, err: (l) => err.push(l) });
    expect(code, err.join('\n')).toBe(0);
    const mix = path.join(tmp, 'mix');
    python(['mix_data.py', '--out', mix, data, synth]);
    const list = (split: string): string[] => fs.readdirSync(path.join(mix, 'images', split)).sort();
    expect(list('train')).toEqual([...fs.readdirSync(path.join(data, 'images/train')), 'synth_register_5_0000.jpg', 'synth_register_5_0001.jpg'].sort());
    expect(list('val')).toEqual(fs.readdirSync(path.join(data, 'images/val')).sort()); // chosen on real pages only
    expect(fs.readdirSync(path.join(mix, 'labels/train')).length).toBe(list('train').length);
    // --val-from: a second export's validation pages join the first's (how corpus-train-more's
    // validation wills were added), and pages.tsv lists exactly the mix's pages for evaluate_app.mjs.
    const synthVal = path.join(tmp, 'synth-val');
    const valList = path.join(tmp, 'synth-val-list.txt');
    fs.writeFileSync(valList, `${xmls[1]!.replace(/\.xml$/, '')}\n`);
    expect(await exportCmd.run([...xmls.map((f) => path.join(pages, f)), '--format', 'yolo', '-o', synthVal, '--imgsz', '512', '--val-list', valList, '-q'], { out: () => {}, err: () => {} })).toBe(0);
    const mix2 = path.join(tmp, 'mix2');
    python(['mix_data.py', '--out', mix2, '--val-from', synthVal, data, synthVal]);
    const list2 = (split: string): string[] => fs.readdirSync(path.join(mix2, 'images', split)).sort();
    expect(list2('val')).toEqual([...fs.readdirSync(path.join(data, 'images/val')), 'synth_register_5_0001.jpg'].sort());
    expect(list2('train')).toEqual([...fs.readdirSync(path.join(data, 'images/train')), 'synth_register_5_0000.jpg'].sort());
    const rows = fs.readFileSync(path.join(mix2, 'pages.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    for (const split of ['train', 'val']) {
      expect(rows.filter((r) => r[1] === split).map((r) => r[0]).sort(), split).toEqual(list2(split).map((f) => f.replace(/\.jpg$/, '')));
    }
    // The mix trains: one step and its evaluation on the real validation page.
    const trained = python(['train.py', '--data', path.join(mix, 'data.yaml'), '--out', path.join(tmp, 'run'), '--imgsz', '512', '--window', '256x384',
      '--batch', '2', '--max-steps', '1', '--threads', '1', '--regression', '']);
    expect(trained).toMatch(/loaded 3 train .* 1 val/);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
