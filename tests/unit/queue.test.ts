/**
 * Queue mode (issue 19) against a real Redis: `enqueue`, `worker`, `queue status`
 * and `queue retry-failed` as an archivist's cluster runs them, each command the
 * built CLI in its own process. Pages are small synthetic sheets so that 30 of
 * them go through two workers in seconds on two cores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { REPO } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli-process.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { parseQueueUrl } from '../../electron/node/queue/connection.js';
import { openQueue, queueStatus, type QueueStatus } from '../../electron/node/queue/page-queue.js';
import { ModelCache, pageJobId, runPageJob } from '../../electron/node/queue/page-job.js';
import { writeFileOnce } from '../../electron/node/io/files.js';

if (!REDIS_SERVER) console.warn('queue tests skipped: redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)');

const BIN = path.join(REPO, 'bin/htr-studio.cjs');

interface RunningWorker {
  readonly proc: ChildProcess;
  log(): string;
  readonly exit: Promise<number | null>;
}

function startWorker(url: string, extra: string[] = []): RunningWorker {
  const proc = spawn(process.execPath, [BIN, 'worker', '--queue', url, ...extra], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, log: () => log, exit };
}

interface Status {
  waiting: number;
  active: number;
  delayed: number;
  done: number;
  failed: number;
  pagesPerMinute: number | null;
  etaSeconds: number | null;
  workers: number;
  failedPages: { image: string; error: string; tries: number }[];
}

function status(url: string): Status {
  const r = runCli(['queue', 'status', '--queue', url, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Status;
}

/**
 * Polls the queue's counts in this process (a CLI start per poll would take the
 * workers' CPU) until `test` holds; returns the counts that passed.
 */
async function waitFor(url: string, what: string, test: (s: QueueStatus) => boolean, timeoutMs: number): Promise<QueueStatus> {
  const queue = openQueue(parseQueueUrl(url));
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await queueStatus(queue);
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await queue.close();
  }
}

/** A sheet with two dark strokes (as in shard.test.ts): layout and recognition take a moment only. */
async function pages(dir: string, n: number, prefix = 'p'): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, `${prefix}${String(i).padStart(2, '0')}.png`);
    const strokes = [0, 1].map((k) => ({ input: { create: { width: 500, height: 12, channels: 3 as const, background: { r: 20, g: 20, b: 20 } } }, left: 100 + 7 * i, top: 200 + 80 * k }));
    await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 250, g: 250, b: 245 } } }).composite(strokes).png().toFile(file);
    files.push(file);
  }
  return files;
}

