// Benchmark: queue mode's cost (issue 19). The same N handwritten corpus pages
// through `htr-studio process --jobs 1` and `--jobs 2`, then through the queue
// (`enqueue`, then 1 worker, then 2 workers, each `--concurrency 1`, then 1
// worker of `--concurrency 2`, what docs/scale-out.md advises) on a
// throwaway redis-server. Each run is timed from its processes' start (so model
// loading counts, as it does for `process`) to the last page written; pages/s,
// and each process's peak RSS (VmHWM from /proc, Linux) after a third of the
// pages and at the end, to show memory flat in the page count.
// The corpus has 7 handwritten page images; N > 7 cycles through them under
// distinct names (symlinks in a temporary folder: nothing is copied).
// --repeat R runs the five in turn R times and keeps each one's fastest run
// (the development machines are shared: the fastest is the least disturbed).
// Prints JSON. Usage: node bench/queue-throughput.mjs [--pages N] [--repeat R] [--model ID] [--layout-model ID]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : d);
const N = Number(arg('--pages', '60'));
const R = Number(arg('--repeat', '1'));
const modelArgs = [...(arg('--model') ? ['--model', arg('--model')] : []), ...(arg('--layout-model') ? ['--layout-model', arg('--layout-model')] : [])];
const bin = path.join(root, 'bin/htr-studio.cjs');
const corpus = path.resolve(root, '../shared/corpus');
const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
if (!redisServer) {
  console.error('queue-throughput: redis-server is not installed (Debian: apt-get install redis-server)');
  process.exit(2);
}

// Handwritten by source, as bench/layout-detectors.mjs tells them apart.
const HANDWRITTEN = /escriptorium-testaments|escriptorium-timeuscorpus|transkribus-|FRAN_0150_0001_L-medium/;
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'htr-lines' || e.name === 'schemas' ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)]));
const sources = walk(corpus).filter((p) => /\.(jpe?g|png|tif)$/i.test(p) && HANDWRITTEN.test(p)).sort();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bench-queue-'));
const imgDir = path.join(work, 'img');
fs.mkdirSync(imgDir);
const pages = Array.from({ length: N }, (_, i) => {
  const src = sources[i % sources.length];
  const link = path.join(imgDir, `p${String(i).padStart(3, '0')}-${path.basename(src).replace(/[^\w.-]/g, '_')}`);
  fs.symlinkSync(src, link);
  return link;
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hwmMb = (pid) => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
};
const freshOut = (name) => {
  const d = path.join(work, name);
  fs.mkdirSync(d);
  return d;
};
const countXml = (d) => fs.readdirSync(d).filter((f) => f.endsWith('.xml')).length;

/** Runs `process` to its end, sampling its peak RSS. */
async function processRun(jobs) {
  const out = freshOut(`process-j${jobs}-${runNo}`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'process', ...pages, '-o', out, '--jobs', String(jobs), '-q', ...modelArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise((r) => child.once('exit', r));
  let atThird = null;
  let peak = null;
  for (let done = false; !done; ) {
    done = await Promise.race([exit.then(() => true), sleep(200).then(() => false)]);
    if (!done) {
      peak = hwmMb(child.pid) ?? peak;
      if (atThird === null && countXml(out) >= N / 3) atThird = peak;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { mode: `process --jobs ${jobs}`, seconds: +seconds.toFixed(1), pagesPerSecond: +(N / seconds).toFixed(3), written: countXml(out), exit: child.exitCode, perProcess: [{ rssMbAtThird: atThird, peakRssMb: peak }], ...(child.exitCode ? { stderr: err.slice(-500) } : {}) };
}

/** ZCARD over a raw socket: the queue's finished pages, without starting a CLI per poll. */
function zcard(port, key) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(`*2\r\n$5\r\nZCARD\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n`));
    s.once('data', (d) => {
      resolve(Number(/^:(\d+)/.exec(d.toString())?.[1] ?? NaN));
      s.destroy();
    });
    s.once('error', reject);
  });
}

