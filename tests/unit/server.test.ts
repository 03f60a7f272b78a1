/**
 * Browser-mode server: who may call the API (token → 401, Host/Origin → 403),
 * that it listens on loopback only, that every argument is validated, and that
 * pages are read and written safely (atomic, conflict-checked, never garbage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { guardRequest, hostAllowed, originAllowed, tokenMatches } from '../../electron/node/server/request-guard.js';
import { resolveStatic } from '../../electron/node/server/static-files.js';
import { startStudioServer, type RunningServer } from '../../electron/node/server/http-server.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { scanProject } from '../../electron/node/project/scan.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { DesktopService } from '../../electron/main/desktop-service.js';
import type { EngineClient } from '../../electron/node/server/engine-port.js';
import type { ExportResult, StudioService } from '../../electron/common/api/service.js';

const TOKEN = 'test-token-0123456789abcdefXYZ';
const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';
const PAGE_ID = `page/${NAME}.xml`;

describe('request guard (pure)', () => {
  const cfg = { port: 4321, token: TOKEN };
  const req = (url: string, headers: http.IncomingHttpHeaders) => ({ url, headers });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('lets the app itself through', () => {
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:4321', ...auth }), cfg)).toBeUndefined();
    expect(guardRequest(req('/api/call/listPages', { host: 'localhost:4321', origin: 'http://localhost:4321', ...auth }), cfg)).toBeUndefined();
    // The renderer's files need no token (they are no secret); the API does.
    expect(guardRequest(req('/', { host: '127.0.0.1:4321' }), cfg)).toBeUndefined();
  });

  it('answers 401 to API requests without the right token', () => {
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:4321' }), cfg)?.status).toBe(401);
    expect(guardRequest(req('/api/tile?page=x', { host: '127.0.0.1:4321', authorization: 'Bearer wrong-token-000000000000000' }), cfg)?.status).toBe(401);
    expect(guardRequest(req('/api', { host: '127.0.0.1:4321', authorization: TOKEN }), cfg)?.status).toBe(401);
    expect(tokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
  });

  it('answers 403 to a foreign Host (DNS rebinding) or Origin, before the token is even looked at', () => {
    expect(guardRequest(req('/api/call/listPages', { host: 'evil.example:4321', ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/', { host: 'evil.example:4321' }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:9999', ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:4321', origin: 'http://evil.example', ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:4321', origin: 'null', ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4322', ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { host: '127.0.0.1:4321', 'sec-fetch-site': 'cross-site', ...auth }), cfg)?.status).toBe(403);
    expect(guardRequest(req('/api/call/listPages', { host: 'evil.example:4321' }), cfg)?.status).toBe(403);
    expect(hostAllowed('LOCALHOST:4321', 4321)).toBe(true);
    expect(originAllowed(undefined, 4321)).toBe(true);
  });

  it('never resolves a static path outside the renderer folder', () => {
    expect(resolveStatic('/srv/r', '/')).toBe(path.resolve('/srv/r/index.html'));
    expect(resolveStatic('/srv/r', '/assets/a.js')).toBe(path.resolve('/srv/r/assets/a.js'));
    expect(resolveStatic('/srv/r', '/../package.json')).toBeUndefined();
    expect(resolveStatic('/srv/r', '/..%2f..%2fetc/passwd')).toBeUndefined();
    expect(resolveStatic('/srv/r', '/%00')).toBeUndefined();
    expect(resolveStatic('/srv/r', '/%E0%A4%A')).toBeUndefined();
  });
});

describe('argument validation (the schema every request passes)', () => {
  const calls: string[] = [];
  const fake = new Proxy({}, { get: (_t, m: string) => async () => (calls.push(m), 'ok') }) as never;

  it('rejects unknown methods, wrong types, path tricks and extra arguments without calling the engine', async () => {
    const bad: [unknown, unknown][] = [
      ['constructor', []],
      ['__proto__', []],
      ['toString', []],
      [42, []],
      ['openPage', ['../secret.xml']],
      ['openPage', ['/etc/passwd']],
      ['openPage', ['page/../../x.xml']],
      ['openPage', ['C:/x.xml']],
      ['openPage', ['page\\x.xml']],
      ['openPage', ['a\u0000b']],
      ['openPage', ['']],
      ['openPage', [42]],
      ['openPage', []],
      ['openPage', ['a.xml', 'extra']],
      ['openPage', 'a.xml'],
      ['getTile', ['a.xml', -1, 0, 0]],
      ['getTile', ['a.xml', 1.5, 0, 0]],
      ['getTile', ['a.xml', 99, 0, 0]],
      ['getTile', ['a.xml', '1', 0, 0]],
      ['savePage', ['a.xml', '', null]],
      ['savePage', ['a.xml', '<x/>', 'rev with spaces']],
      ['savePage', ['a.xml', 5, null]],
    ];
    for (const [method, args] of bad) {
      const env = await dispatch(fake, method, args);
      expect(env.ok, JSON.stringify([method, args])).toBe(false);
      if (!env.ok) expect(env.error.code).toBe('bad-request');
    }
    expect(calls).toEqual([]);
    expect(await dispatch(fake, 'openPage', ['page/a b.xml'])).toEqual({ ok: true, value: 'ok' });
    expect(await dispatch(fake, 'savePage', ['a.xml', '<x/>', null])).toEqual({ ok: true, value: 'ok' });
  });
});

describe('HTTP server on a real corpus page', () => {
  let dir: string;
  let server: RunningServer;
  let xmlFile: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-server-'));
    const project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'page'), { recursive: true });
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(project, `${NAME}.jpg`));
    xmlFile = path.join(project, 'page', `${NAME}.xml`);
    fs.copyFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), xmlFile);
    fs.chmodSync(xmlFile, 0o644);
    // An image without a transcription, and a stray XML that is no page.
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(project, 'blank.jpg'));
    fs.writeFileSync(path.join(project, 'page', 'METS.xml'), '<mets xmlns="http://www.loc.gov/METS/"/>');
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    const service = new LocalProjectService(project, { cacheDir: path.join(dir, 'cache') });
    server = await startStudioServer({ service, port: 0, rendererDir: renderer, token: TOKEN });
  });

  afterAll(async () => {
    await server?.close();
    // Opening a page builds its pyramid behind the answer: let it finish before its cache goes.
    await pyramidBuildsSettled();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Res {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
  }

  function request(method: string, urlPath: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const call = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
    request('POST', `/api/call/${method}`, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }, JSON.stringify({ args }));
  const json = (r: Res) => JSON.parse(r.body.toString('utf8')) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };

  it('prints an address on 127.0.0.1 with the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}`);
  });

  it('listens on loopback only', async () => {
    const others = Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4');
    for (const iface of others) {
      const err = await new Promise<string>((resolve) => {
        const s = net.connect({ host: iface!.address, port: server.port }, () => (s.destroy(), resolve('connected')));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(err, iface!.address).toBe('ECONNREFUSED');
    }
    const v6 = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '::1', port: server.port }, () => (s.destroy(), resolve('connected')));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(v6).not.toBe('connected');
  });

  it('401 without the token, 403 for a foreign Host or Origin', async () => {
    expect((await request('POST', '/api/call/listPages', { 'content-type': 'application/json' }, '{"args":[]}')).status).toBe(401);
    expect((await request('GET', `/api/tile?page=${encodeURIComponent(PAGE_ID)}&level=0&col=0&row=0`)).status).toBe(401);
    expect((await call('listPages', [], { authorization: 'Bearer not-the-token-at-all-000' })).status).toBe(401);
    expect((await call('listPages', [], { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await call('listPages', [], { origin: 'http://evil.example' })).status).toBe(403);
    expect((await request('GET', '/', { host: `rebind.example:${server.port}` })).status).toBe(403);
    expect((await call('listPages', [], { origin: `http://localhost:${server.port}` })).status).toBe(200);
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const index = await request('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect((await request('GET', '/../secret.txt')).status).toBe(404);
    expect((await request('GET', '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await request('POST', '/')).status).toBe(405);
  });

  it('lists pages: PAGE beside its image, images without a file, no METS', async () => {
    const r = json(await call('listPages', []));
    expect(r.value).toEqual([
      { id: 'blank.jpg', name: 'blank', xmlPath: null, imagePath: 'blank.jpg' },
      { id: PAGE_ID, name: NAME, xmlPath: PAGE_ID, imagePath: `${NAME}.jpg` },
    ]);
  });

  it('rejects bad requests with 400 and unknown pages with 404', async () => {
    expect((await call('openPage', ['../secret.txt'])).status).toBe(400);
    expect((await call('openPage', [7])).status).toBe(400);
    expect((await call('nope', [])).status).toBe(400);
    expect((await request('POST', '/api/call/listPages', { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, '{"args":[]}')).status).toBe(400);
    expect((await request('POST', '/api/call/listPages', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, '{not json')).status).toBe(400);
    expect((await call('openPage', ['page/other.xml'])).status).toBe(404);
    expect((await request('GET', `/api/tile?page=${encodeURIComponent(PAGE_ID)}&level=x&col=0&row=0`, { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
  });

  it('opens a page with its tile pyramid and serves JPEG tiles', async () => {
    const r = json(await call('openPage', [PAGE_ID]));
    const page = r.value as { xml: string; revision: string; image: { width: number; height: number; tileSize: number; maxLevel: number } };
    expect(page.image).toEqual({ width: 3072, height: 4608, tileSize: 512, maxLevel: 13 });
    expect(page.xml).toBe(fs.readFileSync(xmlFile, 'utf8'));
    const tile = await request('GET', `/api/tile?page=${encodeURIComponent(PAGE_ID)}&level=13&col=1&row=2`, { authorization: `Bearer ${TOKEN}` });
    expect(tile.status).toBe(200);
    expect(tile.headers['content-type']).toBe('image/jpeg');
    expect([...tile.body.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect((await request('GET', `/api/tile?page=${encodeURIComponent(PAGE_ID)}&level=13&col=99&row=0`, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });

  it('saves atomically, refuses stale revisions and unreadable text', async () => {
    const opened = json(await call('openPage', [PAGE_ID])).value as { xml: string; revision: string };
    const edited = opened.xml.replace('sur laquelle somme il lui', 'sur laquelle somme il lui a');
    const saved = await call('savePage', [PAGE_ID, edited, opened.revision]);
    expect(saved.status).toBe(200);
    expect(fs.readFileSync(xmlFile, 'utf8')).toBe(edited);
    expect(fs.readdirSync(path.dirname(xmlFile)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The revision it was opened at is now stale.
    const stale = await call('savePage', [PAGE_ID, opened.xml, opened.revision]);
    expect(stale.status).toBe(409);
    expect(json(stale).error?.code).toBe('conflict');
    const newRev = (json(saved).value as { revision: string }).revision;
    const garbage = await call('savePage', [PAGE_ID, '<PcGts><unclosed>', newRev]);
    expect(garbage.status).toBe(400);
    expect(fs.readFileSync(xmlFile, 'utf8')).toBe(edited);
  });

  it('exports the page as the editor has it, schema-valid, with a name that says the format', async () => {
    const opened = json(await call('openPage', [PAGE_ID])).value as { xml: string };
    // An unsaved edit travels with the export: it is what the user sees.
    const edited = opened.xml.replace('sur laquelle somme il lui', 'EXPORTED EDIT');
    const before = fs.readFileSync(xmlFile, 'utf8');
    for (const [format, fileName] of [['alto-4', `${NAME}.alto.xml`], ['page-2019', `${NAME}.page2019.xml`], ['page-2013', `${NAME}.page2013.xml`]] as const) {
      const r = json(await call('exportPage', [PAGE_ID, edited, format]));
      expect(r.ok).toBe(true);
      const out = r.value as ExportResult;
      expect(out).toMatchObject({ fileName, savedTo: null, cancelled: false });
      const { doc } = readDocument(out.text!);
      expect(doc.format.kind).toBe(format === 'alto-4' ? 'alto' : 'page');
      expect(doc.page.regions.flatMap((reg) => reg.lines)).toHaveLength(48);
      expect(out.text).toContain('EXPORTED EDIT');
      const xsd = await validateAgainstXsd(out.text!, SCHEMAS, doc.format);
      expect(xsd.errors).toEqual([]);
      expect(xsd.valid).toBe(true);
    }
    // Exporting never touches the project's own file.
    expect(fs.readFileSync(xmlFile, 'utf8')).toBe(before);
  });

  it('refuses to export an unknown format, unreadable text or an unknown page', async () => {
    const xml = fs.readFileSync(xmlFile, 'utf8');
    expect((await call('exportPage', [PAGE_ID, xml, 'docx'])).status).toBe(400);
    const garbage = await call('exportPage', [PAGE_ID, '<PcGts><unclosed>', 'alto-4']);
    expect(garbage.status).toBe(400);
    expect(json(garbage).error?.message).toMatch(/^not exported: /);
    expect((await call('exportPage', ['page/other.xml', xml, 'alto-4'])).status).toBe(404);
  });

  it('starts an image without a file as an empty PAGE document and saves it into page/', async () => {
    const opened = json(await call('openPage', ['blank.jpg'])).value as { xml: string; revision: null };
    expect(opened.revision).toBeNull();
    const { doc } = readDocument(opened.xml);
    expect(doc.page).toMatchObject({ imageFilename: 'blank.jpg', imageWidth: 3072, imageHeight: 4608, regions: [] });
    const saved = json(await call('savePage', ['blank.jpg', opened.xml, null]));
    expect(saved.value).toMatchObject({ xmlPath: 'page/blank.xml' });
    const pages = await scanProject(path.dirname(path.dirname(xmlFile)));
    expect(pages.map((p) => p.xmlPath)).toEqual(['page/blank.xml', PAGE_ID]);
  });
});

describe('desktop export (main process side)', () => {
  const converted: ExportResult = { fileName: 'p.alto.xml', text: '<alto/>\n', savedTo: null, cancelled: false, warnings: ['a repair'] };
  const engine = { service: { exportPage: async () => converted } as unknown as StudioService } as unknown as EngineClient;

  it('writes the converted page where the save dialog says, atomically', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-export-'));
    const target = path.join(dir, 'chosen name.xml');
    let suggested = '';
    const svc = new DesktopService(() => engine, async () => undefined, () => undefined, async (name) => ((suggested = name), target));
    const r = await svc.exportPage('page/p.xml', '<x/>', 'alto-4');
    expect(suggested).toBe('p.alto.xml');
    expect(r).toEqual({ fileName: 'p.alto.xml', text: null, savedTo: target, cancelled: false, warnings: ['a repair'] });
    expect(fs.readFileSync(target, 'utf8')).toBe('<alto/>\n');
    expect(fs.readdirSync(dir)).toEqual(['chosen name.xml']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const svc = new DesktopService(() => engine, async () => undefined, () => undefined, async () => undefined);
    expect(await svc.exportPage('page/p.xml', '<x/>', 'alto-4')).toMatchObject({ cancelled: true, savedTo: null, text: null });
  });
});