/** The output folder's files: page files only, no temporary file of an interrupted write left over. */
function outputs(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

describe.skipIf(!REDIS_SERVER)('queue mode on a real Redis', () => {
  let redis: TestRedis;
  let tmp: string;
  let nextDb = 0;
  /** A fresh Redis database (and queue) for each test. */
  const freshQueue = (): string => redis.url(nextDb++);

  beforeAll(async () => {
    // The CLI as it is now, rebuilt only when older than the queue code: other test
    // files run the bundle at the same time, and a rebuild under them is a race.
    const bundle = path.join(REPO, 'dist/cli.cjs');
    const newest = Math.max(...['electron/node/queue', 'electron/cli', 'electron/cli/commands'].flatMap((d) => fs.readdirSync(path.join(REPO, d)).map((f) => fs.statSync(path.join(REPO, d, f)).mtimeMs)));
    if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < newest) execFileSync(process.execPath, [path.join(REPO, 'build/build.mjs'), 'cli'], { cwd: REPO });
    redis = await startRedis();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-queue-'));
  }, 60_000);

  afterAll(async () => {
    await redis?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('enqueue twice adds each page once; a page whose output exists is not added', async () => {
    const url = freshQueue();
    const images = await pages(path.join(tmp, 'twice'), 4);
    const out = path.join(tmp, 'twice-out');
    fs.mkdirSync(out);
    // The fourth page was done before (by `process`, say): it is not queued.
    fs.writeFileSync(path.join(out, 'p03.xml'), '<done/>');
    const first = runCli(['enqueue', ...images, '--queue', url, '--out', out, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ added: 3, alreadyQueued: 0, alreadyDone: 1 });
    // Again, from a list and through a relative path: the same pages, nothing added.
    const list = path.join(tmp, 'twice.txt');
    fs.writeFileSync(list, images.map((p) => path.relative(REPO, p)).join('\n'));
    const again = runCli(['enqueue', '--list', list, '--queue', url, '--out', out, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, alreadyQueued: 3, alreadyDone: 1 });
    expect(again.stderr).toContain('queued 0 page(s); 3 already in the queue; 1 already have an output');
    expect(status(url)).toMatchObject({ waiting: 3, active: 0, done: 0, failed: 0, workers: 0 });
  });

  it('two workers on 30 pages: every page done once, one file each', async () => {
    const url = freshQueue();
    const images = await pages(path.join(tmp, 'thirty'), 30);
    const out = path.join(tmp, 'thirty-out');
    fs.mkdirSync(out);
    expect(runCli(['enqueue', ...images, '--queue', url, '--out', out]).code).toBe(0);
    const workers = [startWorker(url, ['--concurrency', '1']), startWorker(url, ['--concurrency', '1'])];
    try {
      await waitFor(url, '30 pages done', (s) => s.done === 30, 150_000);
    } finally {
      for (const w of workers) w.proc.kill('SIGTERM');
    }
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
    const s = status(url);
    expect(s).toMatchObject({ waiting: 0, active: 0, delayed: 0, done: 30, failed: 0, etaSeconds: 0 });
    expect(s.pagesPerMinute).toBeGreaterThan(0);
    expect(outputs(out)).toEqual(images.map((p) => path.basename(p, '.png') + '.xml'));
    for (const f of outputs(out)) expect(readDocument(fs.readFileSync(path.join(out, f), 'utf8')).doc.page.imageWidth).toBe(800);
    // Each page was done by exactly one worker, once; both workers took a share.
    const doneLines = workers.map((w) => w.log().split('\n').filter((l) => l.startsWith('done ')));
    expect(doneLines.flat().map((l) => l.split(' ')[1]).sort()).toEqual(images);
    for (const d of doneLines) expect(d.length).toBeGreaterThan(0);
  }, 200_000);

  it('a worker SIGKILLed mid-page: after its lease the page is done by the next worker, once', async () => {
    const url = freshQueue();
    const [image] = await pages(path.join(tmp, 'killed'), 1);
    const out = path.join(tmp, 'killed-out');
    fs.mkdirSync(out);
    expect(runCli(['enqueue', image!, '--queue', url, '--out', out]).code).toBe(0);
    const doomed = startWorker(url, ['--lease', '3']);
    // The job is taken (and its models loading: seconds) before the kill.
    await waitFor(url, 'the page to be taken', (s) => s.active === 1, 60_000);
    doomed.proc.kill('SIGKILL');
    expect(await doomed.exit).toBe(null);
    expect(outputs(out)).toEqual([]);
    // A longer lease for the next worker: on a loaded machine a 3 s lease can lapse while it
    // works (its renewal starved of CPU), which would count as a second death and dead-letter the page.
    const next = startWorker(url, ['--lease', '15']);
    try {
      await waitFor(url, 'the page to be done', (s) => s.done === 1, 90_000);
    } finally {
      next.proc.kill('SIGTERM');
    }
    expect(await next.exit).toBe(0);
    expect(next.log()).toMatch(/stopped answering: back in the queue/);
    expect(status(url)).toMatchObject({ waiting: 0, active: 0, done: 1, failed: 0 });
    expect(outputs(out)).toEqual(['p00.xml']);
  }, 150_000);

  it('a poisoned page is retried, then dead-lettered with its error; the others are done; retry-failed queues it again', async () => {
    const url = freshQueue();
    const good = await pages(path.join(tmp, 'poison'), 3);
    const bad = path.join(tmp, 'poison', 'torn.png');
    // A PNG signature and then noise: a scan copied half-way.
    fs.writeFileSync(bad, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]));
    const out = path.join(tmp, 'poison-out');
    fs.mkdirSync(out);
    expect(runCli(['enqueue', bad, ...good, '--queue', url, '--out', out, '--attempts', '2']).code).toBe(0);
    const w = startWorker(url);
    try {
      // Two tries, 5 s apart.
      await waitFor(url, '3 pages done and 1 dead-lettered', (s) => s.done === 3 && s.failed === 1, 90_000);
    } finally {
      w.proc.kill('SIGTERM');
    }
    expect(await w.exit).toBe(0);
    expect(status(url).failedPages).toEqual([{ image: bad, error: expect.stringMatching(/./), tries: 2 }]);
    expect(w.log()).toMatch(/error: .*torn\.png: .*\(try 1 of 2, will retry\)/);
    expect(w.log()).toMatch(/error: .*torn\.png: .*\(try 2 of 2: dead-lettered/);
    expect(outputs(out)).toEqual(['p00.xml', 'p01.xml', 'p02.xml']);
    const retry = runCli(['queue', 'retry-failed', '--queue', url]);
    expect(retry.code).toBe(0);
    expect(retry.stderr).toContain('1 failed page(s) back in the queue');
    expect(status(url)).toMatchObject({ waiting: 1, failed: 0, done: 3 });
  }, 120_000);

  it('SIGTERM: the page in hand is finished, the worker exits 0; a second SIGTERM hands pages back', async () => {
    const url = freshQueue();
    const images = await pages(path.join(tmp, 'term'), 4);
    const out = path.join(tmp, 'term-out');
    fs.mkdirSync(out);
    expect(runCli(['enqueue', ...images, '--queue', url, '--out', out]).code).toBe(0);
    const w = startWorker(url, ['--concurrency', '1']);
    await waitFor(url, 'a page to be taken', (s) => s.active === 1, 60_000);
    w.proc.kill('SIGTERM');
    expect(await w.exit).toBe(0);
    expect(w.log()).toMatch(/SIGTERM: finishing the page\(s\) in hand/);
    let s = status(url);
    expect(s.active).toBe(0);
    expect(s.failed).toBe(0);
    expect(s.done).toBeGreaterThanOrEqual(1);
    expect(s.done + s.waiting).toBe(4);
    expect(outputs(out)).toHaveLength(s.done);

    // Twice: the page in hand goes back to the queue at once, no try counted, nothing written for it.
    const w2 = startWorker(url, ['--concurrency', '1']);
    await waitFor(url, 'a page to be taken', (s) => s.active === 1, 60_000);
    const doneBefore = status(url).done;
    w2.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    w2.proc.kill('SIGTERM');
    expect(await w2.exit).toBe(0);
    s = status(url);
    expect(s).toMatchObject({ active: 0, failed: 0, delayed: 0 });
    expect(s.done + s.waiting).toBe(4);
    expect(outputs(out)).toHaveLength(s.done);
    // Unless the page finished between the two signals, it is waiting again.
    if (s.done === doneBefore) expect(w2.log()).toMatch(/handing the page\(s\) in hand back/);
  }, 120_000);

  it('a Redis restart: the worker reconnects by itself and goes on', async () => {
    const own = await startRedis();
    const url = own.url();
    const images = await pages(path.join(tmp, 'restart'), 2);
    const out = path.join(tmp, 'restart-out');
    fs.mkdirSync(out);
    const w = startWorker(url);
    let again: TestRedis | undefined;
    try {
      await waitFor(url, 'the worker to connect', (s) => s.workers === 1, 30_000);
      await own.stop();
      await new Promise((r) => setTimeout(r, 1_500));
      again = await startRedis(own.port);
      expect(runCli(['enqueue', ...images, '--queue', url, '--out', out]).code).toBe(0);
      await waitFor(url, 'both pages done', (s) => s.done === 2 && s.workers === 1, 60_000);
    } finally {
      w.proc.kill('SIGTERM');
      expect(await w.exit).toBe(0);
      await again?.stop();
    }
    expect(outputs(out)).toEqual(['p00.xml', 'p01.xml']);
  }, 120_000);

  it('a worker whose output folder is missing (storage not mounted) puts the page back and exits 2', async () => {
    const url = freshQueue();
    const [image] = await pages(path.join(tmp, 'unmounted'), 1);
    const out = path.join(tmp, 'unmounted-out');
    fs.mkdirSync(out);
    expect(runCli(['enqueue', image!, '--queue', url, '--out', out]).code).toBe(0);
    fs.rmdirSync(out);
    const w = startWorker(url);
    expect(await w.exit).toBe(2);
    expect(w.log()).toMatch(/output folder .*unmounted-out is missing on this worker/);
    expect(status(url)).toMatchObject({ waiting: 1, active: 0, failed: 0, done: 0 });
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('bad input: a URL that is not redis://, an unreachable Redis, a missing output folder: one line, exit 2, no hang', async () => {
    const [image] = await pages(path.join(tmp, 'bad'), 1);
    const out = path.join(tmp, 'bad-out');
    fs.mkdirSync(out);
    const firstLine = (s: string): string => s.split('\n')[0]!;
    for (const url of ['http://127.0.0.1:6379', 'localhost:6379', 'redis://127.0.0.1:6379/zero']) {
      for (const args of [['enqueue', image!, '--out', out], ['worker'], ['queue', 'status'], ['queue', 'retry-failed']]) {
        const r = runCli([...args, '--queue', url], { timeoutMs: 20_000 });
        expect(r.code, `${args.join(' ')} --queue ${url}`).toBe(2);
        expect(firstLine(r.stderr)).toMatch(/--queue: (expected redis:\/\/HOST|the database after the host must be a number)/);
      }
    }
    // Nothing listens on a port Redis had a moment ago.
    const closed = await startRedis();
    const deadUrl = closed.url();
    await closed.stop();
    for (const args of [['enqueue', image!, '--out', out], ['worker'], ['queue', 'status'], ['queue', 'retry-failed']]) {
      const t0 = Date.now();
      const r = runCli([...args, '--queue', deadUrl], { timeoutMs: 20_000 });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/cannot use the queue's Redis at redis:\/\/127\.0\.0\.1:\d+\/0: ECONNREFUSED$/)]);
      expect(Date.now() - t0).toBeLessThan(15_000);
    }
    const missing = runCli(['enqueue', image!, '--queue', freshQueue(), '--out', path.join(tmp, 'no-such-folder')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/output folder .*no-such-folder does not exist/)]);
    const noQueue = runCli(['worker']);
    expect(noQueue.code).toBe(2);
    expect(firstLine(noQueue.stderr)).toContain('worker needs --queue');
  }, 120_000);
});

describe('a page finished twice (a worker presumed dead that was not)', () => {
  it('writeFileOnce: of many writers racing for one name, exactly one publishes, whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-once-'));
    const file = path.join(dir, 'page.xml');
    const texts = Array.from({ length: 12 }, (_, i) => `<page n="${i}">${'x'.repeat(100_000)}</page>`);
    const won = await Promise.all(texts.map((t) => writeFileOnce(file, t)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(fs.readFileSync(file, 'utf8')).toBe(texts[won.indexOf(true)]);
    expect(await writeFileOnce(file, 'late')).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['page.xml']);
  });

  it('two runs of one job at once write its PAGE file once; a later run writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-twice-'));
    const [image] = await pages(path.join(dir, 'img'), 1);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const data = { image: image!, output: path.join(out, 'p00.xml'), layoutModel: 'layout-default', model: 'htr-default' };
    const models = new ModelCache();
    try {
      const [a, b] = await Promise.all([runPageJob(data, models), runPageJob(data, models)]);
      expect([a.existed, b.existed].filter(Boolean)).toHaveLength(1);
      const first = fs.readFileSync(data.output, 'utf8');
      expect(readDocument(first).doc.page.imageWidth).toBe(800);
      const again = await runPageJob(data, models);
      expect(again.existed).toBe(true);
      expect(fs.readFileSync(data.output, 'utf8')).toBe(first);
      expect(fs.readdirSync(out)).toEqual(['p00.xml']);
    } finally {
      await models.dispose();
    }
    // The job id is the page's absolute path and output folder: the same page from a relative path is the same job.
    expect(pageJobId(path.relative(process.cwd(), image!), out)).toBe(pageJobId(image!, out));
    expect(pageJobId(image!, out)).not.toBe(pageJobId(image!, dir));
  }, 60_000);
});
