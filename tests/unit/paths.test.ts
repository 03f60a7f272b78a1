/**
 * Files stay where they belong: a project's pages and saves inside the project
 * folder (links to elsewhere are not followed), the image a page file names near
 * that file, a model's files inside its folder, and a model manifest's numbers
 * within what the runtime can use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPageImage } from '../../electron/node/images/find-image.js';
import { insideProject, scanProject } from '../../electron/node/project/scan.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { validateManifest } from '../../electron/common/model-manifest/manifest.js';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import { CORPUS } from '../helpers/corpus.js';

const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-paths-'));
});
afterAll(async () => {
  await pyramidBuildsSettled();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a project folder with links to elsewhere', () => {
  it('lists no page reached through a link out of the project, and never saves through one', async () => {
    const outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    const stranger = path.join(outside, `${NAME}.xml`);
    fs.copyFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), stranger);
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(outside, 'elsewhere.jpg'));
    const project = path.join(root, 'project');
    fs.mkdirSync(project);
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(project, `${NAME}.jpg`));
    fs.symlinkSync(outside, path.join(project, 'page'));
    fs.symlinkSync(path.join(outside, 'elsewhere.jpg'), path.join(project, 'linked.jpg'));

    const pages = await scanProject(project);
    expect(pages.map((p) => [p.id, p.xmlPath])).toEqual([[`${NAME}.jpg`, null]]);
    expect(await insideProject(project, path.join(project, 'page', 'x.xml'))).toBe(false);
    expect(await insideProject(project, path.join(project, 'new.xml'))).toBe(true);

    const service = new LocalProjectService(project, { cacheDir: path.join(root, 'cache') });
    const opened = await service.openPage(`${NAME}.jpg`);
    const saved = await service.savePage(`${NAME}.jpg`, opened.xml, null);
    // Beside the image, not into the linked page/ folder.
    expect(saved.xmlPath).toBe(`${NAME}.xml`);
    expect(fs.readFileSync(stranger, 'utf8')).toBe(fs.readFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), 'utf8'));
    await expect(service.openPage('linked.jpg')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('the image a page file names', () => {
  it('is looked for near the page file only: no absolute path or ../ leads elsewhere', () => {
    const dir = path.join(root, 'cli', 'book');
    fs.mkdirSync(path.join(dir, 'page'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'scan.jpg'), 'x');
    const xml = path.join(dir, 'page', 'scan.xml');
    expect(findPageImage(xml, 'scan.jpg')).toBe(path.join(dir, 'scan.jpg'));
    expect(findPageImage(xml, '../scan.jpg')).toBe(path.join(dir, 'scan.jpg'));
    // Written on another machine: found by its name.
    expect(findPageImage(xml, 'C:\\Users\\someone\\scans\\scan.jpg')).toBe(path.join(dir, 'scan.jpg'));
    expect(findPageImage(xml, '/home/someone/scans/scan.jpg')).toBe(path.join(dir, 'scan.jpg'));
    expect(findPageImage(xml, '/etc/passwd')).toBeUndefined();
    expect(findPageImage(xml, 'file:///etc/passwd')).toBeUndefined();
    expect(findPageImage(xml, '../../../../../../../../etc/passwd')).toBeUndefined();
    expect(findPageImage(xml, '../../../../../../../../etc/hostname')).toBeUndefined();
  });
});

describe('model manifests', () => {
  const good = {
    id: 'm', name: 'm', family: 'crnn-ctc', task: 'recognition', licence: 'x', file: 'model.onnx',
    input: { height: 48, channels: 1, invert: true, normalize: { scale: 1, mean: 0, std: 1 }, padValue: 0 },
    output: { layout: 'TBC' }, charset: ['a'], blank: 0,
  };
  const withInput = (over: Record<string, unknown>) => ({ ...good, input: { ...good.input, ...over } });

  it('accepts a sound one', () => {
    expect(validateManifest(good).id).toBe('m');
  });

  it('keeps the files it names inside its folder', () => {
    for (const file of ['../../../etc/passwd', '/etc/passwd', 'sub/model.onnx', '..', '.hidden']) {
      expect(() => validateManifest({ ...good, file }), file).toThrow(/file must be a file name in the model folder/);
    }
    expect(() => validateManifest({ ...good, charsetFile: '../charset.txt' })).toThrow(/charsetFile must be a file name/);
  });

  it('refuses numbers the runtime cannot use: std 0, scale 0, negative sizes, a fractional blank', () => {
    expect(() => validateManifest(withInput({ normalize: { scale: 1, mean: 0, std: 0 } }))).toThrow(/std must be above 0/);
    expect(() => validateManifest(withInput({ normalize: { scale: 1, mean: 0, std: [1, 0, 1] } }))).toThrow(/std must be above 0/);
    expect(() => validateManifest(withInput({ normalize: { scale: 0, mean: 0, std: 1 } }))).toThrow(/scale must be above 0/);
    expect(() => validateManifest(withInput({ minWidth: 0 }))).toThrow(/minWidth must be a whole number from 1/);
    expect(() => validateManifest(withInput({ padding: -3 }))).toThrow(/padding must be a whole number from 0/);
    expect(() => validateManifest(withInput({ padValue: 300 }))).toThrow(/padValue must be from 0 to 255/);
    expect(() => validateManifest({ ...good, blank: 1.5 })).toThrow(/blank must be a whole number/);
  });
});
