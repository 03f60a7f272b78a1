/**
 * Big PAGE files read in pieces (#17 item 8): a file read and parsed 32 kB at a time gives
 * the tree, the errors, the decoded text that reading it whole gives, for every PAGE, ALTO
 * and METS file of the corpus and every fixture (the hostile and broken ones included);
 * `info` (each line kept only as its counts) and the lossless `convert` (each line written
 * to a spool as it is read) give what the whole model gives, to the byte.
 * Time and memory are measured in bench/big-page-xml.mjs.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseXml, XmlError } from '../../electron/common/xml/xml-parse.js';
import type { XmlDocument } from '../../electron/common/xml/xml-node.js';
import { readDocument, splitPages, writeDocument } from '../../electron/common/formats/document-io.js';
import { pageStats } from '../../electron/common/model/stats.js';
import { decodeXml, MAX_XML_BYTES, readXmlFile, readXmlPieces } from '../../electron/node/io/files.js';
import { cut, FIXTURES, shownName, walkXml, XML_FILES } from '../helpers/xml-files.js';
import { corpusFiles } from '../helpers/corpus.js';
import { runMain } from '../helpers/cli-in-process.js';
import { LineSpool } from '../../electron/node/io/line-spool.js';
import { readDocumentPieces } from '../../electron/node/io/read-document.js';
import { bigOutlines } from '../helpers/big-outlines.js';



/** The tree parseXml gives, or its error (class and message). */
function parsed(source: string | Iterable<string>): XmlDocument | { error: string } {
  try {
    return parseXml(source);
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}


const name = shownName;

describe('XML read and parsed in pieces', () => {
  it('finds the corpus and the fixtures, the hostile ones among them', () => {
    expect(XML_FILES.length).toBeGreaterThanOrEqual(50);
    for (const f of ['entity-bomb.xml', 'external-entity.xml', 'truncated.xml', 'binary.xml', 'alto-utf16le-bom.xml', 'page-latin1.xml']) {
      expect(XML_FILES.some((p) => p.endsWith(`${path.sep}${f}`))).toBe(true);
    }
  });

  for (const file of XML_FILES) {
    it(`${name(file)}: the same text, and the same tree or error, whole or in pieces`, () => {
      const whole = decodeXml(fs.readFileSync(file));
      const pieces = [...readXmlPieces(file)];
      // The byte-order mark aside (TextDecoder drops it, the parser skips it), the same characters.
      expect(pieces.join('').replace(/^\uFEFF/, '')).toBe(whole.replace(/^\uFEFF/, ''));
      const expected = parsed(whole);
      expect(parsed(readXmlPieces(file))).toEqual(expected);
      // Pieces of 1 and 7 characters: every boundary falls inside a name, a value, a reference, a CR LF.
      // Where saxes finds several faults at once (binary bytes), which one it names first, and on which
      // line, can depend on where a piece ends: then a refusal as not well-formed is asked for.
      const sameRefusal = (got: XmlDocument | { error: string }): void => {
        const prefix = 'XmlError: not well-formed XML: ';
        if ('error' in expected && expected.error.startsWith(prefix) && 'error' in got) expect(got.error.startsWith(prefix)).toBe(true);
        else expect(got).toEqual(expected);
      };
      sameRefusal(parsed(cut(whole, 7)));
      if (whole.length < 100_000) sameRefusal(parsed(cut(whole, 1)));
    });
  }

  it('decodes a character cut by a piece boundary, and bad bytes, as the whole file is decoded', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-pieces-'));
    try {
      const file = path.join(dir, 'cut.xml');
      const head = '<?xml version="1.0" encoding="UTF-8"?>\n<a>';
      // ſ (2 bytes), € (3), 𝔄 (4) each across the 32 kB boundary; then a lone continuation byte and a cut-off sequence.
      for (const ch of ['ſ', '€', '𝔄']) {
        const pad = 'x'.repeat((1 << 15) - Buffer.byteLength(head) - 1);
        const bytes = Buffer.concat([Buffer.from(head + pad + ch + 'y</a>\n'), Buffer.from([0x80, 0xe2, 0x82])]);
        fs.writeFileSync(file, bytes);
        expect([...readXmlPieces(file)].join('')).toBe(decodeXml(bytes));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses as readXmlFile does: a missing file, a folder, a file over the limit (with its exact size)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-pieces-'));
    try {
      const missing = path.join(dir, 'missing.xml');
      await expect(readXmlFile(missing)).rejects.toThrow(`no such file: ${missing}`);
      expect(() => readXmlPieces(missing)).toThrow(`no such file: ${missing}`);
      await expect(readXmlFile(dir)).rejects.toThrow(`not a file: ${dir}`);
      expect(() => readXmlPieces(dir)).toThrow(`not a file: ${dir}`);
      const huge = path.join(dir, 'huge.xml');
      fs.closeSync(fs.openSync(huge, 'w'));
      fs.truncateSync(huge, MAX_XML_BYTES + 9_700_000);
      expect(() => readXmlPieces(huge)).toThrow(`${huge} is 259.7 MB, above the 250 MB limit`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the character limit exactly when the text comes in pieces', () => {
    const limits = { maxChars: 5, maxDepth: 10 };
    expect(() => parseXml(['<ab', 'c/>', '  '], limits)).toThrow(new XmlError('file too large: 8 characters, above the limit of 5'));
    expect(() => parseXml(['<abc/>'], { maxChars: 6, maxDepth: 10 })).not.toThrow();
  });
});

describe('info and the lossless convert of PAGE files, each line kept as little as it can be', () => {
  const pages = [...corpusFiles('page'), ...walkXml(FIXTURES).filter((p) => /<(\w+:)?PcGts\b/.test(fs.readFileSync(p, 'latin1').slice(0, 3000)))];
  const alto = corpusFiles('alto').slice(0, 3);

  it('finds the PAGE files', () => expect(pages.length).toBeGreaterThanOrEqual(20));

  for (const file of [...pages, ...alto]) {
    it(`${name(file)}: info counts and the lossless convert writes what the whole model gives`, async () => {
      let expected: { doc: ReturnType<typeof readDocument>['doc']; warnings: string[] } | { error: string };
      try {
        expected = readDocument(decodeXml(fs.readFileSync(file)));
      } catch (e) {
        expected = { error: (e as Error).message };
      }
      const info = await runMain('info', file, '--json');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-pieces-'));
      try {
        const out = path.join(dir, 'out.xml');
        const converted = await runMain('convert', file, '-o', out);
        if ('error' in expected) {
          expect(info.code).toBe(2);
          expect(info.err.join('\n')).toContain(expected.error);
          expect(converted.code).toBe(2);
          expect(converted.err.join('\n')).toContain(expected.error);
          expect(fs.readdirSync(dir)).toEqual([]);
          return;
        }
        expect(info.code).toBe(0);
        const row = JSON.parse(info.out.join('\n'));
        const stats = splitPages(expected.doc).map((p) => pageStats(p));
        if (stats.length === 1) expect(row).toMatchObject({ ...stats[0], warnings: expected.warnings });
        expect(converted.code).toBe(0);
        const written = writeDocument(expected.doc);
        expect(converted.err).toEqual([...expected.warnings, ...written.warnings].map((w) => `warning: ${file}: ${w}`));
        const noDate = (s: string): string => s.replace(/<LastChange>[^<]*<\/LastChange>/, '').replace(/<Processing\b[^>]*>/g, '');
        expect(noDate(fs.readFileSync(out, 'utf8'))).toBe(noDate(written.xml));
        // The spool is gone.
        expect(fs.readdirSync(dir)).toEqual(['out.xml']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('big outlines in the lossless convert', () => {
  it('keeps each big outline as its text, not its points, and writes what the whole model gives, to the byte', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-outlines-'));
    try {
      const file = path.join(dir, 'big-outlines.xml');
      fs.writeFileSync(file, bigOutlines.text);
      const spool = new LineSpool(path.join(dir, 'spooled.xml'));
      const read = await readDocumentPieces(file, { keepLine: spool.keepLine, keepPoints: spool.keepPoints });
      spool.close();
      expect(spool.bigPoints.count).toBe(bigOutlines.keptLossless);
      // The model holds four points for each: the outline's box.
      expect(read.doc.page.border!.coords!.points).toHaveLength(4);
      const expected = readDocument(bigOutlines.text);
      const written = writeDocument(expected.doc);
      const out = path.join(dir, 'out.xml');
      const converted = await runMain('convert', file, '-o', out);
      expect(converted.code).toBe(0);
      expect(converted.err).toEqual([...expected.warnings, ...written.warnings].map((w) => `warning: ${file}: ${w}`));
      const noDate = (s: string): string => s.replace(/<LastChange>[^<]*<\/LastChange>/, '');
      expect(noDate(fs.readFileSync(out, 'utf8')) === noDate(written.xml), 'the same file, to the byte').toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the line spool', () => {
  const page = (lines: number, end: string): string => {
    let s = '<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">\n  <Metadata>\n    <Creator>t</Creator>\n  </Metadata>\n  <Page imageFilename="a.png" imageWidth="100" imageHeight="100">\n    <TextRegion id="r">\n';
    for (let i = 0; i < lines; i++) s += `      <TextLine id="l${i}">\n        <Coords points="1,1 9,1 9,9"/>\n        <TextEquiv>\n          <Unicode>ſ ${i}</Unicode>\n        </TextEquiv>\n      </TextLine>\n`;
    return s + end;
  };

  it('a file that breaks off after thousands of lines: the refusal, and neither output nor spool left', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-spool-'));
    try {
      const input = path.join(dir, 'in.xml');
      // Well past the first 32 kB piece and the spool's first batch.
      fs.writeFileSync(input, page(3_000, '      <TextLine id="cut"'));
      const outDir = path.join(dir, 'out');
      fs.mkdirSync(outDir);
      const r = await runMain('convert', input, '-o', path.join(outDir, 'out.xml'));
      expect(r.code).toBe(2);
      expect(r.err[0]).toMatch(/^htr-studio convert: not well-formed XML: .*\(line \d+\)$/);
      expect(fs.readdirSync(outDir)).toEqual([]);
      // The whole file, as it should be: the same text as the whole-model write, lines and all.
      fs.writeFileSync(input, page(3_000, '    </TextRegion>\n  </Page>\n</PcGts>\n'));
      expect((await runMain('convert', input, '-o', path.join(outDir, 'out.xml'))).code).toBe(0);
      const noDate = (s: string): string => s.replace(/<LastChange>[^<]*<\/LastChange>/, '');
      expect(noDate(fs.readFileSync(path.join(outDir, 'out.xml'), 'utf8'))).toBe(noDate(writeDocument(readDocument(fs.readFileSync(input, 'utf8')).doc).xml));
      expect(fs.readdirSync(outDir)).toEqual(['out.xml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to put a line back at another depth than it was written for', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-spool-'));
    const spool = new LineSpool(path.join(dir, 'out.xml'));
    try {
      const { doc } = readDocument(page(1, '    </TextRegion>\n  </Page>\n</PcGts>\n'));
      const line = doc.page.regions[0]!.lines[0]!;
      const standIn = spool.keepLine(line, { version: '2019-07-15', namespace: doc.format.namespace, depth: 3 }, []);
      expect(standIn.words).toEqual([]);
      const warnings: string[] = [];
      expect(spool.lineText(standIn, 3, { add: (m) => warnings.push(m) })).toBe(
        '      <TextLine id="l0">\n        <Coords points="1,1 9,1 9,9"/>\n        <TextEquiv>\n          <Unicode>ſ 0</Unicode>\n        </TextEquiv>\n      </TextLine>\n',
      );
      expect(() => spool.lineText(standIn, 4, { add: () => undefined })).toThrow('text line "l0" was written for depth 3, not 4');
      // Any other line is the writer's to write.
      expect(spool.lineText(line, 3, { add: () => undefined })).toBeUndefined();
    } finally {
      spool.close();
      expect(fs.readdirSync(dir)).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
