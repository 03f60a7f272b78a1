/**
 * `htr-studio import` (#21 item 2): the real Transkribus, eScriptorium and OCR-D
 * material of the shared corpus (read in place) imported into fresh projects, exported
 * as PAGE and ALTO that their XSDs accept, and an export imported again gives the same document;
 * hostile and mistaken inputs refused with a clear message and the project unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import sharp from 'sharp';
import { main } from '../../electron/cli/main.js';
import { importSources, ImportError } from '../../electron/node/import/import-project.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { scanProject } from '../../electron/node/project/scan.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { dispatch } from '../../electron/common/api/methods.js';
import type { JobEvent, StudioService } from '../../electron/common/api/service.js';
import { DesktopService } from '../../electron/main/desktop-service.js';
import type { EngineClient } from '../../electron/node/server/engine-port.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { makeZip } from '../helpers/zip-writer.js';
import { makePdf } from '../helpers/pdf-writer.js';
import { startIiifServer, manifestV2, type IiifServer } from '../helpers/iiif-server.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-import-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const fresh = (name: string): string => path.join(tmp, `${name}-${crypto.randomBytes(3).toString('hex')}`);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every file under a folder with a hash of its bytes: "the project is unchanged" is this being equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        out[path.relative(dir, p) + '/'] = 'dir';
        walk(p);
      } else out[path.relative(dir, p)] = crypto.createHash('sha1').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const texts = (xml: string): string[] => allLines(readDocument(xml).doc.page.regions).map(lineText);

/** Imports, exports the project's pages as PAGE 2019, checks them against the XSD, imports the export again and compares. */
async function roundTrip(sources: string[], extra: string[] = []): Promise<{ project: string; pages: string[] }> {
  const project = fresh('project');
  const r = await cli(['import', ...sources, '-p', project, '--json', ...extra]);
  expect(r.code, r.err).toBe(0);
  const result = JSON.parse(r.out) as { pages: { id: string; xmlPath: string | null; imagePath: string | null }[] };
  const xmls = result.pages.map((p) => path.join(project, p.xmlPath!));
  for (const x of xmls) expect(fs.existsSync(x)).toBe(true);
  // The project reads its pages as the editor does: each image with its PAGE file.
  const scanned = await scanProject(project);
  expect(scanned.map((p) => p.xmlPath).sort()).toEqual(result.pages.map((p) => p.xmlPath).sort());
  expect(scanned.every((p) => p.imagePath)).toBe(true);

  const out = fresh('export');
  const ex = await cli(['export', ...xmls, '--format', 'page', '-o', out, '-q']);
  expect(ex.code, ex.err).toBe(0);
  const exported = fs.readdirSync(out).filter((f) => f.endsWith('.xml')).sort();
  expect(exported.length).toBe(xmls.length);
  for (const f of exported) {
    const xml = fs.readFileSync(path.join(out, f), 'utf8');
    const res = await validateAgainstXsd(xml, SCHEMAS, readDocument(xml).doc.format);
    expect(res.errors.slice(0, 3), f).toEqual([]);
  }
  // ALTO 4 too, for catalogues.
  const alto = fresh('export-alto');
  const exa = await cli(['export', ...xmls, '--format', 'alto', '-o', alto, '-q']);
  expect(exa.code, exa.err).toBe(0);
  for (const f of fs.readdirSync(alto).filter((x) => x.endsWith('.xml'))) {
    const xml = fs.readFileSync(path.join(alto, f), 'utf8');
    const doc = readDocument(xml).doc;
    expect(doc.format.kind).toBe('alto');
    const res = await validateAgainstXsd(xml, SCHEMAS, doc.format);
    expect(res.errors.slice(0, 3), f).toEqual([]);
  }
  // Re-import: the exported PAGE files with the project's images give the same documents.
  const again = fresh('again');
  const images = result.pages.map((p) => path.join(project, p.imagePath!));
  const r2 = await cli(['import', ...exported.map((f) => path.join(out, f)), ...images, '-p', again, '--json']);
  expect(r2.code, r2.err).toBe(0);
  const result2 = JSON.parse(r2.out) as typeof result;
  expect(result2.pages.map((p) => p.imagePath).sort()).toEqual(result.pages.map((p) => p.imagePath).sort());
  for (const p of result2.pages) {
    const back = fs.readFileSync(path.join(again, p.xmlPath!), 'utf8');
    const exportedXml = fs.readFileSync(path.join(out, path.basename(p.xmlPath!)), 'utf8');
    expect(back).toBe(exportedXml);
    expect(texts(back)).toEqual(texts(fs.readFileSync(path.join(project, p.xmlPath!), 'utf8')));
    expect(fs.readFileSync(path.join(again, p.imagePath!)).equals(fs.readFileSync(path.join(project, p.imagePath!)))).toBe(true);
  }
  return { project, pages: result.pages.map((p) => p.id) };
}

