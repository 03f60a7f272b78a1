/**
 * Browser mode: the editor and the service API over HTTP on 127.0.0.1.
 *   GET  /                   the built renderer (dist/renderer)
 *   POST /api/call/<method>  {"args": [...]} → {"ok": true, "value": …} | {"ok": false, "error": {code, message}}
 *   GET  /api/tile?page=&level=&col=&row=   one JPEG tile
 *   GET  /api/events         job progress and results as Server-Sent Events (read with fetch, which can send the token header)
 * Every request passes request-guard first (one parsed target; token, Host, Origin).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { JobEventSource, StudioService } from '../../common/api/service.js';
import { dispatch } from '../../common/api/methods.js';
import { httpStatus, type Envelope } from '../../common/api/errors.js';
import { CONTENT_SECURITY_POLICY } from '../../common/api/content-security-policy.js';
import { guardRequest, LOOPBACK_HOST, requestTarget } from './request-guard.js';
import { readStatic } from './static-files.js';
import { bodyLimit, LARGE_BODIES_AT_ONCE, Slots, SMALL_BODY_BYTES } from './body-limits.js';
import { formatBytes, overLimit } from '../../common/api/size-limit.js';


export interface ServerOptions {
  readonly service: StudioService;
  /** Job events streamed at /api/events; without it the stream stays silent. */
  readonly events?: JobEventSource;
  /** 0 picks a free port. */
  readonly port: number;
  readonly rendererDir: string;
  /** Fixed only in tests; normally a fresh random token per run. */
  readonly token?: string;
}

export interface RunningServer {
  /** The address to open, token included (in the fragment, so it is never sent to the server or in a Referer). */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const COMMON_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function sendJson(res: http.ServerResponse, env: Envelope): void {
  send(res, env.ok ? 200 : httpStatus(env.error.code), 'application/json; charset=utf-8', JSON.stringify(env), { 'Cache-Control': 'no-store' });
}

class BodyTooLarge extends Error {}

/** The body, up to `limit` bytes; BodyTooLarge as soon as it passes the limit (the rest is not read). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** 413, and the connection closed after it: the rest of the body is never read. */
function tooLarge(res: http.ServerResponse, limit: number, declared?: number): void {
  res.shouldKeepAlive = false;
  send(res, 413, 'application/json; charset=utf-8', JSON.stringify({ ok: false, error: { code: 'bad-request', message: `request body too large: ${declared !== undefined ? overLimit(declared, limit) : `over the ${formatBytes(limit)} limit`} for this call` } }), { Connection: 'close' });
  res.on('finish', () => res.socket?.destroy());
}

const largeBodies = new Slots(LARGE_BODIES_AT_ONCE);

/** Keeps idle event streams open through proxies and lets a dead client be noticed. */
const EVENT_HEARTBEAT_MS = 15_000;

function streamEvents(req: http.IncomingMessage, res: http.ServerResponse, events: JobEventSource | undefined): void {
  res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
  // A first comment, so the client knows at once that the stream is open.
  res.write(': connected\n\n');
  const stop = events?.subscribe((e) => res.write(`event: job\ndata: ${JSON.stringify(e)}\n\n`));
  const beat = setInterval(() => res.write(': heartbeat\n\n'), EVENT_HEARTBEAT_MS);
  const end = (): void => {
    clearInterval(beat);
    stop?.();
  };
  req.on('close', end);
  res.on('error', end);
}

async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, service: StudioService, events: JobEventSource | undefined): Promise<void> {
  if (req.method === 'GET' && url.pathname === '/api/events') return streamEvents(req, res, events);
  if (req.method === 'GET' && url.pathname === '/api/tile') {
    const q = url.searchParams;
    const num = (k: string): unknown => (/^\d{1,9}$/.test(q.get(k) ?? '') ? Number(q.get(k)) : q.get(k));
    const env = await dispatch(service, 'getTile', [q.get('page'), num('level'), num('col'), num('row')]);
    if (!env.ok) return sendJson(res, env);
    return send(res, 200, 'image/jpeg', env.value as Uint8Array, { 'Cache-Control': 'private, max-age=3600' });
  }
  const m = /^\/api\/call\/([A-Za-z]{1,40})$/.exec(url.pathname);
  if (req.method === 'POST' && m) {
    // JSON only: a cross-site form cannot send it, and a fetch of it needs a CORS preflight we never grant.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, { ok: false, error: { code: 'bad-request', message: 'expected Content-Type: application/json' } });
    }
    const limit = bodyLimit(m[1]!);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return tooLarge(res, limit, declared);
    // A body that may be large (or does not say) waits for one of the few large-body slots.
    const release = Number.isFinite(declared) && declared <= SMALL_BODY_BYTES ? () => undefined : await largeBodies.acquire();
    try {
      let args: unknown;
      try {
        const body = JSON.parse(await readBody(req, limit)) as unknown;
        args = body && typeof body === 'object' && !Array.isArray(body) ? (body as { args?: unknown }).args : undefined;
      } catch (e) {
        if (e instanceof BodyTooLarge) return tooLarge(res, limit);
        return sendJson(res, { ok: false, error: { code: 'bad-request', message: `unreadable request: ${(e as Error).message}` } });
      }
      // The slot is held until the call is answered: the parsed text lives that long.
      return sendJson(res, await dispatch(service, m[1], args));
    } finally {
      release();
    }
  }
  sendJson(res, { ok: false, error: { code: 'not-found', message: `no API route ${req.method} ${url.pathname}` } });
}

export function startStudioServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  let port = opts.port;
  const server = http.createServer((req, res) => {
    // Parsed once: the guard checks the very path the router routes.
    const url = requestTarget(req.url, port);
    const rejection = url instanceof URL ? guardRequest(req, url, { port, token }) : url;
    if (rejection) return send(res, rejection.status, 'text/plain; charset=utf-8', rejection.message + '\n');
    if (!(url instanceof URL)) return; // (a target that is no URL always has its rejection above)
    const work = url.pathname.startsWith('/api/') || url.pathname === '/api'
      ? handleApi(req, res, url, opts.service, opts.events)
      : serveStatic(req, res, url, opts.rendererDir);
    work.catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, { ok: false, error: { code: 'internal', message: (e as Error).message } });
      else res.destroy();
    });
  });
  // Keep-alive sockets would hold close() open for seconds after the browser goes away.
  server.keepAliveTimeout = 2000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, LOOPBACK_HOST, () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${LOOPBACK_HOST}:${port}/#token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL, root: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
  const file = await readStatic(root, url.pathname);
  if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  // Built assets carry content hashes; index.html must be re-read to pick up a new build.
  const cache = url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  send(res, 200, file.type, req.method === 'HEAD' ? '' : file.body, { 'Cache-Control': cache });
}
