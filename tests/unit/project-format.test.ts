/**
 * The project format (#21 items 1 and 3): htr-studio.json's documents, page order and
 * models used (old files read as before, unknown keys kept); the project's mets.xml
 * kept in step (XSD-valid, read back by the import's METS reader in the same order,
 * never over a METS another program wrote); `export --format mets`. Real corpus pages
 * are copied into temporary folders; the corpus stays read-only.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { importSources } from '../../electron/node/import/import-project.js';
import { readMets } from '../../electron/node/import/mets.js';
import { scanProject } from '../../electron/node/project/scan.js';
import { readProjectManifest, recordModelUse, updatePageEntries, MANIFEST_NAME } from '../../electron/node/project/project-manifest.js';
import { reorderPages, syncProjectMets } from '../../electron/node/project/project-mets.js';
import { expandProjectFolders } from '../../electron/node/project/project-inputs.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { JobEventHub } from '../../electron/common/api/job-events.js';
import type { JobEvent } from '../../electron/common/api/service.js';
import type { ModelProvider } from '../../electron/node/jobs/model-catalog.js';
import type { LineRecognizer } from '../../electron/node/recognition/recognizer.js';
import { metsOwnership } from '../../electron/common/formats/mets-write.js';
import { exportGroundTruth, plainCutter } from '../../electron/node/export/gt-export.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { findPageImage } from '../../electron/node/images/find-image.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { metsXsdErrors } from '../helpers/mets-xsd.js';
import { tempRoot, TIMEUS_DIR, TIMEUS_NAME, timeusProject } from '../helpers/timeus-project.js';

const root = tempRoot('htr-project-format-');

/** Three real pages (eScriptorium TIME US and TapusCorpus), as image + PAGE-XML pairs. */
const REAL = [
  { name: TIMEUS_NAME, image: path.join(TIMEUS_DIR, `${TIMEUS_NAME}.jpg`), xml: path.join(TIMEUS_DIR, 'page', `${TIMEUS_NAME}.xml`) },
  ...['0_4a125_default', 'FRAN_0011_11140_L-medium'].map((n) => ({ name: n, image: path.join(CORPUS, 'escriptorium-tapuscorpus-page', `${n}.jpg`), xml: path.join(CORPUS, 'escriptorium-tapuscorpus-page', `${n}.xml`) })),
];
/** The order the METS below gives: not the order of the names (0_…, FRAN_…, PH …). */
const METS_ORDER = [TIMEUS_NAME, '0_4a125_default', 'FRAN_0011_11140_L-medium'];

/** A Transkribus-style export folder (mets.xml with IMG and PAGEXML groups, PAGE in page/) holding the real pages in METS_ORDER. */
function workspace(name = 'register-1858'): string {
  const dir = path.join(fs.mkdtempSync(path.join(root(), 'ws-')), name);
  fs.mkdirSync(path.join(dir, 'page'), { recursive: true });
  const files: string[] = [];
  const divs: string[] = [];
  METS_ORDER.forEach((n, i) => {
    const p = REAL.find((r) => r.name === n)!;
    fs.copyFileSync(p.image, path.join(dir, `${n}.jpg`));
    fs.copyFileSync(p.xml, path.join(dir, 'page', `${n}.xml`));
    files.push(`<mets:file ID="IMG_${i}" MIMETYPE="image/jpeg"><mets:FLocat LOCTYPE="OTHER" OTHERLOCTYPE="FILE" xlink:href="${n}.jpg"/></mets:file>`);
    divs.push(`<mets:div ID="p${i}" TYPE="SINGLE_PAGE" ORDER="${i + 1}"><mets:fptr><mets:area FILEID="IMG_${i}"/></mets:fptr><mets:fptr><mets:area FILEID="PAGE_${i}"/></mets:fptr></mets:div>`);
  });
  const pages = METS_ORDER.map((n, i) => `<mets:file ID="PAGE_${i}" MIMETYPE="application/xml"><mets:FLocat LOCTYPE="OTHER" OTHERLOCTYPE="FILE" xlink:href="page/${n}.xml"/></mets:file>`);
  fs.writeFileSync(path.join(dir, 'mets.xml'), `<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
<mets:metsHdr><mets:agent ROLE="CREATOR" TYPE="ORGANIZATION"><mets:name>Transkribus</mets:name></mets:agent></mets:metsHdr>
<mets:fileSec><mets:fileGrp ID="MASTER"><mets:fileGrp ID="IMG">${files.join('')}</mets:fileGrp><mets:fileGrp ID="PAGEXML">${pages.join('')}</mets:fileGrp></mets:fileGrp></mets:fileSec>
<mets:structMap TYPE="MANUSCRIPT"><mets:div ID="doc" TYPE="DOCUMENT">${divs.join('')}</mets:div></mets:structMap>
</mets:mets>
`);
  return dir;
}