describe('import of real exports', () => {
  it('a Transkribus export folder (mets.xml + page/): the pages present, in order, the missing ones reported', async () => {
    const src = path.join(CORPUS, 'transkribus-export-M_Otter_012');
    const r = await cli(['import', src, '-p', fresh('tk')]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/9 image\(s\) of group IMG and 9 PAGE file\(s\) of group PAGEXML it lists are not in the folder/);
    const { project, pages } = await roundTrip([src]);
    expect(pages).toEqual(['M_Otterskirchen_012_0006.jpg']);
    // Bytes kept: the PAGE file names its image already.
    expect(fs.readFileSync(path.join(project, 'page', 'M_Otterskirchen_012_0006.xml'), 'utf8')).toBe(fs.readFileSync(path.join(src, 'page', 'M_Otterskirchen_012_0006.xml'), 'utf8'));
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'htr-studio.json'), 'utf8')) as { imports: { pages: string[]; sources: string[] }[] };
    expect(manifest.imports[0]!.pages).toEqual(pages);
    expect(fs.readdirSync(path.join(project, '.htr-studio'))).toEqual([]);
  });

  it('a Transkribus export as a zip (one document folder inside)', async () => {
    const src = path.join(CORPUS, 'transkribus-export-M_Otter_012');
    const zip = path.join(tmp, 'transkribus.zip');
    const files = ['mets.xml', 'metadata.xml', 'M_Otterskirchen_012_0006.jpg', 'page/M_Otterskirchen_012_0006.xml'];
    fs.writeFileSync(zip, makeZip(files.map((f) => ({ name: `M_Otter_012/${f}`, data: fs.readFileSync(path.join(src, f)) }))));
    const { pages } = await roundTrip([zip]);
    expect(pages).toEqual(['M_Otterskirchen_012_0006.jpg']);
  });

  it('an eScriptorium PAGE export zip (XML and images side by side)', async () => {
    const src = path.join(CORPUS, 'escriptorium-tapuscorpus-page');
    const zip = path.join(tmp, 'escriptorium-page.zip');
    fs.writeFileSync(zip, makeZip(fs.readdirSync(src).sort().map((f) => ({ name: f, data: fs.readFileSync(path.join(src, f)) }))));
    const { pages } = await roundTrip([zip]);
    expect(pages.sort()).toEqual(['0_4a125_default.jpg', 'FRAN_0011_11140_L-medium.jpg']);
  });

  it('a zip with two transcriptions of one image: two pages, the image in each', async () => {
    const src = path.join(CORPUS, 'escriptorium-tapuscorpus-page');
    const xml = fs.readFileSync(path.join(src, '0_4a125_default.xml'));
    const zip = path.join(tmp, 'twice.zip');
    fs.writeFileSync(zip, makeZip([{ name: '0_4a125_default.jpg', data: fs.readFileSync(path.join(src, '0_4a125_default.jpg')) }, { name: '0_4a125_default.xml', data: xml }, { name: 'second.xml', data: xml }]));
    const project = fresh('twice');
    const r = await importSources(project, [zip]);
    expect(r.pages.map((p) => p.id).sort()).toEqual(['0_4a125_default-2.jpg', '0_4a125_default.jpg']);
    for (const p of r.pages) expect(readDocument(fs.readFileSync(path.join(project, p.xmlPath!), 'utf8')).doc.page.imageFilename).toBe(p.imagePath);
  });

  it('an eScriptorium ALTO export zip: ALTO becomes PAGE 2019, the text kept', async () => {
    const src = path.join(CORPUS, 'escriptorium-testaments-alto');
    const zip = path.join(tmp, 'escriptorium-alto.zip');
    fs.writeFileSync(zip, makeZip(fs.readdirSync(src).sort().map((f) => ({ name: f, data: fs.readFileSync(path.join(src, f)) }))));
    const { project } = await roundTrip([zip]);
    const xml = fs.readFileSync(path.join(project, 'page', 'TestamentsDePoilus_will_AN_0155-0.xml'), 'utf8');
    const doc = readDocument(xml).doc;
    expect(doc.format).toMatchObject({ kind: 'page', version: '2019-07-15' });
    expect(doc.page.imageFilename).toBe('TestamentsDePoilus_will_AN_0155-0.jpg');
    expect(texts(xml)).toEqual(allLines(readDocument(fs.readFileSync(path.join(src, 'TestamentsDePoilus_will_AN_0155-0.xml'), 'utf8')).doc.page.regions).map(lineText));
  });

  it('an OCR-D workspace: the image group and the ground-truth PAGE group of its mets.xml; --file-group must name a group', async () => {
    const src = path.join(CORPUS, 'ocrd-gt-structure-text', 'laube_europa0202_1837');
    const { project, pages } = await roundTrip([src]);
    expect(pages).toEqual(['laube_europa0202_1837_0006.jpg']);
    // The image it named from the workspace root (GT-PAGE/…) is now the one beside it.
    expect(readDocument(fs.readFileSync(path.join(project, 'page', 'laube_europa0202_1837_0006.xml'), 'utf8')).doc.page.imageFilename).toBe('laube_europa0202_1837_0006.jpg');
    // The binarised images instead, each with the PAGE file of its physical page (the structure map pairs them).
    const bin = fresh('ocrd');
    const chosen = await cli(['import', src, '-p', bin, '--file-group', 'OCR-D-BIN', '--file-group', 'OCR-D-GT-SEG-PAGE', '--json']);
    expect(chosen.code, chosen.err).toBe(0);
    expect((JSON.parse(chosen.out) as { pages: { id: string; xmlPath: string }[] }).pages).toMatchObject([{ id: 'laube_europa0202_1837_0006_B.tif', xmlPath: 'page/laube_europa0202_1837_0006_B.xml' }]);
    expect(readDocument(fs.readFileSync(path.join(bin, 'page', 'laube_europa0202_1837_0006_B.xml'), 'utf8')).doc.page.imageFilename).toBe('laube_europa0202_1837_0006_B.tif');
    const bad = await cli(['import', src, '-p', fresh('ocrd'), '--file-group', 'NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no file group "NOPE"; it has .*OCR-D-IMG/);
  });

  it('loose files: a PAGE file and its image, into a project that has a page of that name already (the new one gets -2)', async () => {
    const dir = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
    const project = fresh('loose');
    const src = [path.join(dir, 'page', 'PH 1858-535.xml'), path.join(dir, 'PH 1858-535.jpg')];
    expect((await cli(['import', ...src, '-p', project])).code).toBe(0);
    const r = await cli(['import', ...src, '-p', project, '--json']);
    expect(r.code, r.err).toBe(0);
    const pages = (JSON.parse(r.out) as { pages: { id: string; xmlPath: string }[] }).pages;
    expect(pages.map((p) => p.id)).toEqual(['PH 1858-535-2.jpg']);
    expect(readDocument(fs.readFileSync(path.join(project, pages[0]!.xmlPath), 'utf8')).doc.page.imageFilename).toBe('PH 1858-535-2.jpg');
    expect((await scanProject(project)).map((p) => [p.id, p.xmlPath])).toEqual([['PH 1858-535.jpg', 'page/PH 1858-535.xml'], ['PH 1858-535-2.jpg', 'page/PH 1858-535-2.xml']]);
  });

  it('--reference links the images (the same file, no copy)', async () => {
    const img = path.join(tmp, 'ref.png');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#fff' } }).png().toFile(img);
    const project = fresh('ref');
    expect((await cli(['import', img, '-p', project, '--reference'])).code).toBe(0);
    expect(fs.statSync(path.join(project, 'ref.png')).ino).toBe(fs.statSync(img).ino);
  });
});

