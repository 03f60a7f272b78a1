import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { canUnshareNetwork, runCli } from '../helpers/cli-process.js';

// Printed and typewritten pages with ground-truth line polygons and transcriptions.
const PAGES: [string, string][] = [
  ['prima-aletheia/aletheiaexamplepage.xml', 'tesseract-eng'],
  ['escriptorium-tapuscorpus-page/FRAN_0011_11140_L-medium.xml', 'tesseract-fra'],
  ['escriptorium-tapuscorpus-page/0_4a125_default.xml', 'tesseract-fra'],
];

describe.skipIf(!canUnshareNetwork())('tesseract.js recognises printed pages with the network cut off', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-tess-'));

  for (const [rel, model] of PAGES) {
    it(`${rel} with ${model}: CER under 10%, schema-valid PAGE 2019 with conf on every line`, async () => {
      const input = path.join(CORPUS, rel);
      // unshare -n: a new network namespace with no interface up, so any download attempt fails.
      const r = runCli(['recognize', input, '-o', out, '--model', model, '--json', '-q'], { offline: true });
      expect(r.stderr).not.toMatch(/^error/m);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      const written = result.results[0].output as string;
      const xml = fs.readFileSync(written, 'utf8');
      const doc = readDocument(xml).doc;
      expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors).toEqual([]);
      const lines = allLines(doc.page.regions);
      expect(lines.length).toBe(allLines(readDocument(fs.readFileSync(input, 'utf8')).doc.page.regions).length);
      for (const l of lines) {
        expect(l.textEquivs).toHaveLength(1);
        expect(l.textEquivs[0]!.conf).toBeGreaterThanOrEqual(0);
        expect(l.textEquivs[0]!.conf).toBeLessThanOrEqual(1);
      }
      const ev = runCli(['eval', '--gt', input, '--hyp', written, '--json']);
      const { cer } = JSON.parse(ev.stdout);
      expect(cer).toBeLessThan(0.1);
    }, 120_000);
  }
});

describe('tesseract language data beyond the npm packages', () => {
  it('finds .traineddata files in the user models folder and lists them as models', async () => {
    const zlib = await import('node:zlib');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const gz = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int/eng.traineddata.gz');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-tessdata-'));
    // Any language's data under its own code, as a user would drop in e.g. lat.traineddata.
    fs.writeFileSync(path.join(dir, 'tst.traineddata'), zlib.gunzipSync(fs.readFileSync(gz)));
    const r = runCli(['models', '--json'], { env: { HTR_STUDIO_MODELS: dir } });
    const ids = JSON.parse(r.stdout).models.map((m: { id: string }) => m.id);
    expect(ids).toContain('tesseract-tst');
    const line = path.join(CORPUS, 'htr-lines/testaments-de-poilus/TestamentsDePoilus_will_AN_0207-0_line_5.jpg');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-tst-'));
    const rec = runCli(['recognize', line, '-o', out, '--model', 'tesseract-tst', '-q'], { env: { HTR_STUDIO_MODELS: dir }, offline: canUnshareNetwork() });
    expect(rec.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'TestamentsDePoilus_will_AN_0207-0_line_5.txt'))).toBe(true);
  }, 60_000);
});
