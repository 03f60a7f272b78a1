// `htr-studio train`: fine-tuning a recogniser on corrected pages (issue 22).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CharLm } from '../../electron/common/recognition/char-lm.js';
import { mergeLmFiles } from '../../electron/common/recognition/char-lm-merge.js';
import { findTorchPython } from '../../electron/node/training/find-python.js';
import { parseFinetuneLine } from '../../electron/common/training/finetune-events.js';
import { isJobEvent } from '../../electron/common/api/job-events.js';
import { REPO, SHARED } from '../helpers/corpus.js';
import { ensureCliBuilt, runCli } from '../helpers/cli-process.js';

const FT = path.join(SHARED, 'corpus-finetune/lectaurep-dufour-1');
const pages = (part: string): string[] =>
  fs.existsSync(path.join(FT, part)) ? fs.readdirSync(path.join(FT, part)).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(FT, part, f)) : [];
const TUNE = pages('tune');
const TEST = pages('test');
const py = findTorchPython();
const noTorch = py.python === null;
const noData = TUNE.length < 2 || TEST.length < 2;
if (noTorch) console.warn(`train tests skipped: ${py.python === null ? py.message : ''}`);
if (noData) console.warn(`train tests skipped: ${FT} is missing (the shared corpus beside the checkout)`);
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'htr-train-'));
// nice: the tests share the machine's cores with whatever else runs.
const NICE = { HTR_STUDIO_PYTHON: py.python ?? '' };

interface Run {
  code: number;
  events: Record<string, unknown>[];
  stderr: string;
}

/** The CLI in a child process; `onEvent` may return 'stop' to send it SIGTERM (as Ctrl-C would). */
function train(args: string[], onEvent?: (e: Record<string, unknown>) => 'stop' | void, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawn('nice', ['-n', '19', process.execPath, ensureCliBuilt(), 'train', ...args, '--json', '--threads', '1'], {
    cwd: REPO,
    env: { ...process.env, ...NICE, ...env },
  });
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  let stopped = false;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const e = JSON.parse(line) as Record<string, unknown>;
    events.push(e);
    if (!stopped && onEvent?.(e) === 'stop') {
      stopped = true;
      child.kill('SIGTERM');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, events, stderr })));
}

/** Character error rate of `model` on PAGE/ALTO `gts` (greedy unless `beam`). */
function cer(model: string, gts: string[], out: string, beam?: number): number {
  const rec = runCli(['recognize', ...gts, '-o', out, '--model', model, '-q', ...(beam ? ['--beam', String(beam)] : [])]);
  expect(rec.code, rec.stderr).toBe(0);
  let chars = 0;
  let errors = 0;
  for (const gt of gts) {
    const r = JSON.parse(runCli(['eval', '--gt', gt, '--hyp', path.join(out, path.basename(gt)), '--json']).stdout) as { chars: number; charErrors: number };
    chars += r.chars;
    errors += r.charErrors;
  }
  return errors / chars;
}

