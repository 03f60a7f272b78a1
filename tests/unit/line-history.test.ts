/**
 * Per-line history and status (electron/common/model/provenance.ts): who or what
 * made each text of a line, kept in the PAGE file's UserDefined so the page stays
 * schema-valid and other tools still read the current text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine, setLineText } from '../../electron/common/model/ops.js';
import { allLines, lineConf, lineText } from '../../electron/common/model/stats.js';
import type { PageDocument, TextLine } from '../../electron/common/model/types.js';
import { isPersonText, mergeLineTexts } from '../../electron/common/model/merge.js';
import {
  charConfidences, lineStatus, lineVersions, MAX_VERSIONS, recordChange, recordTextChanges, takeReading, verifyLines, type LineAuthor,
} from '../../electron/common/model/provenance.js';
import { charDiff } from '../../electron/common/transcription/char-diff.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';

const PAGE_2019 = path.join(CORPUS, 'escriptorium-timeuscorpus/cph_paris_tissage_1858/page/PH 1858-535.xml');
const model: LineAuthor = { kind: 'model', model: 'htr-default', version: 'step-24054' };
const marie: LineAuthor = { kind: 'person', name: 'Marie' };
const T0 = '2026-12-03T10:00:00.000Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function load(file = PAGE_2019): PageDocument {
  return readDocument(fs.readFileSync(file, 'utf8')).doc;
}

/** The page as a model would leave it: every line read (text + conf), recorded as the model's. */
function machineRead(doc: PageDocument): PageDocument {
  const lines = allLines(doc.page.regions);
  let out = doc;
  for (const [i, l] of lines.entries()) {
    const read: TextLine = { ...l, textEquivs: [{ unicode: `machine ${i} ${lineText(l).slice(0, 12)}`, conf: 0.5 + (i % 5) / 10 }] };
    out = { ...out, page: { ...out.page, regions: replaceLine(out, read) } };
  }
  return recordTextChanges(doc, out, model, T0);
}

function replaceLine(doc: PageDocument, line: TextLine): PageDocument['page']['regions'] {
  const swap = (rs: PageDocument['page']['regions']): PageDocument['page']['regions'] =>
    rs.map((r) => ({ ...r, lines: r.lines.map((l) => (l.id === line.id ? line : l)), regions: swap(r.regions) }));
  return swap(doc.page.regions);
}

