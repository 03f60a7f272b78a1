/**
 * `convert --to page-2013|page-2019|alto-4` of a big PAGE file without its lines in memory
 * (#17 item 8): each line repaired on its own and written for the target as it is read (the
 * line spool), the document repaired and written around the lines' stand-ins. For every PAGE file of
 * the corpus and every fixture the spooled conversion gives the same exit, the same
 * warnings and the same file, to the byte, as the conversion of the whole model; a line
 * whose ids the whole repair may change sends the file down the whole-model way.
 * Time and memory are measured in bench/big-page-xml.mjs.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convertTo } from '../../electron/cli/commands/convert.js';
import { shownName, XML_FILES } from '../helpers/xml-files.js';
import { SCHEMAS } from '../helpers/corpus.js';
import { runMain } from '../helpers/cli-in-process.js';
import { bigOutlines, outline } from '../helpers/big-outlines.js';

const PAGES = XML_FILES.filter((p) => /<(\w+:)?PcGts\b/.test(fs.readFileSync(p, 'latin1').slice(0, 3000)));
const TARGETS = ['page-2013', 'page-2019', 'alto-4'] as const;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-big-convert-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Created / LastChange are "now" where the source has none: one fixed time for both ways.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-05T08:00:00Z'));
});
afterEach(() => vi.useRealTimers());

interface Outcome {
  readonly code: number | string;
  readonly err: string[];
  readonly file: string | undefined;
  readonly left: string[];
  readonly spooled: boolean;
  readonly outlinesKept: number;
}

/** One conversion into a fresh folder: exit (or the error thrown), stderr, the file written, what else is left there. */
async function convert(input: string, to: (typeof TARGETS)[number], how: 'auto' | 'whole', schemas = SCHEMAS): Promise<Outcome> {
  const dir = fs.mkdtempSync(path.join(tmp, 'out-'));
  const out = path.join(dir, 'out.xml');
  const err: string[] = [];
  const io = { out: () => undefined, err: (l: string) => void err.push(l) };
  let code: number | string;
  let spooled = false;
  let outlinesKept = 0;
  try {
    const r = await convertTo(input, out, to, schemas, io, how);
    code = r.code;
    spooled = r.spooled;
    outlinesKept = r.outlinesKept;
  } catch (e) {
    code = `${(e as Error).name}: ${(e as Error).message}`;
  }
  const file = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  const left = fs.readdirSync(dir).filter((f) => f !== 'out.xml');
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, err, file, left, spooled, outlinesKept };
}

async function same(input: string, to: (typeof TARGETS)[number], schemas?: string): Promise<Outcome> {
  const whole = await convert(input, to, 'whole', schemas);
  const spooled = await convert(input, to, 'auto', schemas);
  expect(spooled.code).toEqual(whole.code);
  expect(spooled.err).toEqual(whole.err);
  expect(spooled.file === whole.file, 'the same file, to the byte').toBe(true);
  expect(spooled.left).toEqual([]);
  expect(whole.left).toEqual([]);
  return spooled;
}

describe('convert --to page-2013 / page-2019 / alto-4: the spooled conversion writes what the whole model gives', () => {
  /** Which way each conversion that wrote its file went. */
  const taken = new Map<string, boolean>();

  it('finds the PAGE files, the hostile ones among them', () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(25);
  });

  for (const file of PAGES) {
    for (const to of TARGETS) {
      it(`${shownName(file)} --to ${to}`, async () => {
        const r = await same(file, to);
        if (r.code === 0) taken.set(`${file} ${to}`, r.spooled);
      });
    }
  }

  it('took the spooled way for (nearly) every file it wrote', () => {
    expect(taken.size).toBeGreaterThanOrEqual(40);
    expect([...taken.values()].filter(Boolean).length).toBeGreaterThanOrEqual(taken.size * 0.9);
  });
});

