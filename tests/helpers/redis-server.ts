/**
 * A throwaway Redis for the queue tests: Debian's `redis-server` (installed by
 * `.ci/run`) on a free loopback port, with no persistence, in a temporary
 * folder; stopped after. `REDIS_SERVER` is undefined where the binary is missing,
 * so the tests can skip with that said.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function findRedisServer(): string | undefined {
  const dirs = ['/usr/bin', '/usr/local/bin', '/usr/sbin', ...(process.env.PATH ?? '').split(path.delimiter)];
  return dirs.map((d) => path.join(d, 'redis-server')).find((p) => fs.existsSync(p));
}

export const REDIS_SERVER = findRedisServer();

export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:PORT/DB`: each test takes its own database (0–15). */
  url(db?: number): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** PING over a raw socket until Redis answers +PONG (or the deadline passes). */
async function waitForPong(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.setTimeout(500, () => s.destroy());
      s.once('error', () => resolve(false));
      s.once('close', () => resolve(false));
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => {
        resolve(d.toString().startsWith('+PONG'));
        s.destroy();
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `port`: that one (to restart a server where it was), else a free one. */
export async function startRedis(port?: number): Promise<TestRedis> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-redis-'));
  // The port is free when looked at; another process could take it before Redis
  // binds it, so a failed start is tried again on another port.
  for (let attempt = 0; ; attempt++) {
    const at = port ?? (await freePort());
    const proc: ChildProcess = spawn(REDIS_SERVER, ['--port', String(at), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      await Promise.race([waitForPong(at, Date.now() + 10_000), exited.then((code) => Promise.reject(new Error(`redis-server exited (${code})`)))]);
    } catch (e) {
      proc.kill('SIGKILL');
      if (attempt < 2 && port === undefined) continue;
      throw e;
    }
    return {
      port: at,
      url: (db = 0) => `redis://127.0.0.1:${at}/${db}`,
      async stop() {
        if (proc.exitCode === null) proc.kill('SIGTERM');
        await exited;
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