describe('line history in a PAGE 2019 page (TIME US, eScriptorium)', () => {
  const base = load();
  const first = allLines(base.page.regions)[0]!;

  it('records the text the file had as of unknown origin, then the model\'s reading with its id, version, time and confidence', () => {
    const read = machineRead(base);
    const l = findLine(read, first.id)!.line;
    const v = lineVersions(l);
    expect(v.map((x) => x.by.kind)).toEqual(['unknown', 'model']);
    expect(v[0]!.text).toBe(lineText(first));
    expect(v[1]).toMatchObject({ text: lineText(l), by: model, at: T0, conf: lineConf(l) });
    expect(lineStatus(l)).toBe('machine');
  });

  it('a person\'s correction is a new version and makes the line corrected; further edits in the same sitting stay one version', () => {
    const read = machineRead(base);
    const machineText = lineText(findLine(read, first.id)!.line);
    const once = recordTextChanges(read, setLineText(read, first.id, 'Paris le 3 mars'), marie, at(1));
    const twice = recordTextChanges(once, setLineText(once, first.id, 'Paris, le 3 mars 1858'), marie, at(4));
    const l = findLine(twice, first.id)!.line;
    expect(lineVersions(l).map((v) => [v.by.kind, v.text])).toEqual([
      ['unknown', lineText(first)],
      ['model', machineText],
      ['person', 'Paris, le 3 mars 1858'],
    ]);
    expect(lineStatus(l)).toBe('corrected');
    expect(isPersonText(l)).toBe(true);
    // Later, or by someone else: a version of its own.
    const later = recordTextChanges(twice, setLineText(twice, first.id, 'Paris, le 3 mars 1858.'), marie, at(60));
    expect(lineVersions(findLine(later, first.id)!.line)).toHaveLength(4);
    const other = recordTextChanges(twice, setLineText(twice, first.id, 'Paris, le 3 Mars 1858'), { kind: 'person', name: 'Jean' }, at(5));
    expect(lineVersions(findLine(other, first.id)!.line).map((v) => (v.by.kind === 'person' ? v.by.name : v.by.kind))).toEqual(['unknown', 'model', 'Marie', 'Jean']);
    // Lines nobody touched are the same objects: nothing recorded for them.
    const second = allLines(read.page.regions)[1]!;
    expect(findLine(later, second.id)!.line).toBe(findLine(read, second.id)!.line);
  });

  it('Ctrl+Enter verifies: the text is the person\'s (no confidence), the status verified, the version marked', () => {
    const read = machineRead(base);
    const v = verifyLines(read, [first.id], marie, at(2));
    const l = findLine(v, first.id)!.line;
    expect(lineConf(l)).toBeUndefined();
    expect(lineText(l)).toBe(lineText(findLine(read, first.id)!.line));
    expect(lineStatus(l)).toBe('verified');
    expect(lineVersions(l).at(-1)).toMatchObject({ by: marie, verified: true });
    // Verifying again changes nothing; an edit afterwards makes it corrected again.
    expect(verifyLines(v, [first.id], marie, at(3))).toEqual(v);
    const edited = recordTextChanges(v, setLineText(v, first.id, 'autre'), marie, at(4));
    expect(lineStatus(findLine(edited, first.id)!.line)).toBe('corrected');
  });

  it('is written as UserDefined attributes: schema-valid PAGE 2019, read back the same, the current text where other tools read it', async () => {
    // The eScriptorium file itself lacks some region Coords; conformed, it is valid, and history must keep it so.
    const valid = readDocument(writeDocument(base, 'page-2019').xml).doc;
    expect((await validateAgainstXsd(writeDocument(valid).xml, SCHEMAS, valid.format)).valid).toBe(true);
    const read = machineRead(valid);
    const edited = verifyLines(recordTextChanges(read, setLineText(read, first.id, 'Paris « le » 3 & <mars>'), marie, at(1)), [allLines(read.page.regions)[2]!.id], marie, at(2));
    const { xml } = writeDocument(edited);
    expect(xml).toContain('name="htr-studio:version"');
    const res = await validateAgainstXsd(xml, SCHEMAS, edited.format);
    expect(res.errors.slice(0, 3)).toEqual([]);
    expect(res.valid).toBe(true);
    const back = readDocument(xml).doc;
    for (const l of allLines(edited.page.regions)) {
      const b = findLine(back, l.id)!.line;
      expect(lineVersions(b)).toEqual(lineVersions(l));
      expect(lineStatus(b)).toBe(lineStatus(l));
    }
    // The line's one TextEquiv is the current text, as any PAGE reader takes it.
    const line = findLine(back, first.id)!.line;
    expect(line.textEquivs).toHaveLength(1);
    expect(line.textEquivs[0]!.unicode).toBe('Paris « le » 3 & <mars>');
    // Written again unchanged: byte for byte (but for the LastChange stamp, which may cross a second).
    const stampless = (x: string) => x.replace(/<LastChange>[^<]*<\/LastChange>/, '');
    expect(stampless(writeDocument(back).xml)).toBe(stampless(xml));
  });

  it('a recogniser\'s reading taken into the page as it is now keeps the recogniser as author', () => {
    const read = machineRead(base);
    const now = findLine(base, first.id)!.line;
    const took = takeReading(now, findLine(read, first.id)!.line, base.format, { kind: 'unknown' }, at(9));
    expect(lineVersions(took).at(-1)).toMatchObject({ by: model, at: T0 });
    expect(lineText(took)).toBe(lineText(findLine(read, first.id)!.line));
  });

  it('a three-way merge of text edits carries their history along', () => {
    const read = machineRead(base);
    const ours = recordTextChanges(read, setLineText(read, first.id, 'mine'), marie, at(1));
    const second = allLines(read.page.regions)[1]!.id;
    const theirs = recordTextChanges(read, setLineText(read, second, 'theirs'), { kind: 'person', name: 'Jean' }, at(1));
    const m = mergeLineTexts(read, ours, theirs);
    expect(m.doc).toBeDefined();
    expect(lineVersions(findLine(m.doc!, first.id)!.line).at(-1)).toMatchObject({ text: 'mine', by: marie });
    expect(lineVersions(findLine(m.doc!, second)!.line).at(-1)).toMatchObject({ text: 'theirs', by: { name: 'Jean' } });
  });

  it('keeps at most MAX_VERSIONS versions, the first one always', () => {
    let doc = machineRead(base);
    for (let i = 0; i < MAX_VERSIONS + 10; i++) doc = recordTextChanges(doc, setLineText(doc, first.id, `v${i}`), { kind: 'person', name: `p${i % 2}` }, at(i));
    const v = lineVersions(findLine(doc, first.id)!.line);
    expect(v).toHaveLength(MAX_VERSIONS);
    expect(v[0]!.by.kind).toBe('unknown');
    expect(v.at(-1)!.text).toBe(`v${MAX_VERSIONS + 9}`);
  });
});

