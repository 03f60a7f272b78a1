/**
 * The service over HTTP (browser mode). The token comes from the address the
 * CLI printed (#token=…); it is kept for this tab only and sent as a header,
 * never in a URL.
 */
import type { ApiMethod, StudioService } from '../../../electron/common/api/service.js';
import { createClient } from '../../../electron/common/api/methods.js';
import { ApiError, unwrap } from '../../../electron/common/api/errors.js';

const TOKEN_KEY = 'htr-studio-token';

/** Takes the token from the address bar (and removes it there, so it is not bookmarked or shared by accident). */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
    return m[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function parse(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) throw new ApiError(res.status === 401 ? 'bad-request' : 'internal', `${res.status} ${(await res.text()).trim()}`);
  return unwrap(await res.json());
}

export function httpService(token: string): StudioService {
  const auth = { Authorization: `Bearer ${token}` };
  const client = createClient(async (method: ApiMethod, args: unknown[]) => {
    const body = JSON.stringify({ args });
    const res = await fetch(`/api/call/${method}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body,
      // A save started as the tab closes (autosave on beforeunload) still reaches the engine;
      // browsers refuse keepalive bodies over 64 KiB, so a bigger page relies on the unload prompt.
      keepalive: method === 'savePage' && body.length < 60_000,
    });
    return parse(res);
  });
  client.getTile = async (pageId, level, col, row) => {
    const q = new URLSearchParams({ page: pageId, level: String(level), col: String(col), row: String(row) });
    const res = await fetch(`/api/tile?${q}`, { headers: auth });
    if (!res.ok) return parse(res) as never;
    return new Uint8Array(await res.arrayBuffer());
  };
  return client;
}
