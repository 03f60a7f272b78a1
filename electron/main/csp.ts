/** The Content-Security-Policy header the app:// protocol sends with every page (shared with browser mode). */
import { CONTENT_SECURITY_POLICY } from '../common/api/content-security-policy.js';

export { CONTENT_SECURITY_POLICY };

/** Headers for every response of the app:// scheme. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
