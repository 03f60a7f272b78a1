/**
 * Errors that cross the API. Electron IPC and JSON both lose Error subclasses,
 * so results travel as an envelope and the client turns failures back into ApiError.
 */

export const ERROR_CODES = ['bad-request', 'not-found', 'conflict', 'unsupported', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a caller may act on besides the message: a conflict's current revision of the file. */
export interface ErrorDetails {
  readonly revision?: string | null;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export type Envelope<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: ErrorDetails } };

export function failure(e: unknown): Envelope<never> {
  if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message, ...(Object.keys(e.details).length && { details: e.details }) } };
  // Engine errors (XML, format, file) carry user-facing messages; anything else is a bug.
  const message = e instanceof Error ? e.message : String(e);
  return { ok: false, error: { code: 'internal', message } };
}

export function unwrap<T>(env: unknown): T {
  if (env && typeof env === 'object' && 'ok' in env) {
    const e = env as Envelope<T>;
    if (e.ok) return e.value;
    const code = (ERROR_CODES as readonly string[]).includes(e.error?.code) ? e.error.code : 'internal';
    const d = e.error?.details;
    const details: ErrorDetails = d && typeof d === 'object' && (typeof d.revision === 'string' || d.revision === null) ? { revision: d.revision } : {};
    throw new ApiError(code, String(e.error?.message ?? 'unknown error'), details);
  }
  throw new ApiError('internal', 'malformed response from the engine');
}

/** HTTP status for an error code (browser mode). */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'bad-request':
      return 400;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'unsupported':
      return 501;
    default:
      return 500;
  }
}
