/**
 * Who may talk to the browser-mode server. It listens on 127.0.0.1 only, but
 * any web page the user visits can still send requests to localhost, so:
 *  - every API request needs the per-run token (Authorization: Bearer …) → else 401;
 *  - the Host header must name this server (a DNS-rebinding page carries its own
 *    host name) and an Origin, when sent, must be this server's → else 403.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const LOOPBACK_HOST = '127.0.0.1';

export interface GuardConfig {
  readonly port: number;
  readonly token: string;
}

export interface Rejection {
  readonly status: 401 | 403;
  readonly message: string;
}

/** The origins the app itself is served from. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host.toLowerCase() === `127.0.0.1:${port}` || host.toLowerCase() === `localhost:${port}`;
}

/** No Origin (same-origin GET, navigation, curl) is fine; a foreign one, or "null", is not. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return ownOrigins(port).includes(origin.toLowerCase());
}

export function tokenMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  // Constant time, so the token cannot be guessed one character at a time.
  return given.length === want.length && timingSafeEqual(given, want);
}

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Checks a request before routing; undefined means it may proceed. */
export function guardRequest(req: { readonly url?: string; readonly headers: IncomingHttpHeaders }, cfg: GuardConfig): Rejection | undefined {
  const origin = Array.isArray(req.headers.origin) ? req.headers.origin[0] : req.headers.origin;
  if (!hostAllowed(req.headers.host, cfg.port)) return { status: 403, message: 'forbidden: unexpected Host header' };
  if (!originAllowed(origin, cfg.port)) return { status: 403, message: 'forbidden: cross-origin request' };
  if (isApiPath(req.url ?? '/')) {
    if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, message: 'forbidden: cross-site request' };
    if (!tokenMatches(req.headers.authorization, cfg.token)) return { status: 401, message: 'unauthorized: missing or wrong token' };
  }
  return undefined;
}
