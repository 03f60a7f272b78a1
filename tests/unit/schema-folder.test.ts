import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertSchemaValid, findSchemaFolder, MAX_XSD_CHECK_BYTES, schemaCheckAsWritten } from '../../electron/node/xsd/schema-folder.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { ApiError } from '../../electron/common/api/errors.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
// @ts-expect-error: a build script in plain JavaScript
import { copySchemas } from '../../build/schemas.mjs';
import { runMain } from '../helpers/cli-in-process.js';

// The official XSDs travel with the app (copied in at build time) and every --to
// conversion is checked against its target's XSD before anything is written.

const run = runMain;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-schemas-'));
const saved = { ...process.env };
afterEach(() => {
  for (const k of ['HTR_STUDIO_SCHEMAS', 'HTR_STUDIO_SCHEMAS_SOURCE', 'XDG_CONFIG_HOME']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const PAGE_2019_NS = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
// A schema of our own for PAGE 2019's namespace that accepts no real page (its root must be <Nothing>):
// what a target XSD that rejects the output looks like to convert.
const REJECTING_XSD = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${PAGE_2019_NS}" elementFormDefault="qualified">
  <xs:element name="Nothing" type="xs:string"/>
</xs:schema>
`;
const TRANSKRIBUS_PAGE_2013 = path.join(CORPUS, 'transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.pxml');

describe('the XSD folder', () => {
  it('is the one named, else HTR_STUDIO_SCHEMAS or the built-in copy, else the user\'s, else none', () => {
    expect(findSchemaFolder('/named')).toBe('/named');
    const user = path.join(tmp, 'config');
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    process.env.HTR_STUDIO_SCHEMAS = empty;
    process.env.XDG_CONFIG_HOME = user;
    expect(findSchemaFolder()).toBeUndefined();
    const userPage = path.join(user, 'htr-studio', 'schemas', 'page', '2019-07-15');
    fs.mkdirSync(userPage, { recursive: true });
    fs.writeFileSync(path.join(userPage, 'pagecontent.xsd'), REJECTING_XSD);
    expect(findSchemaFolder()).toBe(path.join(user, 'htr-studio', 'schemas'));
    process.env.HTR_STUDIO_SCHEMAS = SCHEMAS;
    expect(findSchemaFolder()).toBe(SCHEMAS);
  });

  it('is copied into the build with a notice of the licences, XSDs only', () => {
    process.env.HTR_STUDIO_SCHEMAS_SOURCE = SCHEMAS;
    const out = path.join(tmp, 'built');
    const n = copySchemas(path.join(tmp, 'no-repo'), out);
    const xsds = fs.readdirSync(SCHEMAS, { recursive: true }).map(String).filter((f) => f.endsWith('.xsd')).sort();
    expect(n).toBe(xsds.length);
    expect(fs.readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.xsd')).sort()).toEqual(xsds);
    for (const f of xsds) expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(SCHEMAS, f))), f).toBe(true);
    expect(fs.readFileSync(path.join(out, 'NOTICE.txt'), 'utf8')).toMatch(/Apache License 2\.0[\s\S]*CC BY-SA 4\.0[\s\S]*CC0/);
    expect(fs.existsSync(path.join(out, 'README.md'))).toBe(false);
  });
});

describe('the check before writing', () => {
  it('checks a file of any size against the built-in XSDs; one too big for libxml2 is skipped, saying why, only where the XSD is one the streaming check cannot read', async () => {
    const huge = `<PcGts xmlns="${PAGE_2019_NS}">${' '.repeat(MAX_XSD_CHECK_BYTES)}</PcGts>`;
    const format = { kind: 'page', version: '2019-07-15', namespace: PAGE_2019_NS } as const;
    await expect(assertSchemaValid(huge, format, 'huge', SCHEMAS)).rejects.toThrow(/^huge would not be valid against pagecontent\.xsd .*Missing child element/);
    expect(await assertSchemaValid('<x/>', format, 'x', undefined)).toMatch(/no schema folder/);
    await expect(assertSchemaValid(`<Nothing xmlns="${PAGE_2019_NS}">a</Nothing>`, format, 'nothing', SCHEMAS)).rejects.toThrow(/^nothing would not be valid against pagecontent\.xsd/);
    // A user's folder whose PAGE XSD has a wildcard attribute (xs:anyAttribute, which the streaming check does not read): libxml2's, up to its size.
    const odd = path.join(tmp, 'odd-schemas');
    fs.mkdirSync(odd, { recursive: true });
    const xsd = fs.readFileSync(path.join(SCHEMAS, 'page/2019-07-15/pagecontent.xsd'), 'utf8');
    fs.writeFileSync(path.join(odd, 'pagecontent.xsd'), xsd.replace('<attribute name="pcGtsId" type="ID"/>', '<attribute name="pcGtsId" type="ID"/><anyAttribute processContents="skip"/>'));
    expect(await assertSchemaValid(huge, format, 'huge', odd)).toMatch(/^64\.0 MB is above the 64 MB libxml2 reads, and the XSD in .* is not one the streaming check reads/);
    await expect(assertSchemaValid(`<Nothing xmlns="${PAGE_2019_NS}">a</Nothing>`, format, 'nothing', odd)).rejects.toThrow(/^nothing would not be valid .*No matching global declaration/);
  });
});

describe('the check of a file as it is written', () => {
  const format = { kind: 'page', version: '2019-07-15', namespace: PAGE_2019_NS } as const;
  const valid = `<PcGts xmlns="${PAGE_2019_NS}"><Metadata><Creator>t</Creator><Created>2026-12-05T10:00:00</Created><LastChange>2026-12-05T10:00:00</LastChange></Metadata><Page imageFilename="p.png" imageWidth="10" imageHeight="10"/></PcGts>`;
  const chunks = (xml: string) => xml.match(/[^]{1,23}/g)!;

  it('judges the chunks as they go by, as the whole text is judged, without reading the file', async () => {
    const ok = await schemaCheckAsWritten(format, 'ok', SCHEMAS);
    for (const c of chunks(valid)) ok.feed(c);
    // The file is never read when the chunks gave a verdict: a path that does not exist is fine.
    expect(await ok.assertValid(path.join(tmp, 'never-written.xml'))).toBeUndefined();
    const bad = await schemaCheckAsWritten(format, 'bad', SCHEMAS);
    for (const c of chunks(valid.replace('imageWidth="10"', 'imageWidth="ten"'))) bad.feed(c);
    await expect(bad.assertValid(path.join(tmp, 'never-written.xml'))).rejects.toThrow(/^bad would not be valid against pagecontent\.xsd .*'ten' is not a valid value of the atomic type 'xs:int'/);
    const none = await schemaCheckAsWritten(format, 'none', undefined);
    none.feed(valid);
    expect(await none.assertValid(path.join(tmp, 'never-written.xml'))).toMatch(/no schema folder/);
  });

  it('reads the written file back with libxml2 where the chunks cannot be judged (xsi:type)', async () => {
    const xml = valid.replace('<Page ', '<Page xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="PageType" ');
    const file = path.join(tmp, 'xsi-type.xml');
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(file, xml);
    const c = await schemaCheckAsWritten(format, 'xsi', SCHEMAS);
    for (const piece of chunks(xml)) c.feed(piece);
    expect(await c.assertValid(file)).toBeUndefined();
    fs.writeFileSync(file, xml.replace('imageWidth="10"', 'imageWidth="ten"'));
    const d = await schemaCheckAsWritten(format, 'xsi', SCHEMAS);
    for (const piece of chunks(xml)) d.feed(piece);
    // What libxml2 reads is the file: here it differs from the chunks, and the file is what counts.
    await expect(d.assertValid(file)).rejects.toThrow(/^xsi would not be valid .*Schemas validity error/);
  });
});

describe('convert --to checks its output against the target XSD', () => {
  it('writes a Transkribus PAGE 2013 page as PAGE 2019 and ALTO 4 that pass their XSDs', async () => {
    for (const to of ['page-2019', 'alto-4']) {
      const out = path.join(tmp, `abp.${to}.xml`);
      const r = await run('convert', TRANSKRIBUS_PAGE_2013, '-o', out, '--to', to, '--schemas', SCHEMAS);
      expect(r.code).toBe(0);
      expect(r.err.join('\n')).not.toMatch(/not checked/);
      expect((await run('validate', out, '--schemas', SCHEMAS)).code).toBe(0);
    }
  });

  it('refuses to write a file its target XSD rejects: exit 2, the first schema error, nothing written', async () => {
    const folder = path.join(tmp, 'rejecting', 'page', '2019-07-15');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'pagecontent.xsd'), REJECTING_XSD);
    const out = path.join(tmp, 'refused.xml');
    const r = await run('convert', TRANSKRIBUS_PAGE_2013, '-o', out, '--to', 'page-2019', '--schemas', path.join(tmp, 'rejecting'));
    expect(r.code).toBe(2);
    expect(r.err.at(-1)).toMatch(/^htr-studio convert: .*M_Aicha_vorm_Wald_017_0130\.pxml as page-2019 would not be valid against pagecontent\.xsd \(1 error\(s\); first: .*PcGts.*\); nothing written$/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('says so when there is no XSD to check against, and still writes', async () => {
    const empty = path.join(tmp, 'none');
    fs.mkdirSync(empty, { recursive: true });
    process.env.HTR_STUDIO_SCHEMAS = empty;
    process.env.XDG_CONFIG_HOME = path.join(tmp, 'no-config');
    const out = path.join(tmp, 'unchecked.xml');
    const r = await run('convert', TRANSKRIBUS_PAGE_2013, '-o', out, '--to', 'page-2019');
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/not checked against the page-2019 XSD: no schema folder/);
    expect(fs.existsSync(out)).toBe(true);
  });
});

describe('export checks each page against the XSD of its format', () => {
  it('writes pages that pass; a page its XSD rejects is an error, not written, exit 1', async () => {
    const ok = path.join(tmp, 'export-ok');
    const r = await run('export', TRANSKRIBUS_PAGE_2013, '--format', 'page', '-o', ok, '-q');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(ok, 'M_Aicha_vorm_Wald_017_0130.xml'))).toBe(true);

    const folder = path.join(tmp, 'rejecting-export', 'page', '2019-07-15');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'pagecontent.xsd'), REJECTING_XSD);
    process.env.HTR_STUDIO_SCHEMAS = path.join(tmp, 'rejecting-export');
    const refused = path.join(tmp, 'export-refused');
    const bad = await run('export', TRANSKRIBUS_PAGE_2013, '--format', 'page', '-o', refused, '-q');
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/error: .*M_Aicha_vorm_Wald_017_0130\.pxml: .*as page-2019 would not be valid against pagecontent\.xsd/);
    expect(fs.existsSync(path.join(refused, 'M_Aicha_vorm_Wald_017_0130.xml'))).toBe(false);
  });
});

describe("the editor's export of a page", () => {
  it('hands over a file its XSD accepts, and refuses one it rejects with the reason', async () => {
    const project = path.join(tmp, 'project');
    fs.mkdirSync(project, { recursive: true });
    fs.copyFileSync(TRANSKRIBUS_PAGE_2013, path.join(project, 'page.xml'));
    const service = new LocalProjectService(project, { cacheDir: path.join(tmp, 'cache') });
    const [page] = await service.listPages();
    const xml = fs.readFileSync(TRANSKRIBUS_PAGE_2013, 'utf8');
    process.env.HTR_STUDIO_SCHEMAS = SCHEMAS;
    const ok = await service.exportPage(page!.id, xml, 'page-2019');
    expect(ok.text).toMatch(/pagecontent\/2019-07-15/);
    process.env.HTR_STUDIO_SCHEMAS = path.join(tmp, 'rejecting-editor');
    fs.mkdirSync(path.join(tmp, 'rejecting-editor', 'page', '2019-07-15'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'rejecting-editor', 'page', '2019-07-15', 'pagecontent.xsd'), REJECTING_XSD);
    const refused = await service.exportPage(page!.id, xml, 'page-2019').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).message).toMatch(/^not exported: page ".*" as page-2019 would not be valid against pagecontent\.xsd/);
  });
});
