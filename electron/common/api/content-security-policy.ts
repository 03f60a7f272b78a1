/**
 * The Content-Security-Policy of the editor, the same in Electron (app:// scheme)
 * and in browser mode (HTTP). Only the app's own scripts and styles run; images
 * come from tiles the app fetched itself (blob:); no remote content, no frames,
 * no plugins, no inline script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  // The editor starts no workers.
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
].join('; ');
