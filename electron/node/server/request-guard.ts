/**
 * Who may talk to the browser-mode server. It listens on 127.0.0.1 only, but
 * any web page the user visits can still send requests to localhost, so:
 *  - every API request needs the per-run token (Authorization: Bearer …) → else 401;
 *  - the Host header must name this server (a DNS-rebinding page carries its own
 *    host name) and an Origin, when sent, must be this server's → else 403;
 *  - the request target is parsed once (requestTarget) and must already be in the
 *    form a browser sends: `/./api/…`, `/x/../api/…`, `/%2e/api/…`, an absolute
 *    URL or `//host/…` would otherwise name an API route the guard did not see → 400.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const LOOPBACK_HOST = '127.0.0.1';

export interface GuardConfig {
  readonly port: number;
  readonly token: string;
}

export interface Rejection {
  readonly status: 400 | 401 | 403;
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

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/**
 * The one parsed form of a request target, which the guard checks and the router
 * routes; a Rejection when the raw target is not already that form. Browsers
 * normalise dot segments and send origin-form targets, so nothing the app sends is refused.
 */
export function requestTarget(rawUrl: string | undefined, port: number): URL | Rejection {
  const raw = rawUrl ?? '/';
  const bad: Rejection = { status: 400, message: 'bad request: the request target is not a plain path' };
  // Origin-form only: "http://…" (absolute-form) and "//host/…" name another authority.
  if (!raw.startsWith('/') || raw.startsWith('//')) return bad;
  let url: URL;
  try {
    url = new URL(raw, `http://${LOOPBACK_HOST}:${port}`);
  } catch {
    return bad;
  }
  const rawPath = raw.split(/[?#]/, 1)[0]!;
  // Dot segments (also as %2e), backslashes, or anything else the parser rewrites.
  if (url.pathname !== rawPath || url.host !== `${LOOPBACK_HOST}:${port}`) return bad;
  return url;
}

/** Checks a request before routing, on the target the router will use; undefined means it may proceed. */
export function guardRequest(req: { readonly headers: IncomingHttpHeaders }, target: URL, cfg: GuardConfig): Rejection | undefined {
  const origin = Array.isArray(req.headers.origin) ? req.headers.origin[0] : req.headers.origin;
  if (!hostAllowed(req.headers.host, cfg.port)) return { status: 403, message: 'forbidden: unexpected Host header' };
  if (!originAllowed(origin, cfg.port)) return { status: 403, message: 'forbidden: cross-origin request' };
  if (isApiPath(target.pathname)) {
    if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, message: 'forbidden: cross-site request' };
    if (!tokenMatches(req.headers.authorization, cfg.token)) return { status: 401, message: 'unauthorized: missing or wrong token' };
  }
  return undefined;
}