describe('the repair of lines on their own', () => {
  const NS = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
  const page = (body: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="${NS}">\n  <Metadata>\n    <Creator>t</Creator>\n    <Created>2020-01-01T00:00:00</Created>\n    <LastChange>2020-01-01T00:00:00</LastChange>\n  </Metadata>\n  <Page imageFilename="a.png" imageWidth="100" imageHeight="100">\n${body}  </Page>\n</PcGts>\n`;
  const line = (id: string, coords = '1,1 9,1 9,9', more = ''): string =>
    `      <TextLine id="${id}">\n        <Coords points="${coords}"/>\n${more}        <TextEquiv>\n          <Unicode>ſ ${id}</Unicode>\n        </TextEquiv>\n      </TextLine>\n`;
  const write = (name: string, text: string): string => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('repairs each line and replays its warnings in their place: points outside the page, fractions, a region without Coords given its lines\' box, a dropped line', async () => {
    const words = '        <Word id="w1">\n          <Coords points="2.5,2 8,2 8,8.5 120,8"/>\n          <Glyph id="g1"><Coords points="2,2 3,2"/></Glyph>\n        </Word>\n';
    const f = write('repairs.xml', page(
      `    <TextRegion id="r1">\n${line('l1', '1,1 190,1 190,9 1,9', words)}${line('l2', '-4,3 9,3 9,9')}      <TextLine id="l3"/>\n    </TextRegion>\n` +
      `    <TextRegion id="r2">\n      <Coords points="0,0 5,0 5,5"/>\n${line('l4', '1.5,1 9,1 9,9')}    </TextRegion>\n` +
      `    <ReadingOrder/>\n`,
    ));
    for (const to of TARGETS) {
      const r = await same(f, to);
      expect(r.spooled).toBe(true);
      expect(r.code).toBe(0);
      expect(r.err.join('\n')).toMatch(/outside the 100×100 image/);
      expect(r.err.join('\n')).toMatch(/TextRegion without Coords: given the box of its lines/);
      expect(r.err.join('\n')).toMatch(/TextLine without Coords, words or baseline: dropped/);
    }
  });

  it('renames ids as the whole repair does: a later region that takes a line\'s id, ids that are not xs:IDs, an id repeated within a line, the reading order following', async () => {
    const region = (id: string, lines: string): string => `    <TextRegion id="${id}">\n      <Coords points="0,0 50,0 50,50"/>\n${lines}    </TextRegion>\n`;
    const order = (...refs: string[]): string => `    <ReadingOrder>\n      <OrderedGroup id="ro">\n${refs.map((r, i) => `        <RegionRefIndexed index="${i}" regionRef="${r}"/>\n`).join('')}      </OrderedGroup>\n    </ReadingOrder>\n`;
    const cases = {
      'later-dup.xml': [page(region('r1', line('x')) + region('x', line('l2'))), /duplicate id "x": renamed to "x_2"/],
      'invalid-ids.xml': [page(order('2r', '1a') + region('2r', line('2r') + line('1a')) + region('r3', line('ok'))), /TextLine id "2r" is not a valid xs:ID: renamed to "l2r"/],
      'invalid-line-first.xml': [page(order('2r') + region('r1', line('2r')) + region('2r', line('l9'))), /TextLine id "2r" is not a valid xs:ID/],
      'word-dup.xml': [page(region('r', line('l1', undefined, '        <Word id="l1"><Coords points="1,1 2,1 2,2"/></Word>\n'))), /duplicate id "l1": renamed to "l1_2"/],
    } as const;
    for (const [name, [text, warning]] of Object.entries(cases)) {
      const f = write(name, text);
      for (const to of TARGETS) {
        const r = await same(f, to);
        expect(r.code, name).toBe(0);
        expect(r.spooled, name).toBe(true);
        expect(r.err.join('\n'), name).toMatch(warning);
      }
    }
  });

  it('goes the whole-model way where a line\'s id is taken before it, or an element of it has none', async () => {
    const cases = {
      'earlier-dup.xml': page(`    <TextRegion id="x">\n      <Coords points="0,0 50,0 50,50"/>\n${line('l1')}${line('x')}    </TextRegion>\n`),
      'line-dup.xml': page(`    <TextRegion id="r">\n      <Coords points="0,0 50,0 50,50"/>\n${line('l1')}${line('l1')}    </TextRegion>\n`),
      'word-without-id.xml': page(`    <TextRegion id="r">\n      <Coords points="0,0 50,0 50,50"/>\n${line('l1', undefined, '        <Word><Coords points="1,1 2,1 2,2"/></Word>\n')}    </TextRegion>\n`),
    };
    for (const [name, text] of Object.entries(cases)) {
      const f = write(name, text);
      for (const to of TARGETS) {
        const r = await same(f, to);
        expect(r.code, name).toBe(0);
        // ALTO's ids are optional: a word without one is written without one.
        expect(r.spooled, `${name} --to ${to}`).toBe(to === 'alto-4' && name === 'word-without-id.xml');
      }
    }
  });

  it('ALTO: a line\'s structure tag numbered by the whole write, a line in a region with regions in it, an id the write gives a page', async () => {
    const region = (id: string, inner: string): string => `    <TextRegion id="${id}">\n      <Coords points="0,0 50,0 50,50"/>\n${inner}    </TextRegion>\n`;
    const typed = (id: string, type: string): string => line(id).replace(`<TextLine id="${id}">`, `<TextLine id="${id}" custom="structure {type:${type};} readingOrder {index:0;}">`);
    const cases = {
      // Tags get their IDs after every block and line: the text of a line holds a mark until it is put back.
      'line-tags.xml': [page(region('r1', typed('l1', 'heading') + line('l2') + typed('l3', 'default')) + region('r2', typed('l4', 'heading'))), true],
      // Lines of a region that holds regions go into a TextBlock of their own inside a ComposedBlock: one level deeper.
      'nested.xml': [page(region('r1', region('r1a', line('l1')) + line('l2'))), false],
      'page-id.xml': [page(region('r1', line('page_1'))), false],
    } as const;
    for (const [name, [text, spooled]] of Object.entries(cases)) {
      const f = write(name, text);
      const r = await same(f, 'alto-4');
      expect(r.code, name).toBe(0);
      expect(r.spooled, name).toBe(spooled);
    }
    const tagged = await convert(path.join(tmp, 'line-tags.xml'), 'alto-4', 'auto');
    expect(tagged.file).toMatch(/<TextLine ID="l1" [^>]*TAGREFS="[^"]+"/);
    expect(tagged.file).not.toMatch(/tagrefs_/);
  });

  it('keeps big outlines as text, not points, where nothing would change them: the same file as from the points', async () => {
    const f = write('big-outlines.xml', bigOutlines.text);
    for (const to of TARGETS) {
      const r = await same(f, to);
      expect(r.code, to).toBe(0);
      expect(r.spooled, to).toBe(true);
      expect(r.outlinesKept, to).toBe(bigOutlines.keptByConversion);
      // The outlines that needed a repair were repaired from their points, with the warnings.
      expect(r.err.join('\n'), to).toMatch(/GraphicRegion points with fractions rounded/);
      expect(r.err.join('\n'), to).toMatch(/SeparatorRegion points outside the 6000×6000 image moved onto its edge/);
      // ALTO's "x y" spelling and the kept outlines written in full, never as their box.
      expect(r.file!.length, to).toBeGreaterThan(8 * 65536);
    }
    const alto = (await convert(f, 'alto-4', 'auto')).file!;
    expect(alto).toContain(`<Polygon POINTS="${outline(2100, 150, 4000, 1000)}"/>`);
    const page = (await convert(f, 'page-2013', 'auto')).file!;
    expect(page).toContain(`<Coords points="${outline(2100, 150, 4000, 1000)}"/>`);
    expect(page).toContain(`<Coords points="${outline(100, 100, 5900, 5900)}"/>`);
  });

  it('checks the output against the target XSD before it takes its name: one the XSD rejects is not written, nor is the spool left', async () => {
    const folder = path.join(tmp, 'rejecting', 'page', '2019-07-15');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(folder + '/pagecontent.xsd', `<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${NS}" elementFormDefault="qualified">\n  <xs:element name="Nothing" type="xs:string"/>\n</xs:schema>\n`);
    const f = write('rejected.xml', page(`    <TextRegion id="r">\n      <Coords points="0,0 50,0 50,50"/>\n${line('l1')}    </TextRegion>\n`));
    const r = await same(f, 'page-2019', path.join(tmp, 'rejecting'));
    expect(r.code).toMatch(/^SchemaInvalidError: .*rejected\.xml as page-2019 would not be valid against pagecontent\.xsd/);
    expect(r.file).toBeUndefined();
    // Through the command line: exit 2, and the folder holds nothing.
    const outDir = fs.mkdtempSync(path.join(tmp, 'cli-'));
    const cli = await runMain('convert', f, '-o', path.join(outDir, 'out.xml'), '--to', 'page-2019', '--schemas', path.join(tmp, 'rejecting'));
    expect(cli.code).toBe(2);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });
});
