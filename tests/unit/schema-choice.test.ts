/**
 * validate checks a file against the schema its producer meant: an ALTO location
 * without a minor version means the newest minor of its major; a UTF-16 file is
 * decoded once, not read again as bytes by the schema step.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { altoVersionOf } from '../../electron/common/formats/alto-versions.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { checkDocument } from '../../electron/common/formats/page-checks.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { readXmlFile } from '../../electron/node/io/files.js';
import { findSchema, validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import sharp from 'sharp';
import { main } from '../../electron/cli/main.js';
import { REPO, SCHEMAS } from '../helpers/corpus.js';

const NS4 = 'http://www.loc.gov/standards/alto/ns-v4#';

describe('the ALTO version a file declares', () => {
  it('is the newest minor of its major where the location names none (Transkribus: .../v4/alto.xsd)', () => {
    expect(altoVersionOf(NS4, `${NS4} http://www.loc.gov/standards/alto/v4/alto.xsd`, undefined)).toBe('4.4');
    expect(altoVersionOf(NS4, undefined, undefined)).toBe('4.4');
    expect(altoVersionOf('http://www.loc.gov/standards/alto/ns-v2#', undefined, undefined)).toBe('2.1');
    expect(altoVersionOf('http://www.loc.gov/standards/alto/ns-v3#', 'http://www.loc.gov/standards/alto/ns-v3# http://www.loc.gov/alto/v3/alto.xsd', undefined)).toBe('3.1');
  });

  it('is the one it names where it names one', () => {
    expect(altoVersionOf(NS4, `${NS4} http://www.loc.gov/standards/alto/v4/alto-4-1.xsd`, undefined)).toBe('4.1');
    expect(altoVersionOf('http://www.loc.gov/standards/alto/ns-v2#', 'http://www.loc.gov/standards/alto/ns-v2# http://www.loc.gov/standards/alto/alto-v2.0.xsd', undefined)).toBe('2.0');
    expect(altoVersionOf(NS4, undefined, '4.2')).toBe('4.2');
  });
});

describe('a UTF-16 file', () => {
  it('passes the schema step as its UTF-8 twin does', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-16"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="100" imageHeight="100">
    <TextRegion id="r"><Coords points="0,0 99,0 99,99 0,99"/><TextLine id="l"><Coords points="0,0 90,0 90,9 0,9"/><Baseline points="0,8 90,8"/><TextEquiv><Unicode>Grüße, ꝯ ſ — ελληνικά</Unicode></TextEquiv></TextLine></TextRegion>
  </Page>
</PcGts>
`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-utf16-'));
    const file = path.join(dir, 'page.xml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    const out: string[] = [];
    const code = await main(['validate', file, '--schemas', SCHEMAS], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(out.join('\n')).not.toMatch(/INVALID/);
    expect(code).toBe(0);
  });
});

/** Fixtures of #17 item 3, written for this test (tests/fixtures/formats). */
const FIXTURE = (name: string): string => path.join(REPO, 'tests/fixtures/formats', name);

async function validate(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(['validate', ...args], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

describe('the schema a file is checked against (#17 item 3)', () => {
  it('an unversioned v4 location (Transkribus) is checked as ALTO 4.4, which accepts its BASELINE points', async () => {
    const file = FIXTURE('alto-transkribus-v4.xml');
    const { doc } = readDocument(fs.readFileSync(file, 'utf8'));
    expect(doc.format).toMatchObject({ kind: 'alto', version: '4.4' });
    expect(path.basename((await findSchema(SCHEMAS, doc.format))!)).toBe('alto-4-4.xsd');
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out.join('\n')).toMatch(/^OK\t.*alto-transkribus-v4\.xml\tALTO 4\.4$/);
    expect(r.code).toBe(0);
    // ALTO 4.0 would refuse it: the choice matters.
    const as40 = await validateAgainstXsd(fs.readFileSync(file, 'utf8'), SCHEMAS, { kind: 'alto', version: '4.0', namespace: doc.format.namespace });
    expect(as40.errors.join('\n')).toMatch(/BASELINE/);
  });

  it('ALTO 2.1 is checked as 2.1, not 2.0 (whose schema refuses its Tags)', async () => {
    const file = FIXTURE('alto-2-1.xml');
    const { doc } = readDocument(fs.readFileSync(file, 'utf8'));
    expect(doc.format).toMatchObject({ kind: 'alto', version: '2.1' });
    expect(path.basename((await findSchema(SCHEMAS, doc.format))!)).toBe('alto-2-1.xsd');
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out.join('\n')).toMatch(/^OK\t.*alto-2-1\.xml\tALTO 2\.1$/);
    const as20 = await validateAgainstXsd(fs.readFileSync(file, 'utf8'), SCHEMAS, { kind: 'alto', version: '2.0', namespace: doc.format.namespace });
    expect(as20.valid).toBe(false);
  });

  it('a UTF-16 file with a byte-order mark is decoded before the schema step, and its text read right', async () => {
    const file = FIXTURE('alto-utf16le-bom.xml');
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out.join('\n')).toMatch(/^OK\t.*alto-utf16le-bom\.xml\tALTO 4\.4$/);
    const { doc } = readDocument(await readXmlFile(file));
    expect(allLines(doc.page.regions).map(lineText)).toEqual(['Grüße ꝯ ſ — ελληνικά 𝔄']);
  });
});

