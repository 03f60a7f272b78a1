// The character language model and its use in CTC beam search.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharLm, LM_FORMAT } from '../../electron/common/recognition/char-lm.js';
import { beamDecode, greedyDecode, type Frames } from '../../electron/common/recognition/ctc.js';
import { validateManifest } from '../../electron/common/model-manifest/manifest.js';
import { loadRecognizer } from '../../electron/node/recognition/load.js';
import { listModels } from '../../electron/node/models/registry.js';
import { loadGrey } from '../../electron/node/images/page-image.js';
import { cutWholeLine } from '../../electron/node/recognition/recognize-page.js';
import { CORPUS } from '../helpers/corpus.js';

const WILLS = ['je lègue à ma femme', 'je donne et lègue', 'à ma fille Marie', 'fait à Paris le', 'je soussigné déclare', 'ma femme et ma fille'];

describe('character language model', () => {
  const lm = CharLm.train(WILLS, 4, 1);

  it('is a probability distribution over what it has seen (plus room for the unseen)', () => {
    const symbols = [...new Set(WILLS.join(''))];
    for (const ctx of [lm.contextOf([]), lm.contextOf([...'je l']), lm.contextOf([...'xyz'])]) {
      const sum = symbols.reduce((s, c) => s + lm.prob(ctx, c), 0) + lm.probEnd(ctx);
      expect(sum).toBeGreaterThan(0.9);
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
      // Never zero, even for a symbol it has never seen.
      expect(lm.prob(ctx, 'Ж')).toBeGreaterThan(0);
    }
  });

  it('prefers the sequences the collection writes', () => {
    const ctx = lm.contextOf([...'je lè']);
    expect(lm.prob(ctx, 'g')).toBeGreaterThan(10 * lm.prob(ctx, 'q'));
    expect(lm.prob(lm.contextOf([...'ma fem']), 'm')).toBeGreaterThan(0.5);
    // Lines start as they started in training.
    expect(lm.prob(lm.contextOf([]), 'j')).toBeGreaterThan(lm.prob(lm.contextOf([]), 'z'));
    expect(lm.crossEntropy(['je lègue à ma fille'])).toBeLessThan(lm.crossEntropy(['xq zvw kkp']));
  });

  it('survives its file form, and refuses a file that is not one', () => {
    const back = CharLm.fromFile(JSON.parse(JSON.stringify(lm.toFile())));
    for (const [ctx, c] of [['je l', 'è'], ['', 'a'], ['zzz', 'e']] as const) expect(back.prob(lm.contextOf([...ctx]), c)).toBeCloseTo(lm.prob(lm.contextOf([...ctx]), c), 12);
    expect(() => CharLm.fromFile({ format: 'something-else' })).toThrow(/not an HTR Studio character language model/);
    expect(() => CharLm.fromFile({ ...lm.toFile(), version: 2 })).toThrow(/version 2/);
    expect(() => CharLm.fromFile({ ...lm.toFile(), contexts: { '': [3, 1, 'a'] } })).toThrow(/malformed/);
    expect(() => CharLm.fromFile({ format: LM_FORMAT, version: 1, order: 3, vocabulary: 5, contexts: {} })).toThrow(/unigram/);
  });

  it('leaves rare long contexts out, so the file stays small', () => {
    const text = Array.from({ length: 200 }, (_, i) => `ligne ${i} du registre ${(i * 7919) % 1000}`);
    const all = CharLm.train(text, 6, 1).toFile();
    const pruned = CharLm.train(text, 6, 2).toFile();
    expect(Object.keys(pruned.contexts).length).toBeLessThan(Object.keys(all.contexts).length * 0.8);
  });
});

describe('beam search with the language model', () => {
  // Charset: blank (class 0), then t h e c.
  const charset = ['t', 'h', 'e', 'c'];
  /** Frames: "t", blank, "h", blank, then an "e"/"c" near-tie that the network leans the wrong way on. */
  function frames(): Frames {
    const rows = [
      [0.05, 0.9, 0.02, 0.02, 0.01],
      [0.9, 0.04, 0.03, 0.02, 0.01],
      [0.05, 0.02, 0.9, 0.02, 0.01],
      [0.9, 0.03, 0.04, 0.02, 0.01],
      [0.04, 0.01, 0.01, 0.42, 0.52],
      [0.95, 0.01, 0.01, 0.02, 0.01],
    ];
    return { data: Float32Array.from(rows.flat()), frames: rows.length, classes: 5 };
  }

  it('settles a near-tie toward what the collection writes; without it, the network\'s guess stands', () => {
    const lm = CharLm.train(['the', 'the', 'then', 'other', 'the'], 3, 1);
    expect(greedyDecode(frames(), charset, 0).text).toBe('thc');
    expect(beamDecode(frames(), charset, 0, 8).text).toBe('thc');
    expect(beamDecode(frames(), charset, 0, 8, 1e-3, { lm, weight: 1, bonus: 0 }).text).toBe('the');
    // Weight 0 is no language model at all.
    expect(beamDecode(frames(), charset, 0, 8, 1e-3, { lm, weight: 0, bonus: 0 }).text).toBe('thc');
  });

  it('does not underflow on long lines', () => {
    // 300 unsure "the"s: the best path's probability is ≈ 0.064^300 ≈ 1e-358, zero in doubles.
    const block = [
      [0.3, 0.6, 0.04, 0.03, 0.03],
      [0.6, 0.1, 0.1, 0.1, 0.1],
      [0.3, 0.04, 0.6, 0.03, 0.03],
      [0.6, 0.1, 0.1, 0.1, 0.1],
      [0.04, 0.01, 0.01, 0.42, 0.52],
      [0.95, 0.01, 0.01, 0.02, 0.01],
    ];
    const rows = Array.from({ length: 300 }, () => block).flat();
    const f = { data: Float32Array.from(rows.flat()), frames: rows.length, classes: 5 };
    const lm = CharLm.train(['thethethethe', 'thethe'], 4, 1);
    const out = beamDecode(f, charset, 0, 4, 1e-3, { lm, weight: 1, bonus: 0 });
    expect(out.text).toBe('the'.repeat(300));
  });
});

