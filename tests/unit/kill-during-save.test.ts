/**
 * Saves survive a kill at any moment: a child process saves one page through the
 * engine again and again while it is SIGKILLed at random moments, 300 times.
 * After each kill the page file is, byte for byte, one whole version, never
 * older than the last one the engine acknowledged; the temporary files of the
 * interrupted writes are removed when the project is opened again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import sharp from 'sharp';
import { pageVersion, versionOf } from '../helpers/page-versions.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { REPO } from '../helpers/corpus.js';

const KILLS = 300;
let dir: string;
let child: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-kill-'));
  // Beside the app's own bundles, so that its packages (sharp) resolve from node_modules.
  child = path.join(REPO, 'dist', `save-loop-${process.pid}.cjs`);
  await build({ entryPoints: [path.join(REPO, 'tests/helpers/save-loop.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, external: ['sharp', 'onnxruntime-node', 'tesseract.js'], logLevel: 'error',
    define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(child, { force: true });
}, 60_000);

/** Runs the saving child for `ms` (it saves from version `from` on), kills it, and returns the last version it acknowledged. */
function saveThenKill(project: string, from: number, ms: number): Promise<{ acked: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [child, project, 'page.png', String(from), path.join(dir, 'cache')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      // The clock starts at the first acknowledged save: the kill lands among saves, not during start-up.
      timer ??= setTimeout(() => p.kill('SIGKILL'), ms);
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('exit', () => {
      clearTimeout(timer);
      const acks = [...out.matchAll(/ack (\d+)\n/g)].map((m) => Number(m[1]));
      resolve({ acked: acks.length ? acks[acks.length - 1]! : null, stderr });
    });
  });
}

/** `rounds` kills of a child saving one project's page; what was found wrong after each. */
async function killRounds(project: string, rounds: number): Promise<{ kills: number; bad: string[] }> {
  fs.mkdirSync(path.join(project, 'page'), { recursive: true });
  await sharp({ create: { width: 1000, height: 1000, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toFile(path.join(project, 'page.png'));
  fs.writeFileSync(path.join(project, 'page', 'page.xml'), pageVersion(0));
  const bad: string[] = [];
  let next = 1;
  let kills = 0;
  while (kills < rounds) {
    const { acked, stderr } = await saveThenKill(project, next, Math.random() * 25);
    kills++;
    if (stderr) bad.push(`kill ${kills}: the child said ${stderr.trim()}`);
    const onDisk = versionOf(fs.readFileSync(path.join(project, 'page', 'page.xml'), 'utf8'));
    // A whole version, and not older than the last acknowledged one (it may be the next: written, not yet acknowledged).
    if (onDisk === null) bad.push(`kill ${kills}: the page is no whole version`);
    else if (acked !== null && onDisk < acked) bad.push(`kill ${kills}: version ${onDisk} on disk, ${acked} acknowledged`);
    next = Math.max(next, (onDisk ?? 0) + 1, (acked ?? 0) + 1);
  }
  return { kills, bad };
}

describe('a save killed at any moment', () => {
  it(`leaves the old or the new page byte-exact, and every acknowledged save on disk (${KILLS} SIGKILLs)`, async () => {
    // Three projects side by side, so that the children's start-up overlaps.
    const results = await Promise.all([0, 1, 2].map((k) => killRounds(path.join(dir, `project-${k}`), KILLS / 3)));
    expect(results.reduce((n, r) => n + r.kills, 0)).toBe(KILLS);
    expect(results.flatMap((r) => r.bad)).toEqual([]);
    // Killed writes leave temporary files; opening the project removes those of writes that are over.
    const project = path.join(dir, 'project-0');
    const temps = () => fs.readdirSync(path.join(project, 'page')).filter((n) => n.endsWith('.tmp'));
    const old = new Date(Date.now() - 120_000);
    for (const t of temps()) fs.utimesSync(path.join(project, 'page', t), old, old);
    const service = new LocalProjectService(project, { cacheDir: path.join(dir, 'cache') });
    expect((await service.listPages()).map((p) => p.id)).toEqual(['page.png']);
    expect(temps()).toEqual([]);
  }, 600_000);
});
