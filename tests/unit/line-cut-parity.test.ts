import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CORPUS, REPO, SHARED } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { readXmlFile } from '../../electron/node/io/files.js';
import { loadGrey } from '../../electron/node/images/page-image.js';
import { cutForInput } from '../../electron/node/recognition/recognize-page.js';
import { listModels, pickRecognizer } from '../../electron/node/models/registry.js';

/**
 * One line cutter: what the recogniser recipe trains on is, pixel for pixel, what
 * `recognize` feeds the model. The recipe's lines come from
 * `export --format lines --cut-as MODEL`; Python reads them back with the recipe's
 * own loader (data.py / lineimg.py), and both must equal the app's cut of the same
 * line at recognition time.
 */
const RECIPE = path.join(REPO, 'native-models/recipes/htr');
const PY = '/usr/bin/python3';
const PAGE = path.join(CORPUS, 'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml');
const IMAGE = path.join(CORPUS, 'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.jpg');
const pythonMissing = spawnSync(PY, ['-c', 'import numpy, PIL, torch']).status !== 0;

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** What recognition feeds htr-default for every line of the page: line id → [width, height, sha256 of the grey pixels]. */
async function recognitionCuts(): Promise<Map<string, [number, number, string]>> {
  const { doc } = readDocument(await readXmlFile(PAGE));
  const page = await loadGrey(IMAGE, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight });
  const input = pickRecognizer(listModels().models, 'htr-default').manifest.input!;
  const out = new Map<string, [number, number, string]>();
  for (const l of allLines(doc.page.regions)) {
    const img = await cutForInput(page, l, input);
    out.set(l.id, [img.width, img.height, sha(img.data)]);
  }
  return out;
}

describe('one line cutter for training and recognition', () => {
  it('export --cut-as writes each line exactly as recognize feeds the model, and the recipe reads those pixels unchanged', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cut-parity-'));
    const r = runCli(['export', PAGE, '--format', 'lines', '--cut-as', 'htr-default', '-o', tmp, '-q']);
    expect(r.code, r.stderr).toBe(0);
    const rows = fs.readFileSync(path.join(tmp, 'lines.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows.length).toBe(24);
    const fed = await recognitionCuts();

    // The PNGs the export wrote, decoded by Python exactly as training loads them (LineSet → load_line at the model's height).
    const script = [
      'import sys, json, hashlib, numpy as np',
      `sys.path.insert(0, ${JSON.stringify(RECIPE)})`,
      'from data import LineSet',
      's = LineSet(sys.argv[1], 48)',
      'print(json.dumps({p.rsplit("/", 1)[1][:-4]: [int(im.shape[1]), int(im.shape[0]), hashlib.sha256(np.ascontiguousarray(im, dtype=np.uint8).tobytes()).hexdigest()] for p, im in zip(s.paths, s.images)}))',
    ].join('\n');
    if (pythonMissing) {
      console.warn('line-cut parity: /usr/bin/python3 with numpy, PIL and torch missing; checking the PNGs only');
    }
    const py = pythonMissing ? undefined : spawnSync(PY, ['-c', script, tmp], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } });
    if (py && py.status !== 0) throw new Error(py.stderr);
    const trained: Record<string, [number, number, string]> | undefined = py ? JSON.parse(py.stdout) : undefined;

    const sharp = (await import('sharp')).default;
    for (const [name, , lineId] of rows) {
      const want = fed.get(lineId!);
      expect(want, lineId).toBeDefined();
      // sharp turns a grey PNG into sRGB unless told to keep it grey.
      const png = await sharp(path.join(tmp, `${name}.png`)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      expect(png.info.channels, name).toBe(1);
      expect([png.info.width, png.info.height, sha(png.data)], name).toEqual(want);
      if (trained) expect(trained[name!], name).toEqual(want);
    }
  }, 120_000);

  it('--cut-as refuses cutting options of its own and names an unknown model', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cut-as-'));
    const clash = runCli(['export', PAGE, '--format', 'lines', '--cut-as', 'htr-default', '--height', '64', '-o', tmp]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--height does not go with --cut-as/);
    const unknown = runCli(['export', PAGE, '--format', 'lines', '--cut-as', 'no-such-model', '-o', tmp]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no recognition model "no-such-model"/);
  });
});

describe.skipIf(pythonMissing || !fs.existsSync(path.join(SHARED, 'corpus-train')))('prepare_lines.py (the recipe) cuts with the app', () => {
  it('splits pages by document, leaves printed lines out, and writes the app export per dataset', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-lines-'));
    // A small source: the two lectaurep register pages (printed headers) and four wills, by absolute path.
    const src = path.join(SHARED, 'corpus-train');
    const rows = fs.readFileSync(path.join(src, 'manifest.tsv'), 'utf8').trim().split('\n');
    const header = rows[0]!.split('\t');
    const col = (r: string[], k: string): string => r[header.indexOf(k)]!;
    const pick = rows.slice(1).map((l) => l.split('\t')).filter((r) => col(r, 'dataset') === 'lectaurep-mariages-divorces' || col(r, 'dataset') === 'testaments-de-poilus').slice(0, 6);
    const mine = path.join(tmp, 'src');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'manifest.tsv'), [rows[0], ...pick.map((r) => r.map((v, i) => (header[i] === 'xml' || header[i] === 'image' ? path.join(src, v) : v)).join('\t'))].join('\n') + '\n');
    const r = spawnSync(PY, ['prepare_lines.py', '--src', mine, '--out', path.join(tmp, 'work')], { cwd: RECIPE, encoding: 'utf8', timeout: 240_000 });
    if (r.status !== 0) throw new Error(r.stderr);
    const split = JSON.parse(fs.readFileSync(path.join(tmp, 'work/split.json'), 'utf8'));
    expect(split.cut_as.input.height).toBe(48);
    const index = fs.readFileSync(path.join(tmp, 'work/lines/index.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(index.length).toBe(split.lines.train + split.lines.val);
    expect(index.some((l) => /print/i.test(l[7]!))).toBe(false); // line_type column
    for (const l of index) {
      const [name, splitName, dataset] = l;
      expect(fs.existsSync(path.join(tmp, 'work/lines', splitName!, dataset!, `${name}.png`)), name).toBe(true);
    }
    // Every document lies wholly on one side of the split.
    const sides = new Map<string, Set<string>>();
    for (const l of index) sides.set(l[3]!, (sides.get(l[3]!) ?? new Set()).add(l[1]!));
    for (const [doc, s] of sides) expect(s.size, doc).toBe(1);
  }, 300_000);
});