async function queueRun(port, db, workers, concurrency = 1) {
  const url = `redis://127.0.0.1:${port}/${db}`;
  const out = freshOut(`queue-w${workers}c${concurrency}-${runNo}`);
  const t0q = performance.now();
  const enq = spawnSync(process.execPath, [bin, 'enqueue', ...pages, '--queue', url, '--out', out, ...modelArgs], { encoding: 'utf8' });
  if (enq.status !== 0) throw new Error(`enqueue failed: ${enq.stderr}`);
  const enqueueSeconds = (performance.now() - t0q) / 1000;
  const t0 = performance.now();
  const procs = Array.from({ length: workers }, () => spawn(process.execPath, [bin, 'worker', '--queue', url, '--concurrency', String(concurrency)], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const stats = procs.map(() => ({ rssMbAtThird: null, peakRssMb: null }));
  // Every worker's connections are on this database; the completed set is per queue.
  const key = 'bull:htr-studio-pages:completed';
  const dbPort = port;
  let done = 0;
  while (done < N) {
    await sleep(200);
    done = await zcardInDb(dbPort, db, key);
    procs.forEach((p, i) => {
      stats[i].peakRssMb = hwmMb(p.pid) ?? stats[i].peakRssMb;
      if (stats[i].rssMbAtThird === null && done >= N / 3) stats[i].rssMbAtThird = stats[i].peakRssMb;
    });
    if (procs.every((p) => p.exitCode !== null)) throw new Error('every worker exited');
  }
  const seconds = (performance.now() - t0) / 1000;
  const exits = await Promise.all(procs.map((p) => new Promise((r) => { p.once('exit', r); p.kill('SIGTERM'); })));
  return { mode: `queue, ${workers} worker(s) × --concurrency ${concurrency}`, seconds: +seconds.toFixed(1), pagesPerSecond: +(N / seconds).toFixed(3), enqueueSeconds: +enqueueSeconds.toFixed(2), written: countXml(out), exits, perProcess: stats };
}

/** ZCARD in database `db`: SELECT then ZCARD on one connection. */
function zcardInDb(port, db, key) {
  if (!db) return zcard(port, key);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(`*2\r\n$6\r\nSELECT\r\n$${String(db).length}\r\n${db}\r\n*2\r\n$5\r\nZCARD\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n`));
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      const m = /^\+OK\r\n:(\d+)\r\n/.exec(buf);
      if (m) {
        resolve(Number(m[1]));
        s.destroy();
      }
    });
    s.once('error', reject);
  });
}

async function startRedis() {
  const port = await new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
  const child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    if (await zcard(port, 'x').then(() => true, () => false)) return { port, child };
  }
  throw new Error('redis-server did not start');
}

let runNo = 0;
const redis = await startRedis();
const all = [];
try {
  for (runNo = 0; runNo < R; runNo++) {
    // A fresh Redis database per queue run: the same pages are queued anew.
    all.push(await processRun(1));
    all.push(await queueRun(redis.port, 1 + 3 * runNo, 1));
    all.push(await processRun(2));
    all.push(await queueRun(redis.port, 2 + 3 * runNo, 2));
    // What docs/scale-out.md advises per machine: one worker, two pages at a time.
    all.push(await queueRun(redis.port, 3 + 3 * runNo, 1, 2));
  }
} finally {
  redis.child.kill('SIGTERM');
}
const runs = [...new Set(all.map((r) => r.mode))].map((mode) => {
  const tries = all.filter((r) => r.mode === mode);
  const best = tries.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...best, ...(R > 1 && { secondsEach: tries.map((r) => r.seconds) }) };
});
const rate = (mode) => runs.find((r) => r.mode.startsWith(mode))?.pagesPerSecond;
const overhead = (q, p) => +(100 * (1 - rate(q) / rate(p))).toFixed(1);
console.log(JSON.stringify({
  machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  pages: N,
  repeat: R,
  distinctImages: Math.min(N, sources.length),
  runs,
  queueOverheadPercent: {
    oneWorkerVsJobs1: overhead('queue, 1 worker(s) × --concurrency 1', 'process --jobs 1'),
    twoWorkersVsJobs2: overhead('queue, 2', 'process --jobs 2'),
    oneWorkerConcurrency2VsJobs2: overhead('queue, 1 worker(s) × --concurrency 2', 'process --jobs 2'),
  },
  secondCoreGain: {
    process: +(rate('process --jobs 2') / rate('process --jobs 1')).toFixed(2),
    queueTwoWorkers: +(rate('queue, 2') / rate('queue, 1 worker(s) × --concurrency 1')).toFixed(2),
    queueConcurrency2: +(rate('queue, 1 worker(s) × --concurrency 2') / rate('queue, 1 worker(s) × --concurrency 1')).toFixed(2),
  },
}, null, 2));
fs.rmSync(work, { recursive: true, force: true });
