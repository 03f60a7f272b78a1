/**
 * One editor per project: the lock `.htr-studio/lock` names who has the project
 * open; a second `serve` on the same folder is refused with that name; a lock whose
 * process is gone (or that nobody refreshed for two minutes) is taken over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { isStale, LOCK_FILE, lockProject, ProjectLockedError, STALE_MS } from '../../electron/node/project/project-lock.js';
import { ProjectHost } from '../../electron/node/project/project-host.js';
import { ensureCliBuilt, runCli } from '../helpers/cli-process.js';
import { REPO } from '../helpers/corpus.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-lock-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the project lock', () => {
  it('refuses a second holder while the first lives, and is free again once released', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'p-'));
    const lock = await lockProject(dir, 'test one');
    const held = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: os.hostname(), by: 'test one' });
    // Another live process holds it: a lock file naming the parent of this test (alive).
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ ...held, pid: process.ppid, by: 'the other window' }));
    const err = await lockProject(dir, 'test two').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProjectLockedError);
    expect((err as Error).message).toContain(`is open in another HTR Studio (the other window, process ${process.ppid} on ${os.hostname()}`);
    // Our release does not remove a lock that is not ours any more.
    await lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    fs.rmSync(path.join(dir, LOCK_FILE));
    const again = await lockProject(dir, 'test three');
    await again.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a stale lock: its process gone, or not refreshed for two minutes (another machine)', async () => {
    const now = Date.now();
    const fresh = new Date(now).toISOString();
    expect(isStale({ pid: 999_999_9, host: os.hostname(), since: fresh, refreshed: fresh, by: 'x' }, now)).toBe(true);
    expect(isStale({ pid: process.ppid, host: os.hostname(), since: fresh, refreshed: fresh, by: 'x' }, now)).toBe(false);
    expect(isStale({ pid: 1, host: 'elsewhere', since: fresh, refreshed: fresh, by: 'x' }, now)).toBe(false);
    expect(isStale({ pid: 1, host: 'elsewhere', since: fresh, refreshed: new Date(now - STALE_MS - 1000).toISOString(), by: 'x' }, now)).toBe(true);
    const dir = fs.mkdtempSync(path.join(root, 'p-'));
    fs.mkdirSync(path.join(dir, '.htr-studio'));
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 999_999_9, host: os.hostname(), since: fresh, refreshed: fresh, by: 'a crashed app' }));
    const lock = await lockProject(dir, 'test');
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('stops a second `serve` on the same folder with the first one named (exit 2), and the app\'s engine says so too', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'p-'));
    const bin = ensureCliBuilt();
    const first = spawn(process.execPath, [bin, 'serve', '--port', '0', '--project', dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HTR_STUDIO_CACHE_DIR: path.join(root, 'cache'), XDG_CONFIG_HOME: path.join(root, 'config') } });
    try {
      await new Promise<void>((resolve, reject) => {
        first.stdout!.once('data', () => resolve());
        first.once('exit', (c) => reject(new Error(`first serve exited ${c}`)));
      });
      const second = runCli(['serve', '--port', '0', '--project', dir], { env: { HTR_STUDIO_CACHE_DIR: path.join(root, 'cache'), XDG_CONFIG_HOME: path.join(root, 'config') }, timeoutMs: 60_000 });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`is open in another HTR Studio (htr-studio serve, process ${first.pid}`);
      const host = new ProjectHost(path.join(root, 'cache'));
      await expect(host.open(dir)).rejects.toMatchObject({ code: 'conflict' });
      await host.dispose();
    } finally {
      first.kill('SIGTERM');
      await new Promise((r) => first.once('exit', r));
    }
    // Stopped cleanly: the lock is gone.
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  }, 120_000);
});
