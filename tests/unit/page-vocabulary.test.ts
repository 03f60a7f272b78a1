/**
 * Issue #17 item 1: enumerated values differ between PAGE versions (scripts, language
 * names, region types, …). HTR Studio's tables (page-vocab.ts) are checked against
 * the official XSDs, and `convert --to` maps or drops each value the target lacks,
 * reporting it, so the output passes the target's schema.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { PAGE_VERSIONS } from '../../electron/common/formats/page-versions.js';
import { acceptsValue, conformValue, type VocabularyName } from '../../electron/common/formats/page-vocab.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { REPO, SCHEMAS } from '../helpers/corpus.js';
import { runMain } from '../helpers/cli-in-process.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/formats');
const FROM_2019 = path.join(FIXTURES, 'page-2019-vocabulary.xml');
const FROM_2013 = path.join(FIXTURES, 'page-2013-vocabulary.xml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-vocab-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The enumeration of a simple type in a version's XSD (read in place), or undefined. */
function xsdEnumeration(version: string, type: string): string[] | undefined {
  const xsd = fs.readFileSync(path.join(SCHEMAS, 'page', version, 'pagecontent.xsd'), 'utf8');
  const body = new RegExp(`<(?:\\w+:)?simpleType name="${type}">([\\s\\S]*?)</(?:\\w+:)?simpleType>`).exec(xsd)?.[1];
  if (body === undefined) return undefined;
  return [...body.matchAll(/<(?:\w+:)?enumeration value="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

const TYPES: Record<string, VocabularyName> = {
  LanguageSimpleType: 'language', ScriptSimpleType: 'script', TextTypeSimpleType: 'textType',
  GraphicsTypeSimpleType: 'graphicsType', ChartTypeSimpleType: 'chartType', PageTypeSimpleType: 'pageType',
  GroupTypeSimpleType: 'groupType', ColourSimpleType: 'colour', ColourDepthSimpleType: 'colourDepth',
  ProductionSimpleType: 'production', ReadingDirectionSimpleType: 'readingDirection',
  TextLineOrderSimpleType: 'textLineOrder', AlignSimpleType: 'align', UnderlineStyleSimpleType: 'underlineStyle',
  TextDataTypeSimpleType: 'dataType', MirroredSimpleType: 'mirrored',
};

const run = runMain;

async function schemaErrors(xml: string): Promise<string[]> {
  return (await validateAgainstXsd(xml, SCHEMAS, readDocument(xml).doc.format)).errors;
}

describe('the vocabularies of each PAGE version', () => {
  for (const v of PAGE_VERSIONS) {
    it(`agree with the ${v} XSD: every value it lists is accepted, and (script patterns aside) nothing else`, () => {
      for (const [type, vocab] of Object.entries(TYPES)) {
        const values = xsdEnumeration(v, type);
        if (!values) {
          expect(acceptsValue(v, vocab, 'other'), `${vocab} in ${v}`).toBe(false);
          continue;
        }
        for (const value of values) expect(acceptsValue(v, vocab, value), `${vocab} "${value}" in ${v}`).toBe(true);
        if (vocab === 'script' && v >= '2016-07-15') continue;
        // The other versions' values this one does not list are refused.
        const elsewhere = PAGE_VERSIONS.flatMap((w) => xsdEnumeration(w, type) ?? []).filter((x) => !values.includes(x));
        for (const value of elsewhere) expect(acceptsValue(v, vocab, value), `${vocab} "${value}" in ${v}`).toBe(false);
      }
    });
  }

  it('map codes to names, scripts between naming schemes, and drop what has no equivalent', () => {
    expect(conformValue('2013-07-15', 'TextRegion', 'primaryLanguage', 'de')).toMatchObject({ action: 'map', value: 'German' });
    expect(conformValue('2019-07-15', 'Word', 'language', 'fra')).toMatchObject({ action: 'map', value: 'French' });
    expect(conformValue('2019-07-15', 'TextLine', 'primaryLanguage', 'la-Latn')).toMatchObject({ action: 'map', value: 'Latin' });
    expect(conformValue('2019-07-15', 'TextLine', 'primaryLanguage', 'km')).toMatchObject({ value: 'Khmer' });
    expect(conformValue('2010-03-19', 'TextRegion', 'primaryLanguage', 'km')).toMatchObject({ value: 'Cambodian' });
    expect(conformValue('2013-07-15', 'TextRegion', 'primaryScript', 'Latn - Latin')).toMatchObject({ action: 'map', value: 'Latin' });
    expect(conformValue('2019-07-15', 'TextRegion', 'primaryScript', 'Latin')).toMatchObject({ action: 'map', value: 'Latn - Latin' });
    expect(conformValue('2019-07-15', 'TextRegion', 'primaryScript', 'Cyrl')).toMatchObject({ action: 'map', value: 'Cyrl - Cyrillic' });
    expect(conformValue('2013-07-15', 'TextRegion', 'secondaryScript', 'Syrc - Syriac')).toMatchObject({ action: 'map', value: 'other' });
    expect(conformValue('2013-07-15', 'TextRegion', 'type', 'list-label')).toMatchObject({ action: 'map', value: 'other' });
    expect(conformValue('2010-03-19', 'TextRegion', 'type', 'list-label')).toMatchObject({ action: 'drop' });
    expect(conformValue('2019-07-15', 'TextRegion', 'primaryLanguage', 'xx-unknown')).toMatchObject({ action: 'drop' });
    expect(conformValue('2019-07-15', 'TextRegion', 'type', 'Heading')).toMatchObject({ action: 'map', value: 'heading' });
    // Free text stays as it is: a UserAttribute's type, a comment.
    expect(conformValue('2013-07-15', 'UserAttribute', 'type', 'xsd:string')).toEqual({ action: 'keep' });
    expect(conformValue('2019-07-15', 'TextRegion', 'primaryLanguage', 'German')).toEqual({ action: 'keep' });
  });
});

describe('convert --to with values the target spells otherwise (#17 item 1)', () => {
  it('PAGE 2019 (ISO scripts, ISO 639 codes, a 2017 type) → PAGE 2013: mapped, reported, valid', async () => {
    const out = path.join(tmp, 'from-2019.xml');
    const r = await run('convert', FROM_2019, '-o', out, '--to', 'page-2013');
    expect(r.code).toBe(0);
    const err = r.err.join('\n');
    expect(err).toMatch(/primaryScript="Latn - Latin" on <TextRegion> written as "Latin"/);
    expect(err).toMatch(/primaryLanguage="de" on <TextRegion> written as "German"/);
    expect(err).toMatch(/secondaryLanguage="la" on <TextRegion> written as "Latin"/);
    expect(err).toMatch(/language="ger" on <Word> written as "German"/);
    expect(err).toMatch(/secondaryScript="Syrc - Syriac" on <TextRegion> written as "other"/);
    expect(err).toMatch(/type="list-label" on <TextRegion> written as "other"/);
    expect(err).toMatch(/primaryLanguage="xx-unknown" on <TextRegion> .*dropped/);
    const xml = fs.readFileSync(out, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toContain('primaryScript="Latin"');
    expect(xml).toMatch(/<TextLine id="l1" primaryLanguage="German"/);
  });

  it('the empty group a dropped reference leaves is removed, not written', async () => {
    const { doc } = readDocument(fs.readFileSync(FROM_2019, 'utf8'));
    for (const target of ['page-2013', 'page-2019'] as const) {
      const { xml, warnings } = writeDocument(doc, target);
      expect(warnings.join('\n')).toMatch(/reading order refers to missing region "gone": reference dropped/);
      expect(warnings.join('\n')).toMatch(/reading-order group "ro2" left without members: dropped/);
      expect(xml).not.toContain('UnorderedGroupIndexed');
      expect(xml).toMatch(/<RegionRefIndexed index="0" regionRef="r1"\/>\s*<RegionRefIndexed index="2" regionRef="r2"\/>/);
      expect(await schemaErrors(xml)).toEqual([]);
    }
  });

  it('a reading order left with no member at all is dropped whole', async () => {
    const src = fs.readFileSync(FROM_2019, 'utf8').replace(/regionRef="r[12]"/g, 'regionRef="nowhere"');
    const { xml, warnings } = writeDocument(readDocument(src).doc, 'page-2019');
    expect(warnings.join('\n')).toMatch(/reading order left without members: dropped/);
    expect(xml).not.toContain('<ReadingOrder');
    expect(await schemaErrors(xml)).toEqual([]);
  });

  it('PAGE 2013 (script names) → PAGE 2019: ISO 15924 values, reported, valid', async () => {
    const out = path.join(tmp, 'from-2013.xml');
    const r = await run('convert', FROM_2013, '-o', out, '--to', 'page-2019');
    expect(r.code).toBe(0);
    const err = r.err.join('\n');
    expect(err).toMatch(/primaryScript="Latin" on <TextRegion> written as "Latn - Latin"/);
    expect(err).toMatch(/secondaryScript="Chinese-simplified" on <TextRegion> written as "Hans - Han \(Simplified variant\)"/);
    expect(err).toMatch(/primaryScript="Devangari" on <TextRegion> written as "Deva - Devanagari \(Nagari\)"/);
    expect(err).not.toMatch(/primaryLanguage/);
    const xml = fs.readFileSync(out, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toContain('primaryLanguage="German"');
  });

  it('an identity write keeps every value as it was, valid or not', () => {
    const src = fs.readFileSync(FROM_2019, 'utf8');
    const { xml, warnings } = writeDocument(readDocument(src).doc);
    expect(warnings).toEqual([]);
    expect(xml).toContain('primaryLanguage="de"');
    expect(xml).toContain('<UnorderedGroupIndexed id="ro2" index="1">');
  });
});