describe('htr-studio train without Python/torch', () => {
  it('exits 2 with one line saying what to install', () => {
    const dir = tmp();
    const fake = path.join(dir, 'python3');
    fs.writeFileSync(fake, '#!/bin/sh\necho "ModuleNotFoundError: No module named torch" >&2\nexit 1\n', { mode: 0o755 });
    const r = runCli(['train', path.join(REPO, 'tests'), '--base', 'htr-default', '-o', path.join(dir, 'out')], { env: { HTR_STUDIO_PYTHON: fake } });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PyTorch/);
    expect(lines[0]).toMatch(/apt-get install python3-torch python3-onnx python3-pil python3-numpy|pip install torch/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('training progress events', () => {
  it('reads the recipe\'s JSON lines and nothing else; training job events cross the transports checked', () => {
    expect(parseFinetuneLine('{"event": "eval", "step": 40, "loss": 1.2, "val_cer": 0.5, "best_val_cer": 0.5, "minutes_left": 3}')).toMatchObject({ event: 'eval', step: 40 });
    expect(parseFinetuneLine('loaded 94 train lines')).toBeUndefined();
    expect(parseFinetuneLine('{"cases": 7, "ok": true}')).toBeUndefined();
    expect(parseFinetuneLine('{not json')).toBeUndefined();
    const e = { type: 'training', jobId: 'job-1', event: { event: 'step', step: 10, loss: 2, lines_per_s: 40, minutes_left: 1 } };
    expect(isJobEvent(e)).toBe(true);
    expect(isJobEvent({ ...e, event: { event: 'bogus' } })).toBe(false);
    expect(isJobEvent({ ...e, event: null })).toBe(false);
  });
});

describe('character LM of a fine-tune', () => {
  it('adds the new text to the base counts, weighted', () => {
    const base = CharLm.train(['je lègue à ma femme', 'fait à Paris le'], 3, 1).toFile();
    const added = CharLm.train(['Dufour notaire'], 3, 1).toFile();
    const merged = mergeLmFiles(base, added, 4);
    expect(merged.lines).toBe(2 + 4);
    const lm = CharLm.fromFile(merged);
    const plain = CharLm.fromFile(base);
    // a letter only the new text has is now likely after its context
    expect(lm.prob(lm.contextOf([...'Du']), 'f')).toBeGreaterThan(plain.prob(plain.contextOf([...'Du']), 'f') * 10);
    const uni = merged.contexts['']!;
    expect(uni[0]).toBe((base.contexts['']![0] as number) + 4 * (added.contexts['']![0] as number));
  });
});

describe.skipIf(noTorch || noData)('htr-studio train (needs Python with torch and ../shared/corpus-finetune)', () => {
  it('reads the base weights back from its ONNX exactly (torch vs onnxruntime-node)', () => {
    const dir = tmp();
    const cut = runCli(['export', TUNE[0]!, '--format', 'lines', '--cut-as', 'htr-default', '-o', dir, '-q']);
    expect(cut.code).toBe(0);
    const code = [
      'import sys, torch; torch.set_num_threads(1)',
      'from onnx_weights import load_model_dir',
      'from export_onnx import check',
      "m, cs, man = load_model_dir(sys.argv[1])",
      "sys.exit(0 if check(m, sys.argv[1] + '/' + man.get('file', 'model.onnx'), sys.argv[2], man['input']['height']) else 1)",
    ].join('\n');
    const r = spawnSync(py.python!, ['-c', code, path.join(REPO, 'native-models/htr-default'), dir], {
      cwd: path.join(REPO, 'native-models/recipes/htr'), encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/"ok":true/);
  }, 120_000);

  it('trains, stops on SIGTERM keeping the best model, resumes, installs with --name; recognize --model DIR runs it', async () => {
    const dir = tmp();
    const out = path.join(dir, 'model');
    const models = path.join(dir, 'user-models');
    const first = await train([TUNE[0]!, '--base', 'htr-default', '-o', out, '--minutes', '5'], (e) => (e.event === 'step' && (e.step as number) >= 20 ? 'stop' : undefined));
    expect(first.code, first.stderr).toBe(0);
    const done = first.events.find((e) => e.event === 'result')!;
    expect(done.cancelled).toBe(true);
    expect(done.step as number).toBeLessThan(60);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
    expect(manifest.lineage.base.id).toBe('htr-default');
    expect(manifest.lineage.pages).toBe(1);
    expect(manifest.lineage.lines).toBeGreaterThan(50);
    expect(manifest.decoder.lm).toBe('charlm.json');
    expect(fs.readFileSync(path.join(out, 'MODEL_CARD.md'), 'utf8')).toMatch(/before fine-tuning/);
    for (const f of ['model.onnx', 'charlm.json']) expect(fs.existsSync(path.join(out, f))).toBe(true);

    // --resume: no INPUT needed, goes on from the step it stopped at
    const second = await train(['-o', out, '--minutes', '0.75', '--resume', '--name', 'my-clerk'], undefined, { HTR_STUDIO_MODELS: models });
    expect(second.code, second.stderr).toBe(0);
    const start = second.events.find((e) => e.event === 'start')!;
    expect(start.resumed_at).toBe(done.step);
    expect(second.events.find((e) => e.event === 'result')!.step as number).toBeGreaterThan(done.step as number);

    const listed = JSON.parse(runCli(['models', '--json'], { env: { HTR_STUDIO_MODELS: models } }).stdout) as { models: { id: string }[] };
    expect(listed.models.map((m) => m.id)).toContain('my-clerk');
    const rec = runCli(['recognize', TEST[0]!, '-o', path.join(dir, 'rec'), '--model', out, '--json', '-q']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(JSON.parse(rec.stdout).model).toBe('my-clerk'); // --name is the id, in DIR and installed alike
  }, 300_000);

  it('a short fine-tune on two pages of one hand clearly lowers the CER on other pages of that hand', async () => {
    const dir = tmp();
    const out = path.join(dir, 'model');
    const run = await train([...TUNE.slice(0, 2), '--base', 'htr-default', '-o', out, '--minutes', '3']);
    expect(run.code, run.stderr).toBe(0);
    const test = TEST.slice(0, 2);
    const before = cer('htr-default', test, path.join(dir, 'before'));
    const after = cer(out, test, path.join(dir, 'after'));
    console.log(`fine-tune (2 pages, 3 min): greedy CER on 2 test pages ${(100 * before).toFixed(1)}% → ${(100 * after).toFixed(1)}%`);
    // relative: the shipped base model changes; the gain must stay clear
    expect(after).toBeLessThan(before * 0.85);
  }, 420_000);

  it('--task layout fine-tunes layout-default on the pages (one held back) and segment --model DIR runs the result', async () => {
    const dir = tmp();
    const out = path.join(dir, 'layout');
    const run = await train(['--task', 'layout', ...TUNE.slice(0, 2), '-o', out, '--minutes', '1']);
    expect(run.code, run.stderr).toBe(0);
    const res = run.events.find((e) => e.event === 'result')!;
    expect(res.val_pages).toBe(1);
    expect(typeof res.before_val_f1).toBe('number');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
    expect(manifest.task).toBe('layout');
    expect(manifest.lineage.base.id).toBe('layout-default');
    // The base's zoom for small writing goes with its weights (exported with a free input size).
    const base = JSON.parse(fs.readFileSync(path.join(REPO, 'native-models/layout-default/model.json'), 'utf8'));
    expect(base.layout.zoom).toBeDefined();
    expect(manifest.layout.zoom).toEqual(base.layout.zoom);
    const seg = runCli(['segment', TEST[0]!.replace(/\.xml$/, '.jpg'), '-o', path.join(dir, 'seg'), '--model', out]);
    expect(seg.code, seg.stderr).toBe(0);
    const xml = fs.readFileSync(path.join(dir, 'seg', path.basename(TEST[0]!)), 'utf8');
    expect((xml.match(/<TextLine\b/g) ?? []).length).toBeGreaterThan(20);
  }, 300_000);
});
