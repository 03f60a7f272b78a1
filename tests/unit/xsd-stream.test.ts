/**
 * The streaming XSD validator judges as libxml2 does: on every corpus file, on mutated
 * copies of them (one small change each), on what the app writes for every target, and
 * on hand-written cases whose verdict and message we know. It reads a file in pieces
 * and holds none of its tree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TARGET_FORMATS, writeDocumentPages } from '../../electron/common/formats/document-io.js';
import { targetDocumentFormat } from '../../electron/common/formats/target-format.js';
import type { AltoVersion, DocumentFormat, PageVersion } from '../../electron/common/model/types.js';
import { DEFAULT_LIMITS, parseXml } from '../../electron/common/xml/xml-parse.js';
import { compileSchema } from '../../electron/common/xsd/xsd-compile.js';
import { UnsupportedSchema } from '../../electron/common/xsd/xsd-errors.js';
import { validateXmlStream } from '../../electron/common/xsd/xsd-stream.js';
import { readDocumentFile } from '../../electron/node/io/read-document.js';
import { checkAgainstSchema } from '../../electron/node/xsd/schema-folder.js';
import { compiledSchemaFor } from '../../electron/node/xsd/xsd-compiled.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { corpusFiles, SCHEMAS } from '../helpers/corpus.js';
import { MUTATIONS, mutate, seeded } from '../helpers/xml-mutate.js';
import { cut, shownName } from '../helpers/xml-files.js';

const PAGE_2019 = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
const PAGE_2019_FORMAT: DocumentFormat = { kind: 'page', version: '2019-07-15', namespace: PAGE_2019 };
const ALTO_4 = 'http://www.loc.gov/standards/alto/ns-v4#';
const PAGE_VERSIONS: PageVersion[] = ['2010-03-19', '2013-07-15', '2016-07-15', '2017-07-15', '2018-07-15', '2019-07-15', '2024-07-15'];
const ALTO_4_VERSIONS: AltoVersion[] = ['4.0', '4.1', '4.2', '4.3', '4.4'];
const FILES = [...corpusFiles('page'), ...corpusFiles('alto')];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsd-stream-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function stream(xml: string | string[], format: DocumentFormat) {
  const c = await compiledSchemaFor(SCHEMAS, format);
  if (!c) throw new Error(`no compiled schema for ${format.namespace} ${format.version}`);
  return validateXmlStream(typeof xml === 'string' ? [xml] : xml, c.schema, DEFAULT_LIMITS);
}

async function bothJudges(xml: string, format: DocumentFormat): Promise<{ stream: boolean | undefined; libxml2: boolean; detail: string }> {
  const s = await stream(xml, format);
  const l = await validateAgainstXsd(xml, SCHEMAS, format);
  return { stream: s?.valid, libxml2: l.valid, detail: `libxml2: ${l.errors[0] ?? 'valid'} / stream: ${s?.errors[0] ?? (s ? 'valid' : 'gave way')}` };
}

const PAGE_HEAD = `<PcGts xmlns="${PAGE_2019}"><Metadata><Creator>t</Creator><Created>2026-12-05T10:00:00</Created><LastChange>2026-12-05T10:00:00Z</LastChange></Metadata>`;
const page = (inner: string, pageAttrs = 'imageFilename="p.png" imageWidth="100" imageHeight="80"') => `${PAGE_HEAD}<Page ${pageAttrs}>${inner}</Page></PcGts>`;
const line = (id: string, extra = '') => `<TextLine id="${id}"${extra}><Coords points="1,1 9,1 9,5 1,5"/><TextEquiv><Unicode>a</Unicode></TextEquiv></TextLine>`;
const region = (id: string, inner = line(`${id}l1`)) => `<TextRegion id="${id}" type="paragraph"><Coords points="0,0 10,0 10,10 0,10"/>${inner}</TextRegion>`;

describe('the streaming XSD validator', () => {
  it('compiles every PAGE and ALTO XSD the app ships (the corpus copy), with XLink imported from the folder', async () => {
    const formats: DocumentFormat[] = [
      ...PAGE_VERSIONS.map((v): DocumentFormat => ({ kind: 'page', version: v, namespace: `http://schema.primaresearch.org/PAGE/gts/pagecontent/${v}` })),
      ...ALTO_4_VERSIONS.map((v): DocumentFormat => ({ kind: 'alto', version: v, namespace: ALTO_4 })),
      ...TARGET_FORMATS.map(targetDocumentFormat),
    ];
    for (const f of formats) expect(await compiledSchemaFor(SCHEMAS, f), `${f.namespace} ${f.version}`).toBeDefined();
  });

  it.each(FILES.map((f) => [shownName(f), f]))('agrees with libxml2 on %s, and on the file cut into pieces', async (_name, file) => {
    const { text, doc } = await readDocumentFile(file);
    const c = await compiledSchemaFor(SCHEMAS, doc.format);
    if (!c) return expect(await validateAgainstXsd(text, SCHEMAS, doc.format)).toMatchObject({ valid: false }); // a namespace no XSD declares (cPAS-2000: https)
    const whole = validateXmlStream([text.replace(/^\uFEFF/, '')], c.schema, DEFAULT_LIMITS);
    const lib = await validateAgainstXsd(text, SCHEMAS, doc.format);
    expect(whole?.valid, `libxml2: ${lib.errors[0]} / stream: ${whole?.errors[0]}`).toBe(lib.valid);
    expect(validateXmlStream(cut(text.replace(/^\uFEFF/, ''), 997), c.schema, DEFAULT_LIMITS)).toEqual(whole);
  });

  it('agrees with libxml2 on mutated copies of the corpus files (an attribute dropped, added or garbled, an id doubled, an element dropped, doubled, moved, text added…)', async () => {
    let compared = 0;
    const invalid: Record<string, number> = {};
    for (const file of FILES) {
      const { text, doc } = await readDocumentFile(file);
      if (!(await compiledSchemaFor(SCHEMAS, doc.format))) continue;
      const tree = parseXml(text);
      const rand = seeded(compared + 1);
      for (let k = 0; k < 2 * MUTATIONS.length; k++) {
        const kind = MUTATIONS[k % MUTATIONS.length]!;
        const xml = mutate(tree, kind, rand);
        if (!xml) continue;
        const j = await bothJudges(xml, doc.format);
        expect(j.stream, `${shownName(file)}, mutation ${k} (${kind}): ${j.detail}`).toBe(j.libxml2);
        compared++;
        if (!j.libxml2) invalid[kind] = (invalid[kind] ?? 0) + 1;
      }
    }
    expect(compared).toBeGreaterThan(400);
    // The mutations reach both verdicts, through every kind of change.
    for (const kind of MUTATIONS) expect(invalid[kind] ?? 0, kind).toBeGreaterThan(0);
  }, 300_000); // hundreds of files checked twice, by libxml2 in WebAssembly among them: minutes on a slow machine

  it('agrees with libxml2 on what the app writes for every target', async () => {
    const files = FILES.filter((_, i) => i % 4 === 0);
    for (const file of files) {
      const { doc } = await readDocumentFile(file);
      for (const to of TARGET_FORMATS) {
        let xmls: string[];
        try {
          xmls = writeDocumentPages(doc, to).xmls;
        } catch {
          continue; // a conversion the writer refuses is tested elsewhere
        }
        for (const xml of xmls) {
          const j = await bothJudges(xml, targetDocumentFormat(to));
          expect(j.stream, `${shownName(file)} as ${to}: ${j.detail}`).toBe(j.libxml2);
        }
      }
    }
  });

  it.each([
    ['a valid page', page(region('r1')), undefined],
    ['a duplicated id', page(region('r1') + region('r1', line('l2'))), /'r1' is not a valid value of the atomic type 'xs:ID'/],
    ['a value outside the enumeration', page(region('r1').replace('paragraph', 'paragraf')), /attribute 'type': the value 'paragraf' is not an element of the set/],
    ['a missing required attribute', page(region('r1'), 'imageFilename="p.png" imageWidth="100"'), /The attribute 'imageHeight' is required but missing/],
    ['an attribute the type lacks', page(region('r1').replace('<TextRegion ', '<TextRegion colour="red" ')), /attribute 'colour': The attribute 'colour' is not allowed/],
    ['an element out of order', page(region('r1', line('l1').replace(/(<Coords[^>]*\/>)(<TextEquiv>.*<\/TextEquiv>)/, '$2$1'))), /Element '\{[^}]+\}TextEquiv': This element is not expected. Expected is \( \{[^}]+\}AlternativeImage, \{[^}]+\}Coords \)/],
    ['a missing required child', page(region('r1', '<TextLine id="l1"/>')), /Element '\{[^}]+\}TextLine': Missing child element\(s\). Expected is \( \{[^}]+\}AlternativeImage, \{[^}]+\}Coords \)/],
    ['text where only elements go', page(`x${region('r1')}`), /Character content other than whitespace is not allowed/],
    ['points that are not a polygon', page(region('r1').replace('0,0 10,0 10,10 0,10', '0,0 10')), /attribute 'points': the value '0,0 10' is not accepted by the pattern/],
    ['a date that is not one', page(region('r1')).replace('2026-12-05T10:00:00Z', '2026-02-30T10:00:00Z'), /Element '\{[^}]+\}LastChange': '2026-02-30T10:00:00Z' is not a valid value of the atomic type 'xs:dateTime'/],
    ['a float that is not one', page(region('r1', line('l1', ' custom="x"').replace('<TextEquiv>', '<TextEquiv conf="0,5">'))), /attribute 'conf': '0,5' is not a valid value of the atomic type 'xs:float'/],
    ['a value above the range', page(region('r1', line('l1').replace('<TextEquiv>', '<TextEquiv conf="1.5">'))), /the value '1.5' is greater than the maximum value allowed \('1'\)/],
    ['another root', `<Page xmlns="${PAGE_2019}"/>`, /No matching global declaration available for the validation root/],
  ])('%s: the verdict and message', async (_what, xml, message) => {
    const r = await stream(xml, PAGE_2019_FORMAT);
    const lib = await validateAgainstXsd(xml, SCHEMAS, PAGE_2019_FORMAT);
    expect(r?.valid).toBe(lib.valid);
    if (!message) return expect(r?.errors).toEqual([]);
    expect(r?.errors[0]).toMatch(message);
    expect(r?.errors[0]).toMatch(/^line 1: /);
  });

  it('reads ALTO with its XLink attributes and its lax wildcard', async () => {
    const format: DocumentFormat = { kind: 'alto', version: '4.4', namespace: ALTO_4 };
    const alto = (tags: string, block: string) => `<alto xmlns="${ALTO_4}" xmlns:xlink="http://www.w3.org/1999/xlink"><Description><MeasurementUnit>pixel</MeasurementUnit></Description>${tags}<Layout><Page ID="p1" WIDTH="10" HEIGHT="10" PHYSICAL_IMG_NR="1"><PrintSpace>${block}</PrintSpace></Page></Layout></alto>`;
    const tags = (data: string) => `<Tags><OtherTag ID="t1" LABEL="note"><XmlData>${data}</XmlData></OtherTag></Tags>`;
    const cases: [string, boolean][] = [
      [alto(tags('<m:note xmlns:m="urn:m">free</m:note>'), '<Illustration ID="i1" xlink:type="simple" xlink:href="figure.png" xlink:show="embed"/>'), true],
      [alto('', '<Illustration ID="i1" xlink:type="extended"/>'), false], // fixed="simple"
      [alto('', '<Illustration ID="i1" xlink:show="sometimes"/>'), false],
      [alto(tags(`<alto xmlns="${ALTO_4}"/>`), ''), false], // lax: a globally declared element is checked (an empty alto lacks its Layout)
      [alto(tags(`<Page xmlns="${ALTO_4}"/>`), ''), true], // lax: Page is declared only inside Layout, so it is not checked here
    ];
    for (const [xml, valid] of cases) expect(await bothJudges(xml, format), xml).toMatchObject({ stream: valid, libxml2: valid });
  });

  it('checks a polygon of two million points, and a file read in pieces of any size', async () => {
    const points = Array.from({ length: 2_000_000 }, (_, i) => `${i % 5000},${(i * 7) % 3000}`).join(' ');
    const xml = page(region('r1').replace('0,0 10,0 10,10 0,10', points));
    expect(await stream(xml, PAGE_2019_FORMAT)).toEqual({ valid: true, errors: [] });
    expect((await stream(xml.replace(`${points}"`, `${points} 1"`), PAGE_2019_FORMAT))?.valid).toBe(false);
    const small = page(region('r1') + region('r2'));
    for (const n of [1, 2, 3, 17, 64]) expect(await stream(cut(small, n), PAGE_2019_FORMAT), String(n)).toEqual({ valid: true, errors: [] });
  });

  it('gives way to libxml2 where it cannot judge: a schema with constructs it does not read, an instance with xsi:type', async () => {
    const schema = (body: string) => parseXml(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns:t="urn:t">${body}</xs:schema>`);
    expect(() => compileSchema(schema('<xs:element name="a"><xs:complexType><xs:anyAttribute/></xs:complexType></xs:element>'), () => undefined)).toThrow(UnsupportedSchema);
    expect(() => compileSchema(schema('<xs:simpleType name="s"><xs:restriction base="xs:string"><xs:pattern value="[a-z-[aeiou]]"/></xs:restriction></xs:simpleType><xs:element name="a" type="t:s"/>'), () => undefined)).toThrow(UnsupportedSchema);
    expect(() => compileSchema(schema('<xs:element name="a"><xs:complexType><xs:all><xs:element name="b"/></xs:all></xs:complexType></xs:element>'), () => undefined)).toThrow(UnsupportedSchema);
    const xsiType = page(region('r1')).replace('<TextRegion ', '<TextRegion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="TextRegionType" ');
    expect(await stream(xsiType, PAGE_2019_FORMAT)).toBeUndefined();
    // …and the check asks libxml2 instead.
    const r = await checkAgainstSchema(xsiType, PAGE_2019_FORMAT, SCHEMAS);
    expect(r).toMatchObject({ valid: (await validateAgainstXsd(xsiType, SCHEMAS, PAGE_2019_FORMAT)).valid });
    fs.writeFileSync(path.join(tmp, 'x.xml'), xsiType);
    expect(await checkAgainstSchema({ file: path.join(tmp, 'x.xml') }, PAGE_2019_FORMAT, SCHEMAS)).toEqual(r);
  });
});
