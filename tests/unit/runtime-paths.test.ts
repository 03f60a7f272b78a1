/**
 * The one path module (electron/node/paths.ts): every runtime path in the dev
 * (checkout), browser and packaged (installed app) layouts, the per-OS user
 * folders, the environment overrides, and the session log beside them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageFile, resolvePaths, runtimePaths, tileCacheDir, unpackedPath, userDataDir, userModelsDir } from '../../electron/node/paths.js';
import { openSessionLog, sessionLogName } from '../../electron/node/session-log.js';
import { shippedModelsDir } from '../../electron/node/models/registry.js';
import { findTessdata } from '../../electron/node/recognition/tesseract.js';
import { defaultCacheDir } from '../../electron/node/tiles/cache-dir.js';
import { ASSOCIATED_EXTENSIONS, projectFolderFor, projectFromArgs } from '../../electron/main/open-target.js';
import { REPO } from '../helpers/corpus.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-runtime-paths-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const linux = { platform: 'linux' as const, home: '/home/ann', env: {} };
const mac = { platform: 'darwin' as const, home: '/Users/ann', env: {} };
const win = { platform: 'win32' as const, home: 'C:\\Users\\ann', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' } };

describe('dev layout (a checkout)', () => {
  it('takes the app files from the repository, found from the module itself', () => {
    const p = resolvePaths({ ...linux });
    expect(p.mode).toBe('dev');
    expect(p.appRoot).toBe(REPO);
    expect(p.resources).toBeUndefined();
    expect(p.renderer).toBe(path.join(REPO, 'dist', 'renderer'));
    expect(p.engineEntry).toBe(path.join(REPO, 'bin', 'htr-studio.cjs'));
    expect(p.shippedModels).toBe(path.join(REPO, 'native-models'));
    expect(p.recipes).toBe(path.join(REPO, 'native-models', 'recipes'));
    expect(p.sample).toBe(path.join(REPO, 'assets', 'sample'));
    for (const f of [p.engineEntry, path.join(p.shippedModels, 'htr-default', 'model.json'), path.join(p.recipes, 'htr', 'finetune.py'), path.join(p.sample, 'README.md')]) expect(fs.existsSync(f), f).toBe(true);
  });

  it('is browser mode with the same files when serve asks', () => {
    const p = resolvePaths({ ...linux, browser: true });
    expect(p.mode).toBe('browser');
    expect(p.renderer).toBe(resolvePaths({ ...linux }).renderer);
  });

  it('is what this process uses (the registry, the tile cache)', () => {
    expect(runtimePaths().mode).toBe('dev');
    expect(shippedModelsDir()).toBe(process.env.HTR_STUDIO_NATIVE_MODELS || path.join(REPO, 'native-models'));
    expect(defaultCacheDir({}, 'linux', '/home/ann')).toBe(tileCacheDir(linux));
  });
});

describe('packaged layout (an installed app)', () => {
  it('takes code from resources/app.asar and models and sample from resources/, given resourcesPath', () => {
    const resources = path.join(tmp, 'HTR Studio', 'resources');
    const p = resolvePaths({ ...linux, resourcesPath: resources });
    expect(p.mode).toBe('packaged');
    expect(p.resources).toBe(resources);
    expect(p.appRoot).toBe(path.join(resources, 'app.asar'));
    expect(p.renderer).toBe(path.join(resources, 'app.asar', 'dist', 'renderer'));
    expect(p.engineEntry).toBe(path.join(resources, 'app.asar', 'bin', 'htr-studio.cjs'));
    expect(p.shippedModels).toBe(path.join(resources, 'models'));
    expect(p.recipes).toBe(path.join(resources, 'models', 'recipes'));
    expect(p.sample).toBe(path.join(resources, 'sample'));
    expect(p.schemas).toBe(path.join(resources, 'schemas'));
    // The per-user folders do not move with the app.
    expect(p.userData).toBe(resolvePaths({ ...linux }).userData);
    expect(p.userSchemas).toBe(path.join(p.userData, 'schemas'));
    // From a checkout: the XSDs the build copied into dist/.
    expect(resolvePaths({ ...linux, appRoot: REPO }).schemas).toBe(path.join(REPO, 'dist', 'schemas'));
  });

  it('is known in the engine from HTR_STUDIO_RESOURCES, and from code running inside an app.asar', () => {
    const resources = path.join(tmp, 'r');
    expect(resolvePaths({ ...linux, env: { HTR_STUDIO_RESOURCES: resources } })).toMatchObject({ mode: 'packaged', shippedModels: path.join(resources, 'models') });
    expect(resolvePaths({ ...linux, appRoot: path.join(resources, 'app.asar') })).toMatchObject({ mode: 'packaged', resources, sample: path.join(resources, 'sample') });
    // Even in browser mode's request, the installed app's files win.
    expect(resolvePaths({ ...linux, browser: true, env: { HTR_STUDIO_RESOURCES: resources } }).mode).toBe('packaged');
  });

  it('sends native readers to app.asar.unpacked where the file was unpacked', () => {
    const unpackedFile = path.join(tmp, 'res', 'app.asar.unpacked', 'node_modules', 'm', 'a.onnx');
    fs.mkdirSync(path.dirname(unpackedFile), { recursive: true });
    fs.writeFileSync(unpackedFile, '');
    expect(unpackedPath(path.join(tmp, 'res', 'app.asar', 'node_modules', 'm', 'a.onnx'))).toBe(unpackedFile);
    // Not unpacked, or not in an archive: unchanged.
    expect(unpackedPath(path.join(tmp, 'res', 'app.asar', 'node_modules', 'm', 'b.js'))).toBe(path.join(tmp, 'res', 'app.asar', 'node_modules', 'm', 'b.js'));
    expect(unpackedPath('/usr/share/tessdata/eng.traineddata')).toBe('/usr/share/tessdata/eng.traineddata');
    expect(packageFile('@tesseract.js-data/eng/package.json')).toBe(path.join(REPO, 'node_modules', '@tesseract.js-data', 'eng', 'package.json'));
    expect(packageFile('no-such-package/package.json')).toBeUndefined();
    expect(findTessdata().find((s) => s.lang === 'eng')?.dir).toBe(path.join(REPO, 'node_modules', '@tesseract.js-data', 'eng', '4.0.0_best_int'));
  });
});

describe('per-user folders', () => {
  it('Linux: XDG config, data and cache folders', () => {
    const p = resolvePaths({ ...linux });
    expect([p.userData, p.logs, p.userSample, p.userModels, p.tileCache]).toEqual([
      '/home/ann/.config/htr-studio',
      '/home/ann/.config/htr-studio/logs',
      '/home/ann/.config/htr-studio/sample',
      '/home/ann/.local/share/htr-studio/models',
      '/home/ann/.cache/htr-studio',
    ]);
    const xdg = { ...linux, env: { XDG_CONFIG_HOME: '/x/conf', XDG_DATA_HOME: '/x/data', XDG_CACHE_HOME: '/x/cache' } };
    expect([userDataDir(xdg), userModelsDir(xdg), tileCacheDir(xdg)]).toEqual(['/x/conf/htr-studio', '/x/data/htr-studio/models', '/x/cache/htr-studio']);
  });

  it('macOS: Application Support and Caches', () => {
    expect([userDataDir(mac), userModelsDir(mac), tileCacheDir(mac)]).toEqual([
      '/Users/ann/Library/Application Support/htr-studio',
      '/Users/ann/Library/Application Support/HTR Studio/models',
      '/Users/ann/Library/Caches/htr-studio',
    ]);
  });

  it('Windows: Roaming and Local AppData', () => {
    expect([userDataDir(win), userModelsDir(win), tileCacheDir(win)]).toEqual([
      'C:\\Users\\ann\\AppData\\Roaming\\htr-studio',
      'C:\\Users\\ann\\AppData\\Roaming\\HTR Studio\\models',
      'C:\\Users\\ann\\AppData\\Local\\htr-studio\\Cache',
    ]);
    expect(userDataDir({ ...win, env: {} })).toBe('C:\\Users\\ann\\AppData\\Roaming\\htr-studio');
  });

  it('honours the overrides', () => {
    const env = { HTR_STUDIO_MODELS: '/m', HTR_STUDIO_CACHE_DIR: '/c', HTR_STUDIO_NATIVE_MODELS: '/n' };
    expect(resolvePaths({ ...linux, env })).toMatchObject({ userModels: '/m', tileCache: path.resolve('/c'), shippedModels: '/n', recipes: '/n/recipes' });
  });
});

describe('session log', () => {
  it('writes one file per session in the logs folder, stamped lines, and keeps only the newest sessions', () => {
    const dir = path.join(tmp, 'logs');
    for (let i = 0; i < 4; i++) openSessionLog(dir, { now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), pid: 100 + i, keep: 3 });
    const log = openSessionLog(dir, { now: new Date(Date.UTC(2026, 0, 2)), pid: 7, keep: 3 });
    expect(path.basename(log.file!)).toBe(sessionLogName(new Date(Date.UTC(2026, 0, 2)), 7));
    expect(fs.readdirSync(dir).sort()).toEqual(['session-2026-01-01T00-00-02-102.log', 'session-2026-01-01T00-00-03-103.log', 'session-2026-01-02T00-00-00-7.log']);
    log.write('main', 'started\nsecond line');
    const engine = log.lineWriter('engine');
    engine('loading mod');
    engine('el\nhalf');
    const lines = fs.readFileSync(log.file!, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['[main] started', '[main] second line', '[engine] loading model']);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \[main\]/);
  });

  it('turns itself off where the folder cannot be written', () => {
    const file = path.join(tmp, 'not-a-dir');
    fs.writeFileSync(file, '');
    const log = openSessionLog(path.join(file, 'logs'));
    expect(log.file).toBeUndefined();
    expect(() => log.write('main', 'x')).not.toThrow();
  });
});

describe('file associations (what the app opens when handed a path)', () => {
  it('opens a folder itself, a page file’s project (above page/), the project manifest’s folder', () => {
    const proj = path.join(tmp, 'assoc', 'letters');
    fs.mkdirSync(path.join(proj, 'page'), { recursive: true });
    for (const f of ['page/p1.pxml', 'page/p2.xml', 'loose.pxml', 'htr-studio.json', 'other.json', 'scan.jpg']) fs.writeFileSync(path.join(proj, f), '');
    expect(projectFolderFor(proj)).toBe(proj);
    expect(projectFolderFor(path.join(proj, 'page', 'p1.pxml'))).toBe(proj);
    expect(projectFolderFor(path.join(proj, 'page', 'p2.xml'))).toBe(proj);
    expect(projectFolderFor(path.join(proj, 'loose.pxml'))).toBe(proj);
    expect(projectFolderFor(path.join(proj, 'htr-studio.json'))).toBe(proj);
    expect(projectFolderFor(path.join(proj, 'other.json'))).toBeUndefined();
    expect(projectFolderFor(path.join(proj, 'scan.jpg'))).toBeUndefined();
    expect(projectFolderFor(path.join(proj, 'missing.pxml'))).toBeUndefined();
    // Dev: after electron and the script; packaged: right after the executable; flags skipped.
    expect(projectFromArgs(['electron', '.', '--inspect', path.join(proj, 'page', 'p1.pxml')], false)).toBe(proj);
    expect(projectFromArgs(['HTR Studio', '--no-sandbox', path.join(proj, 'htr-studio.json')], true)).toBe(proj);
    expect(projectFromArgs(['HTR Studio'], true)).toBeUndefined();
  });

  it('registers the same extensions in the installers', () => {
    const yml = fs.readFileSync(path.join(REPO, 'build', 'electron-builder.yml'), 'utf8');
    const exts = [...yml.matchAll(/^\s+- ext: (\w+)$/gm)].map((m) => `.${m[1]}`);
    expect(exts).toEqual([...ASSOCIATED_EXTENSIONS]);
  });
});
