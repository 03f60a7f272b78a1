/**
 * Queue mode's defaults, apart from the modules that load BullMQ, so that the
 * commands' help can name them without loading it.
 */

/** Tries per page before it is dead-lettered; between tries BACKOFF_MS, doubling (5 s, 10 s, 20 s, …). */
export const DEFAULT_ATTEMPTS = 3;
export const BACKOFF_MS = 5_000;

/** How long a worker holds a page without renewing its lock before others take it back (see page-worker.ts). */
export const DEFAULT_LEASE_MS = 60_000;
