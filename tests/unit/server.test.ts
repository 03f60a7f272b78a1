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
import { guardRequest, hostAllowed, originAllowed, requestTarget, tokenMatches } from '../../electron/node/server/request-guard.js';
import { resolveStatic } from '../../electron/node/server/static-files.js';
import { bodyLimit, LARGE_BODIES_AT_ONCE, Slots } from '../../electron/node/server/body-limits.js';
import { startStudioServer, type RunningServer } from '../../electron/node/server/http-server.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { scanProject } from '../../electron/node/project/scan.js';
import { API_METHODS, dispatch } from '../../electron/common/api/methods.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { CORPUS, SCHEMAS } from '../helpers/corpus.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { DesktopService } from '../../electron/main/desktop-service.js';
import type { EngineClient } from '../../electron/node/server/engine-port.js';
import type { ExportResult, StudioService } from '../../electron/common/api/service.js';

const TOKEN = 'test-token-0123456789abcdefXYZ';
const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';
/** A page goes by its image for life (its XML is `page/NAME.xml`). */
const PAGE_ID = `${NAME}.jpg`;
const XML_PATH = `page/${NAME}.xml`;

describe('request guard (pure)', () => {
  const cfg = { port: 4321, token: TOKEN };
  // As the server does it: the target parsed once, the guard run on that parse.
  const guard = (url: string, headers: http.IncomingHttpHeaders) => {
    const target = requestTarget(url, cfg.port);
    return target instanceof URL ? guardRequest({ headers }, target, cfg) : target;
  };
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('lets the app itself through', () => {
    expect(guard('/api/call/listPages', { host: '127.0.0.1:4321', ...auth })).toBeUndefined();
    expect(guard('/api/call/listPages', { host: 'localhost:4321', origin: 'http://localhost:4321', ...auth })).toBeUndefined();
    // The renderer's files need no token (they are no secret); the API does.
    expect(guard('/', { host: '127.0.0.1:4321' })).toBeUndefined();
  });

  it('answers 401 to API requests without the right token', () => {
    expect(guard('/api/call/listPages', { host: '127.0.0.1:4321' })?.status).toBe(401);
    expect(guard('/api/tile?page=x', { host: '127.0.0.1:4321', authorization: 'Bearer wrong-token-000000000000000' })?.status).toBe(401);
    expect(guard('/api', { host: '127.0.0.1:4321', authorization: TOKEN })?.status).toBe(401);
    expect(tokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
  });

  it('answers 403 to a foreign Host (DNS rebinding) or Origin, before the token is even looked at', () => {
    expect(guard('/api/call/listPages', { host: 'evil.example:4321', ...auth })?.status).toBe(403);
    expect(guard('/', { host: 'evil.example:4321' })?.status).toBe(403);
    expect(guard('/api/call/listPages', { host: '127.0.0.1:9999', ...auth })?.status).toBe(403);
    expect(guard('/api/call/listPages', { ...auth })?.status).toBe(403);
    expect(guard('/api/call/listPages', { host: '127.0.0.1:4321', origin: 'http://evil.example', ...auth })?.status).toBe(403);
    expect(guard('/api/call/listPages', { host: '127.0.0.1:4321', origin: 'null', ...auth })?.status).toBe(403);
    expect(guard('/api/call/listPages', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4322', ...auth })?.status).toBe(403);
    expect(guard('/api/call/listPages', { host: '127.0.0.1:4321', 'sec-fetch-site': 'cross-site', ...auth })?.status).toBe(403);
    expect(guard('/api/call/listPages', { host: 'evil.example:4321' })?.status).toBe(403);
    expect(hostAllowed('LOCALHOST:4321', 4321)).toBe(true);
    expect(originAllowed(undefined, 4321)).toBe(true);
  });

  it('refuses every other spelling of an API path (400), so the token check cannot be walked around', () => {
    const host = { host: '127.0.0.1:4321' };
    for (const spelling of ['/./api/call/savePage', '/x/../api/call/savePage', '/%2e/api/call/savePage', '/%2E%2E/api/call/savePage',
      '/api/./call/savePage', '/api/call/x/../savePage', '/api/%2e/call/savePage', '\\api\\call\\listPages', '/api\\call/listPages',
      'http://127.0.0.1:4321/api/call/savePage', 'HTTP://localhost:4321/api/tile', '//127.0.0.1:4321/api/events', '*', '', 'api/call/listPages']) {
      expect(guard(spelling, host)?.status, spelling).toBe(400);
      expect(guard(spelling, { ...host, ...auth })?.status, spelling).toBe(400);
    }
    // Encoded characters that are no dot segment stay as they are (the router then finds no route).
    expect(guard('/api/call/save%50age', host)?.status).toBe(401);
    expect(guard('/assets/a%20b.js', host)).toBeUndefined();
    expect(guard('/api/call/listPages?x=/../y', { ...host, ...auth })).toBeUndefined();
    // An encoded slash makes no dot segment: not an API path, and the static files refuse it.
    expect(guard('/static/..%2f../api/call/listPages', host)).toBeUndefined();
    expect(resolveStatic('/srv/r', '/static/..%2f../api/call/listPages')).toBeUndefined();
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

describe('large request bodies', () => {
  it('are read a few at a time: the others wait their turn', async () => {
    const slots = new Slots(LARGE_BODIES_AT_ONCE);
    let holding = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 7 }, async () => {
      const release = await slots.acquire();
      most = Math.max(most, ++holding);
      await new Promise((r) => setTimeout(r, 5));
      holding--;
      release();
      release(); // twice is harmless
    }));
    expect(most).toBe(LARGE_BODIES_AT_ONCE);
    expect(bodyLimit('savePage')).toBeGreaterThan(100 * 1024 * 1024);
    expect(bodyLimit('listPages')).toBe(1024 * 1024);
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

  /** A request written byte for byte: http.request would not send every spelling. */
  function rawRequest(target: string, headers: string[], body = ''): Promise<number> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: server.port }, () => {
        // write, not end: a half-closed socket would be dropped before an async answer.
        s.write([`POST ${target} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', ...headers, '', body].join('\r\n'));
      });
      let head = '';
      s.on('data', (c: Buffer) => (head += c.toString('latin1')));
      s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
      s.on('error', reject);
    });
  }

  it('answers no API route under another spelling of its path, with or without the token', async () => {
    const before = fs.readFileSync(xmlFile);
    const saveBody = JSON.stringify({ args: [PAGE_ID, '<PcGts/>', null] });
    const routes = [...API_METHODS.map((m) => `api/call/${m}`), `api/tile?page=${encodeURIComponent(PAGE_ID)}&level=0&col=0&row=0`, 'api/events'];
    for (const route of routes) {
      const spellings = [`/./${route}`, `/x/../${route}`, `/%2e/${route}`, `/${route.replace('/', '/./')}`, `/${route.replace('/', '/%2E/')}`,
        `http://127.0.0.1:${server.port}/${route}`, `//127.0.0.1:${server.port}/${route}`, `/${route.replace(/\//g, '\\')}`];
      for (const target of spellings) {
        expect(await rawRequest(target, [], saveBody), target).toBe(400);
        expect(await rawRequest(target, [`Authorization: Bearer ${TOKEN}`], saveBody), target).toBe(400);
      }
    }
    expect(await rawRequest('/api/call/listPages', [], '{"args":[]}')).toBe(401);
    expect(await rawRequest('/api/call/listPages', [`Authorization: Bearer ${TOKEN}`], '{"args":[]}')).toBe(200);
    expect(fs.readFileSync(xmlFile).equals(before)).toBe(true);
  });

  /** Sends the head and `body` as they are (no Content-Length of our own), and reads the status line. */
  function rawHead(head: string[], body: Buffer | string = ''): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: server.port }, () => {
        s.write([...head, `Host: 127.0.0.1:${server.port}`, `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', '', ''].join('\r\n'));
        s.write(body, () => undefined);
      });
      let text = '';
      s.on('data', (c: Buffer) => (text += c.toString('latin1')));
      const done = () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
      s.on('close', done);
      s.on('error', (e: NodeJS.ErrnoException) => (text ? done() : reject(e)));
    });
  }

  it('answers 413 to a body over the call\'s limit before reading it, and closes the connection', async () => {
    const t0 = Date.now();
    // 300 MB announced, a few bytes sent: refused at once, not after a 300 MB upload.
    const huge = await rawHead(['POST /api/call/savePage HTTP/1.1', `Content-Length: ${300 * 1024 * 1024}`], '{"args":[');
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('request body too large: 314.6 MB, above the 131.1 MB limit for this call');
    expect(Date.now() - t0).toBeLessThan(5000);
    // A small call's limit is small: 2 MB for listPages is refused.
    expect((await rawHead(['POST /api/call/listPages HTTP/1.1', `Content-Length: ${2 * 1024 * 1024}`], '{')).status).toBe(413);
    // A chunked body does not say its size: cut off with 413 (not a reset) once it passes the limit.
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const chunked = Buffer.concat([...Array.from({ length: 6 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')]);
    expect((await rawHead(['POST /api/call/listPages HTTP/1.1', 'Transfer-Encoding: chunked'], chunked)).status).toBe(413);
    // Within limits all is as before.
    expect((await call('listPages', [])).status).toBe(200);
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const index = await request('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('DENY');
    // Dot segments are no plain path (400); an encoded slash is one segment the static files refuse (404).
    expect((await request('GET', '/../secret.txt')).status).toBe(400);
    expect((await request('GET', '/%2e%2e/secret.txt')).status).toBe(400);
    expect((await request('GET', '/..%2fsecret.txt')).status).toBe(404);
    expect((await request('POST', '/')).status).toBe(405);
  });

  it('lists pages: PAGE beside its image, images without a file, no METS', async () => {
    const r = json(await call('listPages', []));
    expect(r.value).toEqual([
      { id: 'blank.jpg', name: 'blank', xmlPath: null, imagePath: 'blank.jpg', status: 'new' },
      { id: PAGE_ID, name: NAME, xmlPath: XML_PATH, imagePath: `${NAME}.jpg`, status: 'new' },
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
    expect(pages.map((p) => p.xmlPath)).toEqual(['page/blank.xml', XML_PATH]);
    // The page keeps its id now that it has a file: the next save, a line image, a tile, an export all find it.
    expect(pages.map((p) => p.id)).toEqual(['blank.jpg', PAGE_ID]);
    const first = saved.value as { revision: string };
    const edited = opened.xml.replace('<Page ', '<Page custom="readingOrder {index:0;}" ');
    const again = json(await call('savePage', ['blank.jpg', edited, first.revision]));
    expect(again).toMatchObject({ ok: true, value: { xmlPath: 'page/blank.xml' } });
    expect(json(await call('exportPage', ['blank.jpg', edited, 'alto-4']))).toMatchObject({ ok: true, value: { fileName: 'blank.alto.xml' } });
    expect(json(await call('openPage', ['blank.jpg']))).toMatchObject({ ok: true, value: { id: 'blank.jpg', xml: edited, revision: (again.value as { revision: string }).revision } });
    expect((await request('GET', '/api/tile?page=blank.jpg&level=0&col=0&row=0', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
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
