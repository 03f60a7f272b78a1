/**
 * `--queue URL` for the queue commands: a URL that is not redis:// or rediss://
 * is a usage error; a server that cannot be reached or used is a one-line error.
 * Both exit 2, after one bounded attempt (connection.ts), never a hang.
 */
import type { RedisTarget } from '../node/queue/resp-client.js';
import { UsageError } from './command.js';

export async function queueTarget(url: string | undefined, command: string): Promise<RedisTarget> {
  if (!url) throw new UsageError(`${command} needs --queue redis://HOST[:PORT][/DB]`);
  // Loaded here, not at start: BullMQ is a large module every other command can do without.
  const { checkRedis, parseQueueUrl, QueueUrlError } = await import('../node/queue/connection.js');
  let target: RedisTarget;
  try {
    target = parseQueueUrl(url);
  } catch (e) {
    throw e instanceof QueueUrlError ? new UsageError(e.message) : e;
  }
  await checkRedis(target);
  return target;
}
