import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { CORPUS, REPO, SCHEMAS } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';

// The whole path with HTR Studio's own CTC model: manifest, cut, normalise, infer, decode, write PAGE.
const MODEL_DIR = path.join(REPO, 'native-models/htr-default');
const PAGE = path.join(CORPUS, 'escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml');
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'htr-ctc-'));

describe('recognition with the shipped CTC model (htr-default)', () => {
  it('is installed and listed first among recognisers', () => {
    expect(fs.existsSync(path.join(MODEL_DIR, 'model.onnx'))).toBe(true);
    const r = runCli(['models', '--json']);
    const ids = JSON.parse(r.stdout).models.map((m: { id: string }) => m.id);
    expect(ids).toContain('htr-default');
    expect(ids).toContain('tesseract-eng');
  });

  it('writes schema-valid PAGE 2019 with text and conf on every line, and changes nothing else', async () => {
    const out = tmp();
    const r = runCli(['recognize', PAGE, '-o', out, '--json', '-q']);
    expect(r.code).toBe(0);
    const written = JSON.parse(r.stdout).results[0].output as string;
    const xml = fs.readFileSync(written, 'utf8');
    const doc = readDocument(xml).doc;
    expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors).toEqual([]);
    const lines = allLines(doc.page.regions);
    expect(lines.length).toBe(24);
    for (const l of lines) {
      expect(l.textEquivs).toHaveLength(1);
      expect(l.textEquivs[0]!.conf).toBeGreaterThanOrEqual(0);
      expect(l.textEquivs[0]!.conf).toBeLessThanOrEqual(1);
    }
    expect(lines.filter((l) => lineText(l).trim().length > 0).length).toBeGreaterThan(20);
    // Everything but the text equals the same page converted without recognition.
    const plain = writeDocument(readDocument(fs.readFileSync(PAGE, 'utf8')).doc, 'page-2019').xml;
    const ignore = ['LastChange', 'TextEquiv', 'Creator', 'Created'];
    expect(treeDiff(xmlTree(plain, ignore), xmlTree(xml, ignore))).toBeUndefined();
  }, 120_000);

  it('beam search of width 1 is greedy; wider beams and glyphs work', () => {
    const out1 = tmp();
    const out2 = tmp();
    const greedy = JSON.parse(runCli(['recognize', PAGE, '-o', out1, '--json', '-q']).stdout).results[0].output;
    const beam1 = JSON.parse(runCli(['recognize', PAGE, '-o', out2, '--beam', '1', '--json', '-q']).stdout).results[0].output;
    const texts = (f: string): string[] => allLines(readDocument(fs.readFileSync(f, 'utf8')).doc.page.regions).map(lineText);
    expect(texts(beam1)).toEqual(texts(greedy));
    const out3 = tmp();
    const r = runCli(['recognize', PAGE, '-o', out3, '--beam', '6', '--glyphs', '--json', '-q']);
    expect(r.code).toBe(0);
    const doc = readDocument(fs.readFileSync(JSON.parse(r.stdout).results[0].output, 'utf8')).doc;
    for (const l of allLines(doc.page.regions)) {
      const glyphs = l.words.flatMap((w) => w.glyphs).map((g) => g.textEquivs[0]!.unicode).join('');
      expect(glyphs).toBe(lineText(l).replace(/ /g, ''));
      for (const g of l.words.flatMap((w) => w.glyphs)) expect(g.coords!.points).toHaveLength(4);
    }
  }, 180_000);

  it('reads a line image into NAME.txt', () => {
    const out = tmp();
    const line = path.join(CORPUS, 'htr-lines/testaments-de-poilus/TestamentsDePoilus_will_AN_0207-0_line_5.jpg');
    const r = runCli(['recognize', line, '-o', out, '-q']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'TestamentsDePoilus_will_AN_0207-0_line_5.txt'), 'utf8').length).toBeGreaterThan(1);
  });
});

describe('bad models and inputs give clear errors, and the batch goes on', () => {
  const userModels = (): string => {
    const dir = tmp();
    const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8'));
    // Only model.onnx is copied, not the language model the shipped manifest names.
    delete manifest.decoder;
    // A manifest whose charset lost a symbol: the model's output no longer matches it.
    fs.mkdirSync(path.join(dir, 'short-charset'));
    fs.copyFileSync(path.join(MODEL_DIR, 'model.onnx'), path.join(dir, 'short-charset/model.onnx'));
    fs.writeFileSync(path.join(dir, 'short-charset/model.json'), JSON.stringify({ ...manifest, id: 'short-charset', charset: manifest.charset.slice(1) }));
    // A corrupt model file behind a valid manifest.
    fs.mkdirSync(path.join(dir, 'corrupt'));
    fs.writeFileSync(path.join(dir, 'corrupt/model.onnx'), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(dir, 'corrupt/model.json'), JSON.stringify({ ...manifest, id: 'corrupt' }));
    // A manifest with a missing field.
    fs.mkdirSync(path.join(dir, 'no-height'));
    fs.writeFileSync(path.join(dir, 'no-height/model.json'), JSON.stringify({ ...manifest, id: 'no-height', input: { ...manifest.input, height: undefined } }));
    return dir;
  };

  it('a corrupt ONNX file', () => {
    const r = runCli(['recognize', PAGE, '-o', tmp(), '--model', 'corrupt'], { env: { HTR_STUDIO_MODELS: userModels() } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/model corrupt: cannot load .*model\.onnx/);
  });

  it('a charset that disagrees with the model output, reported for each input', () => {
    const r = runCli(['recognize', PAGE, PAGE, '-o', tmp(), '--model', 'short-charset', '-q'], { env: { HTR_STUDIO_MODELS: userModels() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/charset has \d+ symbols \+ blank = \d+ classes, but the model outputs \d+/);
    expect(r.stderr).toMatch(/2 of 2 input\(s\) failed/);
  });

  it('a manifest with a missing field is listed as broken, naming the field', () => {
    const r = runCli(['models'], { env: { HTR_STUDIO_MODELS: userModels() } });
    expect(r.stderr).toMatch(/broken model in .*no-height: .*input\.height is missing/);
  });

  it('an image that is not an image among good ones', () => {
    const out = tmp();
    const bad = path.join(out, 'broken.png');
    fs.writeFileSync(bad, 'not a png');
    const good = path.join(CORPUS, 'htr-lines/testaments-de-poilus/TestamentsDePoilus_will_AN_0207-0_line_5.jpg');
    const r = runCli(['recognize', bad, good, '-o', out, '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*broken\.png: not an image/);
    expect(r.stderr).toMatch(/1 of 2 input\(s\) failed/);
    expect(fs.existsSync(path.join(out, 'TestamentsDePoilus_will_AN_0207-0_line_5.txt'))).toBe(true);
  });
});
