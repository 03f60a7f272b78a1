import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CORPUS, REPO } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

/**
 * The recogniser recipe re-runs from a clean checkout on a CPU: lines exported by
 * the app → a few training steps → ONNX export (checked against torch in
 * onnxruntime-node) → packaged as a user model → loaded and run by the app.
 */
const RECIPE = path.join(REPO, 'native-models/recipes/htr');
const PY = '/usr/bin/python3';
const torchMissing = spawnSync(PY, ['-c', 'import torch, onnx, PIL, numpy']).status !== 0;

function py(args: string[], cwd = RECIPE, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(PY, args, { cwd, encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1', ...env }, timeout: 240_000 });
  if (r.status !== 0) throw new Error(`python ${args[0]} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return r.stdout + r.stderr;
}

/** The 24 lines of one corpus page, exported by the app, split 18 train / 6 val under `tmp`. */
function exportLines(tmp: string): string[] {
  const page = path.join(CORPUS, 'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml');
  const exp = runCli(['export', page, '--format', 'lines', '-o', path.join(tmp, 'all'), '-q']);
  expect(exp.code).toBe(0);
  const names = fs.readdirSync(path.join(tmp, 'all')).filter((f) => f.endsWith('.png')).sort();
  expect(names.length).toBe(24);
  for (const dir of ['train', 'val']) fs.mkdirSync(path.join(tmp, dir));
  names.forEach((png, i) => {
    const dir = i % 4 === 0 ? 'val' : 'train';
    const stem = png.slice(0, -4);
    for (const f of [png, `${stem}.gt.txt`]) fs.copyFileSync(path.join(tmp, 'all', f), path.join(tmp, dir, f));
  });
  return names;
}

/** Packages an export_onnx.py folder as a user model and recognises one line with it through the app. */
function recogniseWith(exportDir: string, tmp: string, line: string, id: string): void {
  const pkg = spawnSync(process.execPath, [path.join(RECIPE, 'package-model.mjs'), exportDir, '--target', path.join(tmp, `models/${id}`), '--id', id, '--no-measure'], { encoding: 'utf8' });
  expect(pkg.status).toBe(0);
  const rec = runCli(['recognize', line, '-o', path.join(tmp, `out-${id}`), '--model', id, '--json', '-q'], { env: { HTR_STUDIO_MODELS: path.join(tmp, 'models') } });
  expect(rec.code).toBe(0);
  const result = JSON.parse(rec.stdout).results[0];
  expect(typeof result.text).toBe('string');
  expect(result.conf).toBeGreaterThanOrEqual(0);
}

/** PNG width and height from the IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

const HANDWRITING_FONTS = [
  '/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf',
  '/usr/share/fonts/truetype/fifthhorseman/dkg.ttf',
  '/usr/share/fonts/opentype/joscelyn/Joscelyn-Regular.otf',
  '/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf',
].filter((f) => fs.existsSync(f));

describe.skipIf(torchMissing)('the htr recipe (needs Debian python3-torch, python3-onnx, python3-pil, python3-numpy)', () => {
  it('trains a few steps on exported lines, exports ONNX that matches torch, and the app runs it', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-recipe-'));
    const names = exportLines(tmp);

    // --weight draws a dataset's lines more or less often (the lines here are of one unnamed dataset: "").
    const log = py(['train.py', '--train', path.join(tmp, 'train'), '--val', path.join(tmp, 'val'), '--regression', '', '--out', path.join(tmp, 'work'), '--max-steps', '3', '--threads', '1', '--weight', '=2']);
    expect(log).toMatch(/weighted: 18 training lines drawn as 36 per epoch/);
    expect(log).toMatch(/loaded 36 train, 6 val/);
    const bad = spawnSync('/usr/bin/python3', ['train.py', '--train', path.join(tmp, 'train'), '--val', path.join(tmp, 'val'), '--regression', '', '--out', path.join(tmp, 'work-bad'), '--max-steps', '1', '--weight', 'wills=2'], { cwd: RECIPE, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--weight: no training lines of wills');
    expect(fs.existsSync(path.join(tmp, 'work/ckpt/last.pt'))).toBe(true);

    const out = py(['export_onnx.py', path.join(tmp, 'work/ckpt/last.pt'), '--out', path.join(tmp, 'export'), '--check', path.join(tmp, 'val')]);
    // The recipe compares torch with onnxruntime-node on real lines.
    expect(out).toMatch(/"ok":true/);

    recogniseWith(path.join(tmp, 'export'), tmp, path.join(tmp, 'val', names[0]!), 'recipe-test');
  }, 300_000);

  it('distils the shipped network into another one (--teacher), reordering its classes; a teacher without some of the classes is refused', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-recipe-kd-'));
    exportLines(tmp);
    const common = ['train.py', '--train', path.join(tmp, 'train'), '--val', path.join(tmp, 'val'), '--regression', '', '--arch', 'crnn-c2p', '--max-steps', '2', '--threads', '1'];
    const log = py([...common, '--out', path.join(tmp, 'kd'), '--teacher', 'checkpoint/last.pt']);
    expect(log).toMatch(/distilling from checkpoint\/last\.pt \(step \d+, 1,1\d\d,\d{3} parameters\)/);
    const entry = JSON.parse(fs.readFileSync(path.join(tmp, 'kd/train.log'), 'utf8').trim().split('\n').pop()!);
    expect(entry.step).toBe(2);
    expect(Number.isFinite(entry.loss) && entry.loss > 0).toBe(true);
    // A charset with a character the teacher never learnt: its frames cannot be matched.
    const odd = path.join(tmp, 'odd');
    fs.mkdirSync(odd);
    fs.copyFileSync(path.join(tmp, 'train', fs.readdirSync(path.join(tmp, 'train')).find((f) => f.endsWith('.png'))!), path.join(odd, 'x.png'));
    fs.writeFileSync(path.join(odd, 'x.gt.txt'), 'neige ☃');
    const bad = spawnSync(PY, [...common, '--out', path.join(tmp, 'kd-bad'), '--teacher', 'checkpoint/last.pt', '--charset-from', odd], { cwd: RECIPE, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("lacks classes of this charset: '☃'");
  }, 300_000);

  it('packs lines and runs the device script on the CPU: resumes checkpoint/last.pt, exports ONNX into $OUT', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-device-'));
    const names = exportLines(tmp);
    // The pack the GPU machine gets (quantised, xz): the lines as LineSet holds them, plus the fonts.
    const packed = py(['pack_lines.py', '--train', path.join(tmp, 'train'), '--val', path.join(tmp, 'val'), '--regression', '', '--out', path.join(tmp, 'pack')]);
    expect(packed).toMatch(/train: 18 lines/);
    expect(packed).toMatch(/val: 6 lines/);
    const summary = JSON.parse(fs.readFileSync(path.join(tmp, 'pack/pack.json'), 'utf8'));
    expect(summary.sets.train.lines).toBe(18);
    // Lines come back from the pack at the model's height, with their texts.
    const back = py(['pack_lines.py', '--unpack', path.join(tmp, 'pack/val.lines'), '--to', path.join(tmp, 'unpacked')]);
    expect(back).toMatch(/unpacked 6 lines/);
    const stem = names[0]!.slice(0, -4);
    expect(pngSize(path.join(tmp, 'unpacked', `${stem}.png`)).height).toBe(48);
    expect(fs.readFileSync(path.join(tmp, 'unpacked', `${stem}.gt.txt`), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'val', `${stem}.gt.txt`), 'utf8'));

    // The device script, as the device tool runs it (from the repository root, $OUT set), on the CPU:
    // one step on from the committed checkpoint, evaluation, export, torch-vs-onnxruntime check.
    const out = path.join(tmp, 'OUT');
    const r = spawnSync('bash', [path.join(RECIPE, 'device_run.sh'), '--device', 'cpu', '--threads', '1', '--max-steps', '1', '--pack', path.join(tmp, 'pack'), '--work', path.join(tmp, 'work')], { cwd: REPO, encoding: 'utf8', env: { ...process.env, OUT: out, PYTHON: PY, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1' }, timeout: 240_000 });
    if (r.status !== 0) throw new Error(`device_run.sh failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
    expect(r.stdout).toMatch(/resumed at step \d+/);
    expect(r.stdout).toMatch(/"ok":\s*true/);
    for (const f of ['model.onnx', 'model.json', 'last.pt', 'train.log', 'run.log', 'summary.json']) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(s.mode).toBe('resume');
    expect(s.results.resume.val.lines).toBe(6);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')).charset.length).toBeGreaterThan(100);
    recogniseWith(out, tmp, path.join(tmp, 'val', names[0]!), 'device-test');
  }, 300_000);

  it.skipIf(HANDWRITING_FONTS.length === 0)('renders synthetic lines in the prepare_lines format, in the training charset', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-synth-'));
    exportLines(tmp);
    const log = py(['synth_lines.py', '--texts', path.join(tmp, 'train'), '--n', '6', '--out', path.join(tmp, 'synth'), '--fonts', ...HANDWRITING_FONTS]);
    expect(JSON.parse(log.trim().split('\n').pop()!).lines).toBe(6);
    // The charset a model trained on these training lines has (train.py: Codec.from_texts).
    const charset = new Set<string>(JSON.parse(py(['-c', `import json, sys; from data import LineSet; from model import Codec; print(json.dumps(Codec.from_texts(LineSet(sys.argv[1], 48).texts).charset))`, path.join(tmp, 'train')])));
    const pngs = fs.readdirSync(path.join(tmp, 'synth')).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBe(6);
    for (const png of pngs) {
      expect(png).toMatch(/^synth__/);
      const { width, height } = pngSize(path.join(tmp, 'synth', png));
      expect(height).toBe(48);
      const text = fs.readFileSync(path.join(tmp, 'synth', `${png.slice(0, -4)}.gt.txt`), 'utf8');
      expect(text.trim().length).toBeGreaterThan(0);
      expect(Math.floor(width / 4)).toBeGreaterThanOrEqual(text.length + 2); // room for CTC
      for (const ch of text) expect(charset.has(ch), `${JSON.stringify(ch)} of ${JSON.stringify(text)}`).toBe(true);
    }
  }, 120_000);

  it.skipIf(HANDWRITING_FONTS.length === 0)('ab_cpu.sh trains both arms (real only; synthetic then real) and reports each one\'s steps and CER', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-ab-'));
    exportLines(tmp);
    const r = spawnSync('bash', [path.join(RECIPE, 'ab_cpu.sh'), '--epochs', '2', '--synth-lines', '12', '--out', path.join(tmp, 'ab'), '--train', path.join(tmp, 'train'), '--', '--val', path.join(tmp, 'val'), '--regression', '', '--max-steps', '2'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, PYTHON: PY, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1' }, timeout: 240_000 });
    if (r.status !== 0) throw new Error(`ab_cpu.sh failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
    const s = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(s.A.steps).toBe(2);
    expect(s.B.steps).toBe(4); // 2 synthetic + 2 real: --max-steps caps each phase
    expect(s.B.curve.map((c: { phase: string }) => c.phase)).toEqual(['B-synth', 'B-real']);
    for (const arm of [s.A, s.B]) expect(arm.final_val_cer).toBeGreaterThan(0);
    // B's real phase starts from the synthetic phase's weights, in the real lines' charset.
    expect(fs.readFileSync(path.join(tmp, 'ab', 'B-real.out'), 'utf8')).toMatch(/initialised from .*B-synth/);
    // --init carries the model's training so far: steps and minutes go on from the synthetic phase's.
    const lastEntry = (phase: string): { step: number; total_steps: number; trained_minutes: number } => JSON.parse(fs.readFileSync(path.join(tmp, 'ab', phase, 'train.log'), 'utf8').trim().split('\n').pop()!);
    const synth = lastEntry('B-synth'), real = lastEntry('B-real');
    expect(synth.total_steps).toBe(2);
    expect(real.step).toBe(2);
    expect(real.total_steps).toBe(4);
    expect(real.trained_minutes).toBeGreaterThanOrEqual(synth.trained_minutes);
  }, 300_000);
});