describe('images', () => {
  it('a multi-page TIFF becomes one PNG page per TIFF page, in order', async () => {
    const w = 40;
    const h = 30;
    const raw = Buffer.alloc(w * h * 3 * 3);
    for (let i = 0; i < 3; i++) raw.fill(40 + 80 * i, i * w * h * 3, (i + 1) * w * h * 3);
    const tif = path.join(tmp, 'scan.tif');
    await sharp(raw, { raw: { width: w, height: h * 3, channels: 3, pageHeight: h } }).tiff().toFile(tif);
    const project = fresh('tiff');
    const result = await importSources(project, [tif]);
    expect(result.pages.map((p) => p.id)).toEqual(['scan_0001.png', 'scan_0002.png', 'scan_0003.png']);
    for (const [i, p] of result.pages.entries()) {
      const { data, info } = await sharp(path.join(project, p.imagePath!)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([w, h]);
      expect(data[0]).toBe(40 + 80 * i);
    }
  });
});

describe('PDF', () => {
  it('each page rendered at the chosen resolution (a blue rectangle where the PDF draws it), named after the file, in order', async () => {
    const pdf = path.join(tmp, 'letter.pdf');
    // Page 1: 2 × 1 inches, a blue rectangle in the middle; page 2: 1 × 2 inches, red in the lower left.
    fs.writeFileSync(pdf, makePdf([{ width: 144, height: 72, content: '0 0 1 rg 36 18 72 36 re f' }, { width: 72, height: 144, content: '1 0 0 rg 0 0 36 36 re f' }]));
    const project = fresh('pdf');
    const r = await cli(['import', pdf, '-p', project, '--dpi', '100', '--json']);
    expect(r.code, r.err).toBe(0);
    const pages = (JSON.parse(r.out) as { pages: { id: string }[] }).pages.map((p) => p.id);
    expect(pages).toEqual(['letter_0001.png', 'letter_0002.png']);
    const one = await sharp(path.join(project, 'letter_0001.png')).raw().toBuffer({ resolveWithObject: true });
    expect([one.info.width, one.info.height, one.info.channels]).toEqual([200, 100, 3]);
    const at = (x: number, y: number): number[] => [...one.data.subarray((y * one.info.width + x) * 3, (y * one.info.width + x) * 3 + 3)];
    expect(at(100, 50)).toEqual([0, 0, 255]);
    expect(at(5, 5)).toEqual([255, 255, 255]);
    const two = await sharp(path.join(project, 'letter_0002.png')).metadata();
    expect([two.width, two.height]).toEqual([100, 200]);
    // 300 dpi unless told.
    const p300 = await importSources(fresh('pdf300'), [pdf]);
    expect(p300.pages.length).toBe(2);
  });

  it('a scanned page (a JPEG in the PDF) comes out as the scan, at the resolution asked', async () => {
    // Left half dark, right half light, 400 × 200 px on a 4 × 2 inch page: 100 dpi is the scan's own resolution.
    const raw = Buffer.alloc(400 * 200 * 3);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 400; x++) raw.fill(x < 200 ? 30 : 220, (y * 400 + x) * 3, (y * 400 + x) * 3 + 3);
    const jpeg = await sharp(raw, { raw: { width: 400, height: 200, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const pdf = path.join(tmp, 'scan.pdf');
    fs.writeFileSync(pdf, makePdf([{ width: 288, height: 144, jpeg: { data: jpeg, width: 400, height: 200 } }]));
    const project = fresh('scan');
    const r = await importSources(project, [pdf], { dpi: 100 });
    const { data, info } = await sharp(path.join(project, r.pages[0]!.imagePath!)).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([400, 200]);
    expect(Math.abs(data[100 * 400 + 50]! - 30)).toBeLessThan(12);
    expect(Math.abs(data[100 * 400 + 350]! - 220)).toBeLessThan(12);
  });

  it('a truncated PDF: a clear error, nothing made', async () => {
    const pdf = path.join(tmp, 'cut.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj\n<< /Type /Catalog');
    const project = fresh('cut');
    const r = await cli(['import', pdf, '-p', project]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cut\.pdf is not a readable PDF/);
    expect(fs.existsSync(project)).toBe(false);
  });
});

describe('IIIF', () => {
  let server: IiifServer;
  beforeAll(async () => {
    server = await startIiifServer();
  });
  afterAll(() => server.close());
  const unchanged = (s: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('.htr-studio')));

  it('Presentation 3 from a URL and 2 from a file: one page per canvas, in order, named by canvas, with download progress', async () => {
    const project = fresh('iiif3');
    const events: string[] = [];
    const r = await importSources(project, [`${server.base}/v3/manifest.json`], { requestDelayMs: 5, onProgress: (p) => events.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(r.pages.map((p) => p.id)).toEqual(['0001_p. 1.png', '0002_p. 2.png', '0003_p. 3.png']);
    for (const [i, p] of r.pages.entries()) expect((await sharp(path.join(project, p.imagePath!)).raw().toBuffer())[0]).toBe([40, 120, 200][i]);
    expect(events).toContain('pages:1/3');
    expect(events.some((e) => /^download:\d+\/\d+$/.test(e))).toBe(true);
    // The downloads are gone once the pages are in the project.
    expect(fs.readdirSync(path.join(project, '.htr-studio'))).toEqual([]);

    const file = path.join(tmp, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify(manifestV2(server.base, [0, 1].map((i) => `${server.base}/img/${i}.png`))));
    const c = await cli(['import', file, '-p', fresh('iiif2'), '--json']);
    expect(c.code, c.err).toBe(0);
    expect((JSON.parse(c.out) as { pages: { id: string }[] }).pages.map((p) => p.id)).toEqual(['0001_f. 1r.png', '0002_f. 2r.png']);
  });

  it('resumable: a run that fails midway keeps what it fetched (and nothing in the project); the rerun fetches only the rest', async () => {
    const project = fresh('resume');
    fs.mkdirSync(project);
    const before = snapshot(project);
    server.hits.clear();
    server.failing.add('/img/2.png');
    await expect(importSources(project, [`${server.base}/v2/manifest.json`], { requestDelayMs: 5 })).rejects.toThrow(/img\/2\.png: the server answered 500/);
    expect(unchanged(snapshot(project))).toEqual(before);
    server.failing.clear();
    const r = await importSources(project, [`${server.base}/v2/manifest.json`], { requestDelayMs: 5 });
    expect(r.pages.length).toBe(3);
    expect([server.hits.get('/img/0.png'), server.hits.get('/img/1.png'), server.hits.get('/img/2.png')]).toEqual([1, 1, 2]);
  });

  it('cancel during a download: nothing in the project', async () => {
    const project = fresh('cancel');
    fs.mkdirSync(project);
    const before = snapshot(project);
    server.slowMs = 300;
    const abort = new AbortController();
    try {
      const run = importSources(project, [`${server.base}/v3/manifest.json`], { requestDelayMs: 5, signal: abort.signal, onProgress: (p) => p.phase === 'pages' && p.done === 1 && abort.abort() });
      await expect(run).rejects.toThrow();
    } finally {
      server.slowMs = 0;
    }
    expect(unchanged(snapshot(project))).toEqual(before);
    expect(fs.readdirSync(project).filter((f) => f !== '.htr-studio')).toEqual([]);
  });

  it('refused: a huge image (announced, and streamed without a length), an image that is not http(s), a manifest URL that is not http(s)', async () => {
    const project = fresh('hostile-iiif');
    fs.mkdirSync(project);
    const before = snapshot(project);
    const huge = await cli(['import', `${server.base}/huge/manifest.json`, '-p', project]);
    expect(huge.code).toBe(2);
    expect(huge.err).toMatch(/huge\.png is 5\.0 GB, more than the 200\.0 MB an image may have; refused/);
    await expect(importSources(project, [`${server.base}/endless/manifest.json`], { requestDelayMs: 5, maxImageBytes: 1024 * 1024 })).rejects.toThrow(/endless\.png is more than the 1\.0 MB/);
    const file = await cli(['import', `${server.base}/file-scheme/manifest.json`, '-p', project]);
    expect(file.code).toBe(2);
    expect(file.err).toMatch(/file:\/\/\/etc\/passwd is not an http\(s\) address; refused/);
    const notHttp = await cli(['import', 'ftp://127.0.0.1/manifest.json', '-p', project]);
    expect(notHttp.err).toMatch(/only http:\/\/ and https:\/\//);
    const collection = path.join(tmp, 'collection.json');
    fs.writeFileSync(collection, JSON.stringify({ '@context': 'http://iiif.io/api/presentation/3/context.json', id: 'x', type: 'Collection', items: [{ id: `${server.base}/v3/manifest.json`, type: 'Manifest' }] }));
    expect((await cli(['import', collection, '-p', project])).err).toMatch(/is a IIIF Collection, not a manifest/);
    const notFound = await cli(['import', `${server.base}/nothing.json`, '-p', project]);
    expect(notFound.err).toMatch(/404/);
    expect(unchanged(snapshot(project))).toEqual(before);
  });
});

describe('the engine\'s import job (the editor\'s Import)', () => {
  it('imports into the open project with progress events; the page list has the new pages; bad sources are refused at the door', async () => {
    const project = fresh('service');
    fs.mkdirSync(project);
    const service = new LocalProjectService(project, { cacheDir: fresh('cache') });
    const events: JobEvent[] = [];
    service.jobEvents.subscribe((e) => events.push(e));
    const pdf = path.join(tmp, 'service.pdf');
    fs.writeFileSync(pdf, makePdf([{ width: 72, height: 72, content: '0 g 10 10 20 20 re f' }, { width: 72, height: 72, content: '0 g 30 30 20 20 re f' }]));
    const started = await dispatch(service, 'importSources', [{ sources: [pdf], reference: false, dpi: 72, fileGroups: [] }]);
    expect(started.ok).toBe(true);
    await service.jobs.idle();
    const finished = events.find((e) => e.type === 'finished');
    expect(finished).toMatchObject({ status: 'done', message: 'imported 2 page(s)' });
    expect(events.some((e) => e.type === 'progress' && e.total === 2)).toBe(true);
    expect((await service.listPages()).map((p) => p.id)).toEqual(['service_0001.png', 'service_0002.png']);

    const relative = await dispatch(service, 'importSources', [{ sources: ['some/file.pdf'], reference: false, dpi: null, fileGroups: [] }]);
    expect(relative).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const failed: JobEvent[] = [];
    service.jobEvents.subscribe((e) => e.type === 'finished' && failed.push(e));
    await dispatch(service, 'importSources', [{ sources: [path.join(tmp, 'nothing-here.pdf')], reference: false, dpi: null, fileGroups: [] }]);
    await service.jobs.idle();
    expect(failed[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/no such file or folder/) as unknown });
    // The native file dialog is the desktop app's; the engine says so.
    expect(await dispatch(service, 'chooseImportSources', ['files'])).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('the desktop app answers chooseImportSources with its native dialog\'s paths', async () => {
    const asked: string[] = [];
    const engine = { service: {} as StudioService } as unknown as EngineClient;
    const svc = new DesktopService(() => engine, async () => undefined, () => undefined, async () => undefined, undefined, async (kind) => (asked.push(kind), kind === 'files' ? ['/a.pdf', '/b.jpg'] : []));
    expect(await svc.chooseImportSources('files')).toEqual(['/a.pdf', '/b.jpg']);
    expect(await svc.chooseImportSources('folder')).toEqual([]);
    expect(asked).toEqual(['files', 'folder']);
  });
});

describe('hostile and mistaken inputs: a clear error, the project as it was', () => {
  let project: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    project = fresh('kept');
    const img = path.join(tmp, 'kept.png');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#fff' } }).png().toFile(img);
    await importSources(project, [img]);
    before = snapshot(project);
  });

  async function refused(sources: string[], message: RegExp, extra: string[] = []): Promise<void> {
    const r = await cli(['import', ...sources, '-p', project, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(message);
    expect(snapshot(project)).toEqual(before);
  }

  it('zip slip: an entry climbing out with ..', async () => {
    const zip = path.join(tmp, 'slip.zip');
    fs.writeFileSync(zip, makeZip([{ name: 'ok.xml', data: '<x/>' }, { name: '../../evil.txt', data: 'pwned' }]));
    await refused([zip], /"\.\.\/\.\.\/evil\.txt" climbs out of its folder.*zip slip/);
    expect(fs.existsSync(path.join(tmp, 'evil.txt'))).toBe(false);
  });

  it('zip slip: an absolute path, and a symbolic link', async () => {
    const abs = path.join(tmp, 'abs.zip');
    fs.writeFileSync(abs, makeZip([{ name: '/tmp/evil.txt', data: 'pwned' }]));
    await refused([abs], /absolute path/);
    const link = path.join(tmp, 'link.zip');
    fs.writeFileSync(link, makeZip([{ name: 'page.jpg', data: '/etc/passwd', mode: 0o120777 }]));
    await refused([link], /symbolic link/);
  });

  it('a zip bomb: absurd expansion refused before anything is written, and an entry inflating beyond its declared size', async () => {
    const bomb = path.join(tmp, 'bomb.zip');
    fs.writeFileSync(bomb, makeZip([{ name: 'a.jpg', data: Buffer.alloc(20 * 1024 * 1024) }]));
    await refused([bomb], /expand \d+ times its size.*zip bomb/);
    const liar = path.join(tmp, 'liar.zip');
    fs.writeFileSync(liar, makeZip([{ name: 'a.xml', data: Buffer.alloc(200_000, 0x20), declaredSize: 100 }]));
    await refused([liar], /zip bomb|declares|size/);
  });

  it('a PDF that is not one, a zip that is not one, a file that is no image, a missing file, a non-HTTP URL', async () => {
    const fakePdf = path.join(tmp, 'fake.pdf');
    fs.writeFileSync(fakePdf, '<html>not a pdf</html>');
    await refused([fakePdf], /fake\.pdf is not a PDF/);
    const fakeZip = path.join(tmp, 'fake.zip');
    fs.writeFileSync(fakeZip, 'nope');
    await refused([fakeZip], /fake\.zip is not a zip/);
    const fakeJpg = path.join(tmp, 'fake.jpg');
    fs.writeFileSync(fakeJpg, 'nope');
    await refused([fakeJpg], /fake\.jpg is not an image HTR Studio can read/);
    await refused([path.join(tmp, 'missing.png')], /no such file or folder/);
    // A JPEG 2000 this build of sharp cannot decode (the prebuilt libvips has no OpenJPEG) says so.
    const jp2 = path.join(tmp, 'scan.jp2');
    fs.writeFileSync(jp2, Buffer.concat([Buffer.from('0000000c6a5020200d0a870a', 'hex'), Buffer.alloc(64)]));
    await refused([jp2], (sharp.format as unknown as Record<string, { input: { file: boolean } } | undefined>).jp2k?.input.file ? /scan\.jp2 is not an image HTR Studio can read/ : /no JPEG 2000 support/);
    await refused(['ftp://example.org/manifest.json'], /only http:\/\/ and https:\/\//);
    await refused(['file:///etc/passwd'], /only http:\/\/ and https:\/\//);
    await refused([path.join(project, 'kept.png')], /is in the project already/);
    await refused([project], /is in the project already/);
  });

  it('a failure after some pages were staged (a good image, then a broken one) leaves nothing', async () => {
    const good = path.join(tmp, 'good.png');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#000' } }).png().toFile(good);
    const broken = path.join(tmp, 'broken.png');
    fs.writeFileSync(broken, Buffer.concat([fs.readFileSync(good).subarray(0, 40)]));
    await refused([good, broken], /broken\.png/);
  });

  it('a cancelled import leaves nothing', async () => {
    const abort = new AbortController();
    const good = path.join(tmp, 'good2.png');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#000' } }).png().toFile(good);
    const run = importSources(project, [good, good], { signal: abort.signal, onProgress: (p) => p.phase === 'pages' && p.done === 1 && abort.abort() });
    await expect(run).rejects.toThrow();
    expect(snapshot(project)).toEqual(before);
  });

  it('usage errors: no source, no project, a project that is a file', async () => {
    expect((await cli(['import', '-p', project])).code).toBe(2);
    const notFolder = await cli(['import', path.join(tmp, 'kept.png'), '-p', path.join(tmp, 'kept.png')]);
    expect(notFolder.code).toBe(2);
    expect(notFolder.err).toMatch(/kept\.png is a file, not a project folder/);
    expect((await cli(['import', path.join(tmp, 'kept.png')])).code).toBe(2);
    expect(ImportError).toBeDefined();
  });
});
