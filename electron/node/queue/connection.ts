/**
 * The queue's Redis: `--queue URL` parsed, checked before any work, and handed
 * to BullMQ.
 *
 * Every command checks the server first with one bounded attempt (connect, AUTH,
 * SELECT, PING within `CONNECT_TIMEOUT_MS`), so an unreachable Redis or a wrong
 * password is a one-line error and exit 2, never a command that hangs retrying.
 * Once a worker is running, a Redis that goes away is waited for (BullMQ's
 * adapter reconnects with backoff up to 20 s apart): a Redis restart must not
 * stop a fleet of workers.
 */
import { RedisConnection, createBunRedisClient, type ConnectionOptions } from 'bullmq';
import { RespClient, type RedisTarget } from './resp-client.js';

/** One queue per Redis database; several output folders can share it (each job names its own). */
export const QUEUE_NAME = 'htr-studio-pages';

export const CONNECT_TIMEOUT_MS = 5_000;

/** A `--queue` value that is not a Redis URL: the caller reports it as a usage error. */
export class QueueUrlError extends Error {
  override name = 'QueueUrlError';
}

/** `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` or `rediss://…` (TLS). */
export function parseQueueUrl(text: string): RedisTarget {
  const expected = `--queue: expected redis://HOST[:PORT][/DB] or rediss://HOST[:PORT][/DB], got "${text}"`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(expected);
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) throw new QueueUrlError(expected);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText && !/^\d{1,4}$/.test(dbText)) throw new QueueUrlError(`--queue: the database after the host must be a number (e.g. redis://host:6379/2), got "${dbText}"`);
  return {
    // URL keeps IPv6 literals bracketed; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    tls: url.protocol === 'rediss:',
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    db: dbText ? Number(dbText) : 0,
  };
}

/** Connects once and PINGs: a one-line reason when the server cannot be used. */
export async function checkRedis(target: RedisTarget, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const client = new RespClient(target, timeoutMs);
  const where = client.url;
  try {
    await client.connect();
    await client.send('PING', []);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code ?? (err.message === 'Connection closed' ? 'the server closed the connection (is it Redis? a TLS one needs rediss://)' : err.message);
    throw new Error(`cannot use the queue's Redis at ${where}: ${why}`);
  } finally {
    client.close();
  }
}

/** The target (and a worker's name) ride inside BullMQ's connection options to the client factory below. */
const TARGET = 'htrStudioTarget';
const WORKER_NAME = 'htrStudioWorkerName';

// Every BullMQ connection of this process (the queue's, a worker's blocking one)
// is one of our RESP clients under BullMQ's own adapter.
RedisConnection.clientFactory = (opts) => {
  const target = opts[TARGET] as RedisTarget | undefined;
  if (!target) throw new Error('internal: a BullMQ connection without a parsed --queue URL');
  // BullMQ marks a worker's blocking connection (the one that waits for jobs, one
  // per worker) with maxRetriesPerRequest: null; only that one carries the
  // worker's name, so that `queue status` counts each worker once.
  const name = opts.maxRetriesPerRequest === null ? (opts[WORKER_NAME] as string | undefined) : undefined;
  return createBunRedisClient(new RespClient(target, CONNECT_TIMEOUT_MS, name));
};

/**
 * BullMQ's connection options for this target. `workerId` names a worker's
 * connection in BullMQ's own scheme (`bull:<base64 queue>:w:<id>`, what
 * `Queue.getWorkers` looks for; BullMQ 6 no longer names connections itself).
 */
export function bullConnection(target: RedisTarget, workerId?: string): ConnectionOptions {
  // host/port too, because BullMQ fills in 127.0.0.1:6379 where they are missing.
  return {
    host: target.host,
    port: target.port,
    [TARGET]: target,
    ...(workerId && { [WORKER_NAME]: `bull:${Buffer.from(QUEUE_NAME).toString('base64')}:w:${workerId}` }),
  };
}