describe('a model that names a language model in its manifest', () => {
  const base = JSON.parse(fs.readFileSync(path.resolve('native-models/htr-default/model.json'), 'utf8')) as Record<string, unknown>;

  it('checks the decoder block', () => {
    expect(validateManifest({ ...base, decoder: { lm: 'charlm.json', weight: 0.5, bonus: 1, beam: 8 } }).decoder).toEqual({ lm: 'charlm.json', weight: 0.5, bonus: 1, beam: 8 });
    expect(() => validateManifest({ ...base, decoder: { lm: '../../etc/passwd', weight: 0.5, bonus: 1 } })).toThrow(/decoder.lm must be a file name/);
    expect(() => validateManifest({ ...base, decoder: { lm: 'lm.json', weight: 9, bonus: 1 } })).toThrow(/decoder.weight/);
    expect(() => validateManifest({ ...base, decoder: { lm: 'lm.json', weight: 0.5, bonus: 1, beam: 2.5 } })).toThrow(/decoder.beam/);
  });

  it('loads it beside the model and decodes with it by default; a missing file is a clear error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-lm-model-'));
    const src = path.resolve('native-models/htr-default');
    fs.copyFileSync(path.join(src, String(base.file ?? 'model.onnx')), path.join(dir, String(base.file ?? 'model.onnx')));
    const lines = fs.readFileSync(path.join(CORPUS, 'htr-lines', 'lines.tsv'), 'utf8').trim().split('\n').slice(1, 4).map((l) => l.split('\t'));
    const texts = lines.map((r) => fs.readFileSync(path.join(CORPUS, r[1]!), 'utf8').trim());
    // A language model that knows exactly these lines pulls the output toward them.
    fs.writeFileSync(path.join(dir, 'charlm.json'), JSON.stringify(CharLm.train(Array(20).fill(texts).flat(), 6, 1).toFile()));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...base, id: 'htr-lm-test', decoder: { lm: 'charlm.json', weight: 1, bonus: 1, beam: 8 } }));
    const installed = { manifest: validateManifest(JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'))), dir, origin: 'user' as const };
    const rec = await loadRecognizer(installed);
    const cut = await Promise.all(lines.map(async (r) => cutWholeLine(await loadGrey(path.join(CORPUS, r[0]!)), rec.input)));
    const withLm = await rec.recognize(cut);
    const greedy = await rec.recognize(cut, { beam: 0 });
    const dist = (a: string, b: string): number => {
      const d = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        let prev = d[0]!;
        d[0] = i;
        for (let j = 1; j <= b.length; j++) {
          const cur = d[j]!;
          d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
          prev = cur;
        }
      }
      return d[b.length]!;
    };
    const errs = (out: { text: string }[]) => out.reduce((s, o, i) => s + dist(o.text, texts[i]!), 0);
    expect(errs(withLm)).toBeLessThan(errs(greedy));
    await rec.dispose();
    fs.rmSync(path.join(dir, 'charlm.json'));
    await expect(loadRecognizer(installed)).rejects.toThrow(/decoder.lm charlm.json not found/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is not listed as broken by the registry', () => {
    expect(listModels().broken).toEqual([]);
  });
});

describe('htr-studio train-lm', () => {
  it('learns from exported .gt.txt lines and PAGE/ALTO files alike, and refuses bad input', async () => {
    const { main } = await import('../../electron/cli/main.js');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-train-lm-'));
    fs.mkdirSync(path.join(dir, 'gt'));
    WILLS.forEach((t, i) => fs.writeFileSync(path.join(dir, 'gt', `page_l${i}.gt.txt`), `${t}\n`));
    const page = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858', 'page', 'PH 1858-535.xml');
    const file = path.join(dir, 'lm', 'wills.json');
    expect(await main(['train-lm', path.join(dir, 'gt'), page, '-o', file, '--order', '5', '--json'], io)).toBe(0);
    const summary = JSON.parse(out.at(-1)!);
    expect(summary).toMatchObject({ lines: WILLS.length + 48, order: 5 });
    const lm = CharLm.fromFile(JSON.parse(fs.readFileSync(file, 'utf8')));
    expect(lm.order).toBe(5);
    // It has read the register page too: its words are likely.
    expect(lm.crossEntropy(['sur laquelle somme il lui'])).toBeLessThan(lm.crossEntropy(['xkq wzv pjj']));
    expect(await main(['train-lm', path.join(dir, 'gt'), '-o', file, '--order', '0'], io)).toBe(2);
    expect(await main(['train-lm', '-o', file], io)).toBe(2);
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(await main(['train-lm', path.join(dir, 'empty'), '-o', file], io)).not.toBe(0);
    expect(err.join('\n')).toMatch(/no transcribed lines/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
