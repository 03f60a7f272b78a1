import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusFiles, CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';
import { runMain } from '../helpers/cli-in-process.js';

const run = runMain;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-cli-'));
const all = [...corpusFiles('page'), ...corpusFiles('alto')];
const slug = (f: string): string => path.relative(CORPUS, f).replace(/[^\w.-]+/g, '_');

describe('htr-studio convert', () => {
  it('covers the 16 PAGE and 12 ALTO files of the corpus', () => {
    expect(corpusFiles('page')).toHaveLength(16);
    expect(corpusFiles('alto')).toHaveLength(12);
  });

  for (const file of all) {
    it(`round-trips ${path.relative(CORPUS, file)} losslessly, and converts it to valid PAGE 2019 and ALTO 4`, async () => {
      const same = path.join(tmp, `${slug(file)}.same.xml`);
      const r = await run('convert', file, '-o', same);
      expect(r.code).toBe(0);
      const ignore = ['LastChange', 'processingDateTime'];
      expect(treeDiff(xmlTree(fs.readFileSync(file, 'utf8'), ignore), xmlTree(fs.readFileSync(same, 'utf8'), ignore))).toBeUndefined();

      for (const to of ['page-2019', 'alto-4']) {
        const target = path.join(tmp, `${slug(file)}.${to}.xml`);
        const c = await run('convert', file, '-o', target, '--to', to);
        expect(c.code).toBe(0);
        for (const line of c.err) expect(line).toMatch(/^warning: /);
        const v = await run('validate', target, '--schemas', SCHEMAS);
        expect(v.out.join('\n')).toMatch(/^OK\t/);
        expect(v.code).toBe(0);
      }
    });
  }
});

describe('htr-studio validate', () => {
  it('reports the known problems of real exports, one line per file, exit 1', async () => {
    const escriptorium = path.join(CORPUS, 'escriptorium-tapuscorpus-page/0_4a125_default.xml');
    const aletheia = path.join(CORPUS, 'prima-aletheia/SimplePage.xml');
    const r = await run('validate', escriptorium, aletheia);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(/^INVALID\t.*0_4a125_default\.xml\tPAGE 2019-07-15\t.*TextRegion .* has no Coords/);
    expect(r.out[1]).toMatch(/^OK\t.*SimplePage\.xml\tPAGE 2017-07-15$/);
    expect(r.code).toBe(1);
  });

  it('checks the XSD of the declared version with --schemas', async () => {
    // Valid by HTR Studio's rules but wrong for its schema: the https namespace.
    const cpas = path.join(CORPUS, 'transkribus-kraken-tests/cPAS-2000.xml');
    const r = await run('validate', cpas, '--schemas', SCHEMAS);
    expect(r.out[0]).toMatch(/^INVALID\t/);
    expect(r.out[0]).toMatch(/no XSD .* declares the namespace https:/);
    const ok = await run('validate', path.join(CORPUS, 'prima-aletheia/aletheiaexamplepage.xml'), '--schemas', SCHEMAS);
    expect(ok.out[0]).toMatch(/^OK\t/);
    expect(ok.code).toBe(0);
  });

  it('reports the Transkribus table export as schema-invalid (TableCell is not PAGE 2013)', async () => {
    const r = await run('validate', path.join(CORPUS, 'transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.pxml'), '--schemas', SCHEMAS, '--json');
    const [row] = JSON.parse(r.out.join('\n'));
    expect(row.valid).toBe(false);
    expect(row.problems.join('\n')).toMatch(/TableCell/);
  });
});

describe('htr-studio info', () => {
  it('counts regions, lines, words and text coverage of the Aletheia example', async () => {
    const r = await run('info', path.join(CORPUS, 'prima-aletheia/aletheiaexamplepage.xml'), '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out.join('\n'));
    expect(s.lines).toBe(106);
    expect(s.words).toBe(537);
    expect(s.glyphs).toBe(94);
    expect(s.regionKinds.TextRegion).toBe(30);
    expect(s.regionKinds.ImageRegion).toBe(23);
    expect(s.textCoverage).toBeGreaterThan(0.9);
  });
});

describe('errors are one clear line with a non-zero exit', () => {
  it('missing input', async () => {
    const r = await run('convert', path.join(tmp, 'nope.xml'), '-o', path.join(tmp, 'x.xml'));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/no such file: .*nope\.xml/)]);
  });

  it('unknown target and unknown command', async () => {
    const a = await run('convert', all[0]!, '-o', path.join(tmp, 'x.xml'), '--to', 'tei');
    expect(a.code).toBe(2);
    expect(a.err[0]).toMatch(/unknown --to "tei"/);
    const b = await run('frobnicate');
    expect(b.code).toBe(2);
    expect(b.err[0]).toMatch(/unknown command "frobnicate"/);
  });

  it('a failed conversion leaves an existing output untouched', async () => {
    const target = path.join(tmp, 'keep.xml');
    fs.writeFileSync(target, 'previous content');
    const r = await run('convert', path.join(path.dirname(SCHEMAS), '..', 'corpus', 'SOURCES.md'), '-o', target);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(target, 'utf8')).toBe('previous content');
  });

  it('--help lists the commands', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/convert[\s\S]*validate[\s\S]*info/);
  });
});
