/** Runs the built `htr-studio` CLI in a child process (building it first if needed). */
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './corpus.js';

export function ensureCliBuilt(): string {
  const bin = path.join(REPO, 'bin/htr-studio.cjs');
  if (!fs.existsSync(path.join(REPO, 'dist/cli.cjs'))) execFileSync(process.execPath, [path.join(REPO, 'build/build.mjs'), 'cli'], { cwd: REPO });
  return bin;
}

/** Whether this machine lets us cut a process off the network (Linux, root or user namespaces). */
export function canUnshareNetwork(): boolean {
  return spawnSync('unshare', ['-n', 'true']).status === 0;
}

export function runCli(args: string[], opts: { offline?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): { code: number; stdout: string; stderr: string } {
  const bin = ensureCliBuilt();
  const cmd = opts.offline ? 'unshare' : process.execPath;
  const argv = opts.offline ? ['-n', process.execPath, bin, ...args] : [bin, ...args];
  const r = spawnSync(cmd, argv, { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
