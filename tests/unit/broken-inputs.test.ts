import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { parseXml } from '../../electron/common/xml/xml-parse.js';
import { main } from '../../electron/cli/main.js';
import { REPO } from '../helpers/corpus.js';

const DIR = path.join(REPO, 'tests/fixtures/broken');

/** Each hostile or broken file and the error it must give. */
const EXPECTED: Record<string, RegExp> = {
  'malformed.xml': /not well-formed XML: unexpected close tag.*line 7/,
  'truncated.xml': /not well-formed XML: unclosed tag/,
  'wrong-namespace.xml': /not a PAGE-XML file.*http:\/\/example\.org\/not-page/,
  'unknown-root.xml': /neither PAGE-XML nor ALTO.*<html>/,
  'no-image-size.xml': /no valid imageWidth\/imageHeight/,
  'entity-bomb.xml': /DOCTYPE with entity declarations refused/,
  'external-entity.xml': /DOCTYPE with entity declarations refused/,
  'parameter-entity.xml': /DOCTYPE with entity declarations refused/,
  'undefined-entity.xml': /undefined entity/,
  'binary.xml': /not well-formed XML/,
  'empty.xml': /document must contain a root element/,
};

describe('broken and hostile inputs', () => {
  it('covers every fixture in the folder', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.xml')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, message] of Object.entries(EXPECTED)) {
    it(`${file} gives a clear error, fast`, () => {
      const text = fs.readFileSync(path.join(DIR, file), 'utf8');
      const t0 = performance.now();
      expect(() => readDocument(text)).toThrow(message);
      expect(performance.now() - t0).toBeLessThan(2000);
    });
  }

  it('never reads a local file through an entity', async () => {
    // A file only an entity could bring in: its content must not appear anywhere.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-xxe-'));
    const secret = path.join(tmp, 'secret.txt');
    fs.writeFileSync(secret, 'TOP-SECRET-CONTENT');
    const xml = fs.readFileSync(path.join(DIR, 'external-entity.xml'), 'utf8').replace('file:///etc/passwd', `file://${secret}`);
    const input = path.join(tmp, 'in.xml');
    fs.writeFileSync(input, xml);
    const lines: string[] = [];
    const code = await main(['convert', input, '-o', path.join(tmp, 'out.xml')], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(2);
    expect(lines.join('\n')).not.toContain('TOP-SECRET');
    expect(fs.existsSync(path.join(tmp, 'out.xml'))).toBe(false);
    expect(lines).toHaveLength(1);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const deep = '<a>'.repeat(5000) + '</a>'.repeat(5000);
    expect(() => parseXml(deep)).toThrow(/nested deeper than 200/);
  });

  it('refuses inputs over the size limit before parsing', () => {
    expect(() => parseXml('<a/>', { maxChars: 3, maxDepth: 10 })).toThrow(/file too large/);
  });
});