describe('structural checks in the file format\'s own terms (#17 item 3)', () => {
  it('schema-valid eScriptorium ALTO (a block without a position holding loose lines) is OK, not INVALID in PAGE terms', async () => {
    const file = FIXTURE('alto-escriptorium.xml');
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out.join('\n')).toMatch(/^OK\t.*alto-escriptorium\.xml\tALTO 4\.2$/);
    expect(r.code).toBe(0);
    const { doc } = readDocument(fs.readFileSync(file, 'utf8'));
    expect(checkDocument(doc)).toEqual([]);
    // Converted to PAGE, the blocks get the box of their lines, and the result is valid.
    const { xml, warnings } = writeDocument(doc, 'page-2019');
    expect(warnings.join('\n')).toMatch(/TextRegion without Coords: given the box of its lines/);
    expect((await validateAgainstXsd(xml, SCHEMAS, readDocument(xml).doc.format)).errors).toEqual([]);
  });

  it('ALTO problems are named in ALTO terms; what only HTR Studio asks for is a warning, not INVALID', async () => {
    const src = fs.readFileSync(FIXTURE('alto-escriptorium.xml'), 'utf8');
    const bad = src.replace('ID="eSc_line_2"', 'ID="2nd"').replace(/(<TextLine ID="eSc_line_1"[^>]*?) HPOS="10" VPOS="10" WIDTH="380" HEIGHT="40">\s*<Shape>.*?<\/Shape>/s, '$1>')
      .replace('WIDTH="380" HEIGHT="40">\n            <Shape><Polygon POINTS="10 110', 'WIDTH="500" HEIGHT="40">\n            <Shape><Polygon POINTS="10 110');
    const problems = checkDocument(readDocument(bad).doc);
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'id-invalid', severity: 'invalid', message: 'TextLine ID "2nd" is not a valid xs:ID (must start with a letter or _)' }));
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'coords-missing', severity: 'warning', message: expect.stringMatching(/^TextLine eSc_line_1 in eSc_textblock_1 has no position \(HPOS\/VPOS\/WIDTH\/HEIGHT or Shape\)/) }));
    expect(problems.map((p) => p.message).join('\n')).not.toMatch(/Coords|TextRegion/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-terms-'));
    const file = path.join(dir, 'bad.xml');
    fs.writeFileSync(file, bad);
    const r = await validate(file, '--json');
    const [row] = JSON.parse(r.out.join('\n'));
    expect(row.valid).toBe(false);
    // HTR Studio's own check first; the XSD (built into the app, where it was built with them) can only agree.
    expect(row.problems[0]).toBe('TextLine ID "2nd" is not a valid xs:ID (must start with a letter or _)');
    for (const p of row.problems.slice(1)) expect(p).toMatch(/^schema: .*2nd/);
    expect(row.warnings.join('\n')).toMatch(/TextLine eSc_line_1 .*has no position/);
  });

  it('points outside the page are a warning on an OK line, not INVALID (the schema allows them)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-outside-'));
    const file = path.join(dir, 'outside.xml');
    fs.writeFileSync(file, fs.readFileSync(FIXTURE('page-2013-vocabulary.xml'), 'utf8').replace('390,10 390,100', '390,10 450,100'));
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out[0]).toMatch(/^OK\t.*\tPAGE 2013-07-15\t1 warning\(s\); first: TextRegion r1: 1 point\(s\) outside the 400×300 image/);
    expect(r.code).toBe(0);
  });

  it('an ALTO page without WIDTH/HEIGHT takes its size from the PrintSpace, with a warning, and validates', async () => {
    const file = FIXTURE('alto-no-page-size.xml');
    const { doc, warnings } = readDocument(fs.readFileSync(file, 'utf8'));
    expect([doc.page.imageWidth, doc.page.imageHeight]).toEqual([400, 300]);
    expect(warnings.join('\n')).toMatch(/without WIDTH\/HEIGHT: the image size is taken from its PrintSpace/);
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out[0]).toMatch(/^OK\t.*alto-no-page-size\.xml\tALTO 4\.4\t1 warning\(s\); first: ALTO <Page> without WIDTH\/HEIGHT/);
    const { xml } = writeDocument(doc, 'page-2019');
    expect(xml).toMatch(/<Page imageFilename="page.png" imageWidth="400" imageHeight="300"/);
    expect((await validateAgainstXsd(xml, SCHEMAS, readDocument(xml).doc.format)).errors).toEqual([]);
  });
});

