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

function py(args: string[], cwd = RECIPE): string {
  const r = spawnSync(PY, args, { cwd, encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1' }, timeout: 240_000 });
  if (r.status !== 0) throw new Error(`python ${args[0]} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return r.stdout + r.stderr;
}

describe.skipIf(torchMissing)('the htr recipe (needs Debian python3-torch, python3-onnx, python3-pil, python3-numpy)', () => {
  it('trains a few steps on exported lines, exports ONNX that matches torch, and the app runs it', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-recipe-'));
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

    const log = py(['train.py', '--train', path.join(tmp, 'train'), '--val', path.join(tmp, 'val'), '--regression', '', '--out', path.join(tmp, 'work'), '--max-steps', '3', '--threads', '1']);
    expect(log).toMatch(/loaded 18 train, 6 val/);
    expect(fs.existsSync(path.join(tmp, 'work/ckpt/last.pt'))).toBe(true);

    const out = py(['export_onnx.py', path.join(tmp, 'work/ckpt/last.pt'), '--out', path.join(tmp, 'export'), '--check', path.join(tmp, 'val')]);
    // The recipe compares torch with onnxruntime-node on real lines.
    expect(out).toMatch(/"ok":true/);

    const pkg = spawnSync(process.execPath, [path.join(RECIPE, 'package-model.mjs'), path.join(tmp, 'export'), '--target', path.join(tmp, 'models/recipe-test'), '--id', 'recipe-test', '--no-measure'], { encoding: 'utf8' });
    expect(pkg.status).toBe(0);
    const line = path.join(tmp, 'val', names[0]!);
    const rec = runCli(['recognize', line, '-o', path.join(tmp, 'out'), '--model', 'recipe-test', '--json', '-q'], { env: { HTR_STUDIO_MODELS: path.join(tmp, 'models') } });
    expect(rec.code).toBe(0);
    const result = JSON.parse(rec.stdout).results[0];
    expect(typeof result.text).toBe('string');
    expect(result.conf).toBeGreaterThanOrEqual(0);
  }, 300_000);
});
