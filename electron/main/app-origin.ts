/**
 * The renderer is served from a private, privileged `app://studio/` scheme
 * (not file://, which would let any local file be fetched, and not http, which
 * any local process could impersonate).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Whether a URL is one of the app's own pages (for navigation and IPC sender checks). */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Requests the renderer may make at all: its own files, and in-memory tile images. Everything else (remote content) is cancelled. */
export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || url.startsWith('blob:app://studio/') || url.startsWith('data:') || url.startsWith('devtools://');
}
