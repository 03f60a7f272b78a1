/**
 * `htr-studio languages`: the languages of transcribed pages for the catalogue,
 * offline, with confidence — on real pages of the corpus (French, Arabic) and of the
 * training corpus (medieval Latin and Italian), a page made of two, and PAGE output
 * that passes its schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { mapAllLines } from '../../electron/common/model/ops.js';
import { combine, identify } from '../../electron/common/language/identify.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { CORPUS, SCHEMAS, SHARED } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';

const FRENCH = path.join(CORPUS, 'escriptorium-timeuscorpus/cph_paris_tissage_1858/page/PH 1858-535.xml');
const ARABIC = path.join(CORPUS, 'calfa-rasam/BULAC_MS_ARA_1926_0031.xml');
const LATIN = path.join(SHARED, 'corpus-train/cremma-medieval-lat/SBB_PK_Hdschr25/SBB_PK_Hdschr25_022v.chocomufin.xml');
const ITALIAN = path.join(SHARED, 'corpus-train/htromance-medieval-italian/bnf-it-1534/btv1b52504356m_f97.chocomufin.xml');
const haveTrain = fs.existsSync(LATIN) && fs.existsSync(ITALIAN);
const textsOf = (file: string) => allLines(readDocument(fs.readFileSync(file, 'utf8')).doc.page.regions).map(lineText);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-lang-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('languages of pages', () => {
  it.skipIf(!haveTrain)('says French, Arabic, Latin and Italian for those pages, each with its share and confidence', () => {
    const r = runCli(['languages', FRENCH, ARABIC, LATIN, ITALIAN, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pages.map((p: { languages: { lang: string }[] }) => p.languages.map((l) => l.lang))).toEqual([['fra'], ['arb'], ['lat'], ['ita']]);
    for (const p of out.pages) expect(p.languages[0].conf).toBeGreaterThanOrEqual(0.8);
    // Lines too unsure alone are flagged for review (the French page's short ones among them), not guessed.
    expect(out.pages[0].flaggedLines.length).toBeGreaterThan(0);
    expect(out.pages[0].flaggedLines.length).toBeLessThan(out.pages[0].lines / 2);
  });

  it.skipIf(!haveTrain)('lists both languages of a page mixing two, with their shares', () => {
    const french = textsOf(FRENCH).slice(0, 24);
    const latin = textsOf(LATIN);
    const c = combine([...french, ...latin]);
    expect(c.languages.map((l) => l.lang)).toEqual(['fra', 'lat']);
    const [fra, lat] = c.languages;
    expect(fra!.share + lat!.share).toBeCloseTo(1, 5);
    expect(lat!.share).toBeGreaterThan(0.15);
    // As a PAGE file: the page says French first, Latin second.
    const doc = readDocument(writeDocument(readDocument(fs.readFileSync(FRENCH, 'utf8')).doc, 'page-2019').xml).doc;
    const lines = allLines(doc.page.regions);
    const mixed = mapAllLines(doc, (l) => {
      const i = lines.indexOf(l);
      return i >= 24 && latin[i - 24] ? { ...l, textEquivs: [{ unicode: latin[i - 24]! }] } : l;
    });
    const file = path.join(tmp, 'mixed.xml');
    fs.writeFileSync(file, writeDocument(mixed).xml);
    const r = JSON.parse(runCli(['languages', file, '--json']).stdout);
    expect(r.pages[0].languages.map((l: { lang: string }) => l.lang)).toEqual(['fra', 'lat']);
  });

  it('writes primaryLanguage and secondaryLanguage into PAGE where sure enough, schema-valid; CSV and MODS for the catalogue', async () => {
    const page = path.join(tmp, 'in', 'page.xml');
    fs.mkdirSync(path.dirname(page), { recursive: true });
    fs.writeFileSync(page, writeDocument(readDocument(fs.readFileSync(FRENCH, 'utf8')).doc, 'page-2019').xml);
    const out = path.join(tmp, 'out');
    const r = runCli(['languages', page, ARABIC, '-o', out, '--csv', path.join(tmp, 'langs.csv'), '--mods', path.join(tmp, 'mods.xml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/page\.xml\tFrench 100% \(confidence 1\.00\)\t\d+ of 48 lines flagged/);
    const xml = fs.readFileSync(path.join(out, 'page.xml'), 'utf8');
    const doc = readDocument(xml).doc;
    expect(doc.page.x?.attrs?.primaryLanguage).toBe('French');
    expect(doc.page.x?.attrs?.secondaryLanguage).toBeUndefined();
    const lines = allLines(doc.page.regions);
    const marked = lines.filter((l) => l.x?.attrs?.primaryLanguage === 'French').length;
    expect(marked).toBeGreaterThan(lines.length / 2);
    // A line too unsure alone gets no language: flagged, not guessed.
    expect(lines.filter((l) => lineText(l) && !l.x?.attrs?.primaryLanguage).length).toBeGreaterThan(0);
    expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors.slice(0, 3)).toEqual([]);
    const csv = fs.readFileSync(path.join(tmp, 'langs.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('file,languages,for_review,lines,flagged_lines');
    expect(csv[1]).toMatch(/page\.xml,fra:1\.00:1\.00,,48,\d+$/);
    const mods = fs.readFileSync(path.join(tmp, 'mods.xml'), 'utf8');
    expect(mods).toContain('<mods:languageTerm type="code" authority="iso639-2b">fre</mods:languageTerm>');
    expect(runCli(['languages', page, '--threshold', '2']).code).toBe(2);
  });

  it('judges nothing it cannot: a short line has no language', () => {
    expect(identify('le 3 mars')).toBeUndefined();
    expect(identify('Testament de Monsieur Jean Dupont, demeurant à Paris')?.lang).toBe('fra');
  });
});