describe('ALTO LANG and PAGE language names (#17 item 1)', () => {
  it('ALTO → PAGE 2013 writes LANG codes as language names; PAGE → ALTO writes names as codes', async () => {
    const { doc } = readDocument(fs.readFileSync(FIXTURE('alto-2-1.xml'), 'utf8'));
    const page = writeDocument(doc, 'page-2013');
    expect(page.warnings.join('\n')).toMatch(/primaryLanguage="fr" on <TextRegion> written as "French"/);
    expect(page.xml).toMatch(/<TextRegion id="b1"[^>]* primaryLanguage="French"/);
    expect((await validateAgainstXsd(page.xml, SCHEMAS, readDocument(page.xml).doc.format)).errors).toEqual([]);
    const alto = writeDocument(readDocument(page.xml).doc, 'alto-4');
    expect(alto.xml).toMatch(/<TextBlock ID="b1"[^>]* LANG="fr"/);
    // BASEDIRECTION (ALTO 4.3+) ↔ readingDirection, both ways; PAGE 2013 has it on regions only.
    const rtl = alto.xml.replace('<TextBlock ID="b1"', '<TextBlock ID="b1" BASEDIRECTION="rtl"').replace(/<TextLine ID="l1"/, '<TextLine ID="l1" BASEDIRECTION="rtl"');
    const p2019 = writeDocument(readDocument(rtl).doc, 'page-2019');
    expect(p2019.xml).toMatch(/<TextRegion id="b1"[^>]* readingDirection="right-to-left"/);
    expect(p2019.xml).toMatch(/<TextLine id="l1"[^>]* readingDirection="right-to-left"/);
    expect((await validateAgainstXsd(p2019.xml, SCHEMAS, readDocument(p2019.xml).doc.format)).errors).toEqual([]);
    const p2013 = writeDocument(readDocument(rtl).doc, 'page-2013');
    expect(p2013.warnings.join('\n')).toMatch(/ALTO attribute BASEDIRECTION has no PAGE equivalent/);
    expect((await validateAgainstXsd(p2013.xml, SCHEMAS, readDocument(p2013.xml).doc.format)).errors).toEqual([]);
    expect(writeDocument(readDocument(p2019.xml).doc, 'alto-4').xml).toMatch(/<TextBlock ID="b1"[^>]* BASEDIRECTION="rtl"/);
    expect((await validateAgainstXsd(alto.xml, SCHEMAS, readDocument(alto.xml).doc.format)).errors).toEqual([]);
  });
});

describe('what reading a file assumes, before any check (#17 item 3)', () => {
  it('a file declared ISO-8859-1 (no BOM) is decoded as Latin-1, valid, its text intact, written back as UTF-8', async () => {
    const file = FIXTURE('page-latin1.xml');
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out[0]).toMatch(/^OK\t.*page-latin1\.xml\tPAGE 2019-07-15$/);
    const { doc } = readDocument(await readXmlFile(file));
    expect(allLines(doc.page.regions).map(lineText)).toEqual(['Café au lait, Straße, ½ livre']);
    const { xml } = writeDocument(doc);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('Café au lait, Straße, ½ livre');
  });

  it('an ALTO page without a size or a positioned PrintSpace takes the size of the image it names; without the image it is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-size-'));
    const file = path.join(dir, 'alto.xml');
    fs.copyFileSync(FIXTURE('alto-size-from-image.xml'), file);
    const refused = await validate(file);
    expect(refused.out[0]).toMatch(/^INVALID\t.*no valid WIDTH\/HEIGHT and no PrintSpace/);
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } }).png().toFile(path.join(dir, 'page.png'));
    const r = await validate(file, '--schemas', SCHEMAS);
    expect(r.out[0]).toMatch(/^OK\t.*\tALTO 4\.4\t1 warning\(s\); first: ALTO <Page> without WIDTH\/HEIGHT or a PrintSpace: the page size is taken from its image/);
    const out = path.join(dir, 'page.xml');
    const c = await main(['convert', file, '-o', out, '--to', 'page-2019'], { out: () => {}, err: () => {} });
    expect(c).toBe(0);
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toMatch(/imageWidth="400" imageHeight="300"/);
    expect((await validateAgainstXsd(xml, SCHEMAS, readDocument(xml).doc.format)).errors).toEqual([]);
    // Every command that reads page files reads it so: eval, languages, train-lm as well as convert, validate, info, check.
    const quiet = { out: () => {}, err: () => {} };
    const texts: string[] = [];
    expect(await main(['eval', '--gt', file, '--hyp', file, '--json'], { out: (l) => texts.push(l), err: () => {} })).toBe(0);
    expect(JSON.parse(texts.join('\n'))).toMatchObject({ cer: 0 });
    expect(await main(['languages', file, '--json'], quiet)).toBe(0);
    expect(await main(['train-lm', file, '-o', path.join(dir, 'lm.json'), '--order', '3'], quiet)).toBe(0);
    expect(await main(['export', file, '--format', 'lines', '-o', path.join(dir, 'lines')], quiet)).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'lines')).filter((f) => f.endsWith('.gt.txt'))).toHaveLength(1);
    expect(await main(['export', file, '--format', 'page', '-o', path.join(dir, 'as-page'), '-q'], quiet)).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'as-page', 'alto.xml'), 'utf8')).toMatch(/imageWidth="400" imageHeight="300"/);
  });
});