const newProject = (): string => path.join(fs.mkdtempSync(path.join(root(), 'project-')), 'p');
const names = async (dir: string): Promise<string[]> => (await scanProject(dir)).map((p) => p.name);
const readJson = (dir: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')) as Record<string, unknown>;

/** What the import's METS reader makes of a mets.xml: the image and PAGE hrefs of each group, in its page order. */
async function metsHrefs(file: string): Promise<Record<string, string[]>> {
  return Object.fromEntries((await readMets(file)).map((g) => [g.name, g.files.map((f) => f.href)]));
}

describe('page order and documents in htr-studio.json', () => {
  it('an import keeps the source\'s page order (not the names\'), makes one document per source, and new pages follow', async () => {
    const project = newProject();
    await importSources(project, [workspace()]);
    expect(await names(project)).toEqual(METS_ORDER);
    const m = await readProjectManifest(project);
    expect(m.order).toEqual(METS_ORDER.map((n) => `${n}.jpg`));
    expect(m.documents).toEqual([{ name: 'register-1858', pages: METS_ORDER.map((n) => `${n}.jpg`) }]);

    // A second import of the same source: its own document (the name made unique), its pages after the first ones.
    await importSources(project, [workspace()]);
    const after = await readProjectManifest(project);
    expect(after.documents.map((d) => d.name)).toEqual(['register-1858', 'register-1858 (2)']);
    expect(await names(project)).toEqual([...METS_ORDER, ...METS_ORDER.map((n) => `${n}-2`)]);

    // An image put into the folder by hand: listed after the ordered pages.
    fs.copyFileSync(REAL[0]!.image, path.join(project, '00-first-by-name.jpg'));
    expect((await names(project)).at(-1)).toBe('00-first-by-name');
  });

  it('an old htr-studio.json reads as before; models used are recorded without losing statuses or unknown keys', async () => {
    const dir = timeusProject(root(), ['a', 'b']);
    const old = { htrStudioProject: 1, pages: { 'a.jpg': { status: 'done', changed: '2026-12-01T00:00:00.000Z', note: 'kept' } }, somethingNew: { x: 1 } };
    fs.writeFileSync(path.join(dir, MANIFEST_NAME), JSON.stringify(old));
    const m = await readProjectManifest(dir);
    expect(m.pages).toEqual({ 'a.jpg': { status: 'done', changed: '2026-12-01T00:00:00.000Z' } });
    expect(m.order).toEqual([]);
    expect(m.documents).toEqual([]);
    expect(await names(dir)).toEqual(['a', 'b']);

    await recordModelUse(dir, 'a.jpg', 'recognition', { id: 'htr-default', version: 'step-24054' });
    await recordModelUse(dir, 'b.jpg', 'layout', { id: 'layout-default' });
    await updatePageEntries(dir, () => ({ 'a.jpg': { status: 'ground-truth', changed: '2026-12-02T00:00:00.000Z' } }));
    const raw = readJson(dir);
    expect(raw.somethingNew).toEqual({ x: 1 });
    const pages = raw.pages as Record<string, Record<string, unknown>>;
    expect(pages['a.jpg']).toMatchObject({ status: 'ground-truth', note: 'kept', models: { recognition: { id: 'htr-default', version: 'step-24054' } } });
    const now = await readProjectManifest(dir);
    expect(now.pages['a.jpg']!.models!.recognition!.id).toBe('htr-default');
    // A page listed only for its model is still a new page.
    expect(now.pages['b.jpg']).toMatchObject({ status: 'new', models: { layout: { id: 'layout-default' } } });
  });

  it('a recognition job records the model on every page it writes', async () => {
    const dir = timeusProject(root(), ['a', 'b']);
    const rec = {
      manifest: { id: 'fake-rec', version: 'v7', name: 'fake', family: 'other', task: 'recognition', licence: 'none' },
      input: { height: 32, channels: 1, invert: false, normalize: { scale: 1, mean: 0, std: 1 }, padValue: 255 },
      async recognize(lines: readonly unknown[]) {
        return lines.map((_, i) => ({ text: `line ${i + 1}`, chars: [], conf: 0.5 }));
      },
      async dispose() {},
    } as unknown as LineRecognizer;
    const info = { id: 'fake-rec', name: 'fake', family: 'other' as const, description: '', languages: [], origin: 'builtin' as const, isDefault: true };
    const models: ModelProvider = { recognizers: () => [info], detectors: () => [], recognizer: async () => rec, detector: async () => { throw new Error('none'); }, dispose: async () => undefined };
    const events = new JobEventHub();
    const done = new Promise<JobEvent>((resolve) => events.subscribe((e) => e.type === 'finished' && resolve(e)));
    const service = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache'), models, events });
    const a = await service.openPage('a.jpg');
    await service.startJob({ kind: 'recognize', scope: 'project', pageId: 'a.jpg', xml: a.xml, lineIds: [], modelId: null, replaceCorrected: true, beam: null } as never);
    expect(await done).toMatchObject({ status: 'done', message: '96 lines recognised on 2 pages (1 saved)' });
    const m = await readProjectManifest(dir);
    for (const id of ['a.jpg', 'b.jpg']) expect(m.pages[id]?.models?.recognition).toMatchObject({ id: 'fake-rec', version: 'v7' });
  });
});

describe('the project\'s mets.xml', () => {
  it('is written on import: XSD-valid, OCR-D groups, read back by the METS reader with the same pages in the same order', async () => {
    const project = newProject();
    await importSources(project, [workspace()]);
    const text = fs.readFileSync(path.join(project, 'mets.xml'), 'utf8');
    expect(await metsXsdErrors(text)).toEqual([]);
    expect(metsOwnership(text).ours).toBe(true);
    expect(text).toContain('<mets:FLocat LOCTYPE="OTHER" OTHERLOCTYPE="FILE" xlink:href="page/');
    const pages = await scanProject(project);
    expect(await metsHrefs(path.join(project, 'mets.xml'))).toEqual({
      'OCR-D-IMG': pages.map((p) => p.imagePath),
      'OCR-D-GT-SEG-LINE': pages.map((p) => p.xmlPath),
    });
    // Every file it lists is there, relative to the mets.xml.
    for (const g of await readMets(path.join(project, 'mets.xml'))) for (const f of g.files) expect(fs.existsSync(f.file!)).toBe(true);

    // Imported elsewhere, the project gives the same pages in the same order (read as a project: its ALTO files come too).
    const alto = path.join(CORPUS, 'escriptorium-tapuscorpus-alto', 'FRAN_0150_0001_L-medium');
    fs.copyFileSync(`${alto}.xml`, path.join(project, 'page', 'z-alto.xml'));
    fs.copyFileSync(`${alto}.jpg`, path.join(project, 'z-alto.jpg'));
    await syncProjectMets(project, { create: false });
    expect((await metsHrefs(path.join(project, 'mets.xml'))).ALTO).toEqual(['page/z-alto.xml']);
    expect(await metsXsdErrors(fs.readFileSync(path.join(project, 'mets.xml'), 'utf8'))).toEqual([]);
    const again = newProject();
    await importSources(again, [project]);
    expect(await names(again)).toEqual([...METS_ORDER, 'z-alto']);
    expect((await scanProject(again)).at(-1)!.xmlPath).toBe('page/z-alto.xml');
  });

  it('follows a reorder, a page added by hand and a page\'s first save, but not a text save', async () => {
    const project = newProject();
    await importSources(project, [workspace()]);
    const mets = path.join(project, 'mets.xml');
    const reversed = [...METS_ORDER].reverse();
    expect(await reorderPages(project, reversed.map((n) => `${n}.jpg`))).toBe('written');
    expect(await names(project)).toEqual(reversed);
    expect((await metsHrefs(mets))['OCR-D-IMG']).toEqual(reversed.map((n) => `${n}.jpg`));

    // An image dropped into the folder: the page list puts it last, and mets.xml follows.
    fs.copyFileSync(REAL[1]!.image, path.join(project, 'zz-extra.jpg'));
    const service = new LocalProjectService(project, { cacheDir: path.join(root(), 'cache') });
    expect((await service.listPages()).map((p) => p.name)).toEqual([...reversed, 'zz-extra']);
    let hrefs = await metsHrefs(mets);
    expect(hrefs['OCR-D-IMG']).toEqual([...reversed, 'zz-extra'].map((n) => `${n}.jpg`));
    expect(hrefs['OCR-D-GT-SEG-LINE']).toHaveLength(3);

    // Its first save gives it a PAGE file: listed at once.
    const opened = await service.openPage('zz-extra.jpg');
    await service.savePage('zz-extra.jpg', opened.xml, opened.revision);
    hrefs = await metsHrefs(mets);
    expect(hrefs['OCR-D-GT-SEG-LINE']).toEqual([...reversed.map((n) => `page/${n}.xml`), 'page/zz-extra.xml']);
    expect(await metsXsdErrors(fs.readFileSync(mets, 'utf8'))).toEqual([]);

    // A text save changes no file's name: mets.xml is not touched.
    const stat = fs.statSync(mets);
    const page = await service.openPage(`${TIMEUS_NAME}.jpg`);
    await service.savePage(`${TIMEUS_NAME}.jpg`, page.xml.replace('</PcGts>', '</PcGts>\n'), page.revision);
    expect(fs.statSync(mets).mtimeMs).toBe(stat.mtimeMs);
    expect(await syncProjectMets(project, { create: false })).toBe('unchanged');
  });

  it('the editor\'s reorderPages (through the API schema) reorders the list and mets.xml; an unknown page is refused', async () => {
    const project = newProject();
    await importSources(project, [workspace()]);
    const service = new LocalProjectService(project, { cacheDir: path.join(root(), 'cache') });
    const wanted = [METS_ORDER[2], METS_ORDER[0]].map((n) => `${n}.jpg`);
    const r = await dispatch(service, 'reorderPages', [wanted]);
    expect(r).toMatchObject({ ok: true });
    // The pages named first, the one left out after them.
    const order = [METS_ORDER[2], METS_ORDER[0], METS_ORDER[1]];
    expect((r as { value: { name: string }[] }).value.map((p) => p.name)).toEqual(order);
    expect((await metsHrefs(path.join(project, 'mets.xml')))['OCR-D-IMG']).toEqual(order.map((n) => `${n}.jpg`));
    expect(await dispatch(service, 'reorderPages', [['nope.jpg']])).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatch(service, 'reorderPages', ['a.jpg'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await names(project)).toEqual(order);
  });

  it('a mets.xml another program wrote (an OCR-D workspace) is never rewritten', async () => {
    const project = newProject();
    fs.mkdirSync(project, { recursive: true });
    const foreign = fs.readFileSync(path.join(CORPUS, 'ocrd-gt-structure-text', 'laube_europa0202_1837', 'mets.xml'), 'utf8');
    fs.writeFileSync(path.join(project, 'mets.xml'), foreign);
    const r = await importSources(project, [workspace()]);
    expect(fs.readFileSync(path.join(project, 'mets.xml'), 'utf8')).toBe(foreign);
    expect(r.warnings.join('\n')).toContain('written by another program');
    expect(await reorderPages(project, [])).toBe('foreign');
    // Nor one of ours an OCR-D processor has since added its agent to.
    const ours = newProject();
    await importSources(ours, [workspace()]);
    const file = path.join(ours, 'mets.xml');
    const touched = fs.readFileSync(file, 'utf8').replace('</mets:metsHdr>', '  <mets:agent ROLE="OTHER" TYPE="OTHER" OTHERTYPE="SOFTWARE"><mets:name>ocrd-tesserocr-recognize</mets:name></mets:agent>\n </mets:metsHdr>');
    fs.writeFileSync(file, touched);
    expect(await reorderPages(ours, [`${METS_ORDER[2]}.jpg`])).toBe('foreign');
    expect(fs.readFileSync(file, 'utf8')).toBe(touched);
  });
});

describe('documents in exports', () => {
  it('--split keeps each project document whole, and split.tsv names it', async () => {
    const project = newProject();
    await importSources(project, [workspace('vol-a'), workspace('vol-b')]);
    const out = path.join(root(), 'export-split-docs');
    const r = await exportGroundTruth(await expandProjectFolders([project]), { format: 'text', outDir: out, split: { train: 0.5, val: 0.5, test: 0 }, cut: plainCutter(), warn: () => undefined });
    expect(r.pages.train + r.pages.val).toBe(6);
    const rows = fs.readFileSync(path.join(out, 'split.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows.map((c) => c[2])).toEqual([...METS_ORDER.map(() => 'vol-a'), ...METS_ORDER.map(() => 'vol-b')]);
    for (const d of ['vol-a', 'vol-b']) expect(new Set(rows.filter((c) => c[2] === d).map((c) => c[1])).size).toBe(1);
  });
});

describe('export --format mets', () => {
  it('writes an OCR-D workspace of the project in page order: XSD-valid METS, the images and PAGE 2019 files it names', async () => {
    const project = newProject();
    await importSources(project, [workspace()]);
    const out = path.join(root(), 'export-mets');
    const inputs = await expandProjectFolders([project]);
    const warnings: string[] = [];
    const r = await exportGroundTruth(inputs, { format: 'mets', outDir: out, cut: plainCutter(), warn: (l) => warnings.push(l) });
    expect(warnings.filter((w) => w.startsWith('error'))).toEqual([]);
    expect(r.pages.train).toBe(3);
    const metsText = fs.readFileSync(path.join(out, 'mets.xml'), 'utf8');
    expect(await metsXsdErrors(metsText)).toEqual([]);
    const hrefs = await metsHrefs(path.join(out, 'mets.xml'));
    expect(hrefs['OCR-D-IMG']).toEqual(METS_ORDER.map((n) => `OCR-D-IMG/${n}.jpg`));
    expect(hrefs['OCR-D-GT-SEG-LINE']).toEqual(METS_ORDER.map((n) => `OCR-D-GT-SEG-LINE/${n}.xml`));
    for (const n of METS_ORDER) {
      const file = path.join(out, 'OCR-D-GT-SEG-LINE', `${n}.xml`);
      const xml = fs.readFileSync(file, 'utf8');
      const doc = readDocument(xml).doc;
      expect((await validateAgainstXsd(xml, SCHEMAS, doc.format)).errors.slice(0, 3)).toEqual([]);
      expect(doc.page.imageFilename).toBe(`OCR-D-IMG/${n}.jpg`);
      expect(findPageImage(file, doc.page.imageFilename)).toBe(path.join(out, 'OCR-D-IMG', `${n}.jpg`));
      // The image is the page's own, byte for byte, and the lines all came along.
      const src = REAL.find((p) => p.name === n)!;
      expect(fs.readFileSync(path.join(out, 'OCR-D-IMG', `${n}.jpg`)).equals(fs.readFileSync(src.image))).toBe(true);
      expect(allLines(doc.page.regions).length).toBe(allLines(readDocument(fs.readFileSync(src.xml, 'utf8')).doc.page.regions).length);
    }
    // Re-imported, the export is the same pages in the same order.
    const back = newProject();
    await importSources(back, [out]);
    expect(await names(back)).toEqual(METS_ORDER);
  });

  it('--status and --split: only the pages asked for, one workspace per split folder', async () => {
    const project = newProject();
    await importSources(project, [workspace()]);
    await updatePageEntries(project, () => ({ [`${TIMEUS_NAME}.jpg`]: { status: 'ground-truth' }, ['FRAN_0011_11140_L-medium.jpg']: { status: 'ground-truth' } }));
    const out = path.join(root(), 'export-mets-gt');
    const r = await exportGroundTruth(await expandProjectFolders([project]), { format: 'mets', outDir: out, statuses: ['ground-truth'], split: { train: 0.5, val: 0.5, test: 0 }, cut: plainCutter(), warn: () => undefined });
    expect(r.filtered).toBe(1);
    const listed: string[] = [];
    for (const s of ['train', 'val']) {
      const file = path.join(out, s, 'mets.xml');
      if (!fs.existsSync(file)) continue;
      expect(await metsXsdErrors(fs.readFileSync(file, 'utf8'))).toEqual([]);
      listed.push(...(await metsHrefs(file))['OCR-D-IMG']!);
    }
    expect(listed.sort()).toEqual([`OCR-D-IMG/FRAN_0011_11140_L-medium.jpg`, `OCR-D-IMG/${TIMEUS_NAME}.jpg`]);
  });
});