describe('formats without a place for history', () => {
  it('PAGE 2013 (Transkribus): nothing is added, the status comes from the text', () => {
    const file = fs.readdirSync(path.join(CORPUS), { recursive: true }).map(String).map((f) => path.join(CORPUS, f))
      .find((f) => f.endsWith('.xml') && /pagecontent\/2013-07-15/.test(fs.readFileSync(f, 'utf8').slice(0, 2000)) && /<TextLine/.test(fs.readFileSync(f, 'utf8')));
    expect(file).toBeDefined();
    const doc = load(file);
    const l = allLines(doc.page.regions).find((x) => lineText(x))!;
    const edited = recordTextChanges(doc, setLineText(doc, l.id, 'corrigé'), marie, T0);
    const after = findLine(edited, l.id)!.line;
    expect(after.userDefined).toEqual(l.userDefined);
    expect(lineVersions(after)).toEqual([]);
    expect(lineStatus(after)).toBe('corrected');
    expect(writeDocument(edited).xml).not.toContain('htr-studio:');
  });

  it('a line whose UserDefined another tool garbled still reads: its text is a version of unknown origin', () => {
    const l: TextLine = {
      kind: 'TextLine', id: 'l1', words: [], labels: [], alternativeImages: [], textEquivs: [{ unicode: 'b' }],
      userDefined: { attributes: [{ name: 'htr-studio:version', value: 'a', description: '{not json' }, { name: 'other', value: 'kept' }] },
    };
    expect(lineVersions(l)).toEqual([{ text: 'a', by: { kind: 'unknown' } }]);
    const next = recordChange(l, { ...l, textEquivs: [{ unicode: 'c' }] }, marie, T0);
    expect(next.userDefined!.attributes[0]).toEqual({ name: 'other', value: 'kept' });
    expect(lineVersions(next).map((v) => v.text)).toEqual(['a', 'b', 'c']);
  });
});

describe('charDiff', () => {
  it('marks what a correction kept, inserted and deleted, by code point', () => {
    expect(charDiff('Paris le 3 mars', 'Paris, le 3 Mars')).toEqual([
      { kind: 'same', text: 'Paris' }, { kind: 'insert', text: ',' }, { kind: 'same', text: ' le 3 ' },
      { kind: 'delete', text: 'm' }, { kind: 'insert', text: 'M' }, { kind: 'same', text: 'ars' },
    ]);
    expect(charDiff('ꝯtra', 'contra')).toEqual([{ kind: 'delete', text: 'ꝯ' }, { kind: 'insert', text: 'con' }, { kind: 'same', text: 'tra' }]);
    expect(charDiff('', 'abc')).toEqual([{ kind: 'insert', text: 'abc' }]);
    expect(charDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });
});

describe("the model's confidence in each character (F8 to the unsure characters, their colour)", () => {
  const base = load();
  const first = allLines(base.page.regions)[0]!;
  const text = 'Jonquet Pierre';
  const confs = [...text].map((_, i) => (i === 3 || i === 4 ? 0.31 : i === 9 ? 0.5 : 0.97));
  const read: TextLine = { ...first, textEquivs: [{ unicode: text, conf: 0.9 }] };

  it('are kept in the model version, written compactly into the page and read back', () => {
    const l = recordChange(first, read, model, T0, { chars: confs });
    expect(charConfidences(l)?.map((c) => Math.round(c * 100) / 100)).toEqual(confs);
    const doc = readDocument(writeDocument({ ...base, page: { ...base.page, regions: replaceLine(base, l) } }).xml).doc;
    const back = charConfidences(findLine(doc, first.id)!.line)!;
    expect(back).toHaveLength(text.length);
    // Two hex digits each: within 1/255.
    back.forEach((c, i) => expect(Math.abs(c - confs[i]!)).toBeLessThan(0.005));
    // A person's text has none; nor a model reading whose character count does not match.
    expect(charConfidences(recordChange(first, read, marie, T0, { chars: confs }))).toBeUndefined();
    expect(charConfidences(recordChange(first, read, model, T0, { chars: confs.slice(1) }))).toBeUndefined();
  });

  it('travel with a reading taken into the page, and are gone once a person changes or confirms the text', () => {
    const fromJob = recordChange(first, read, model, T0, { chars: confs });
    const taken = takeReading(first, fromJob, base.format, { kind: 'unknown' }, T0);
    expect(charConfidences(taken)).toHaveLength(text.length);
    const doc = { ...base, page: { ...base.page, regions: replaceLine(base, taken) } };
    const edited = recordTextChanges(doc, setLineText(doc, first.id, 'Jonquet Pierre.'), marie, at(1));
    expect(charConfidences(findLine(edited, first.id)!.line)).toBeUndefined();
    const verified = verifyLines(doc, [first.id], marie, at(1));
    expect(charConfidences(findLine(verified, first.id)!.line)).toBeUndefined();
  });
});
