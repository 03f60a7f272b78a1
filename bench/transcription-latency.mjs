// Benchmark: correcting text on a long page, and finding across a large project.
//  - A generated page of 500 lines with machine text (confidences) and a scan-like
//    image, served by the built CLI's `serve`, opened in headless Debian Chromium:
//    key press to painted character in the line field (keydown timestamp to the
//    next animation frame after the field shows the character), median and p95 of
//    KEYS presses; next-uncertain jump (F8 to the next line shown as current).
//    Peer in the same run: a bare <textarea> in the same browser (the floor).
//  - A generated project of PAGES pages (30 lines each): `findInProject` over the
//    HTTP API, the first call (indexing every page) and the next (indexed), against
//    `grep -rc` over the same files in the same run.
// Usage: npm run build && node bench/transcription-latency.mjs [--keys N] [--pages N]. Prints JSON.
/* global document, window, requestAnimationFrame, MutationObserver, KeyboardEvent */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const KEYS = Number(arg('--keys', '60'));
const PAGES = Number(arg('--pages', '1000'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bench-text-'));

const WORDS = 'le la les de du des et en au aux par pour sur dans avec sans testament mon ma mes biens maison somme francs fils fille frère soeur notaire Paris lègue donne veux que qui'.split(' ');
function words(seed, n) {
  let s = seed;
  const out = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[s % WORDS.length]);
  }
  return out.join(' ');
}

/** A PAGE 2019 page of `n` lines in one column, each with text and a confidence. */
function pageXml(image, width, height, n, seed) {
  const lh = Math.floor((height - 200) / n);
  const lines = [];
  for (let i = 0; i < n; i++) {
    const y = 100 + i * lh;
    const conf = (((seed + i) * 37) % 100) / 100;
    lines.push(`<TextLine id="l${i}"><Coords points="100,${y} ${width - 100},${y} ${width - 100},${y + lh - 4} 100,${y + lh - 4}"/><Baseline points="100,${y + lh - 8} ${width - 100},${y + lh - 8}"/><TextEquiv conf="${conf.toFixed(2)}"><Unicode>${words(seed * 1000 + i, 8)}</Unicode></TextEquiv></TextLine>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
<Metadata><Creator>bench</Creator><Created>2026-12-03T00:00:00</Created><LastChange>2026-12-03T00:00:00</LastChange></Metadata>
<Page imageFilename="${image}" imageWidth="${width}" imageHeight="${height}">
<TextRegion id="r1"><Coords points="50,50 ${width - 50},50 ${width - 50},${height - 50} 50,${height - 50}"/>
${lines.join('\n')}
</TextRegion></Page></PcGts>
`;
}

function serve(projectDir) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'htr-studio.cjs'), 'serve', '--port', '0', '--project', projectDir], {
    env: { ...process.env, HTR_STUDIO_CACHE_DIR: path.join(tmp, 'cache'), XDG_CONFIG_HOME: path.join(tmp, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ url: out.slice(0, nl), stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const round = (x) => Math.round(x * 10) / 10;

/** Key press → painted character in the focused field, in the page (ms per key). */
async function typeLatency(page, n) {
  await page.evaluate(() => {
    window.__lat = [];
    const field = document.activeElement;
    field.addEventListener('keydown', (e) => {
      const t0 = e.timeStamp;
      const before = field.value;
      // The first frame after the field shows the character (React renders the change first).
      const wait = () => requestAnimationFrame((t1) => (field.value !== before ? window.__lat.push(t1 - t0) : wait()));
      wait();
    }, { capture: true });
  });
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(String.fromCharCode(97 + (i % 26)));
    await page.waitForTimeout(30);
  }
  await page.waitForTimeout(200);
  return page.evaluate(() => window.__lat);
}

async function editorBench(browser) {
  const dir = path.join(tmp, 'page');
  fs.mkdirSync(dir, { recursive: true });
  const W = 2400;
  const H = 500 * 40 + 200;
  await sharp({ create: { width: W, height: H, channels: 3, background: '#e9e1cf' } }).jpeg({ quality: 80 }).toFile(path.join(dir, 'long.jpg'));
  fs.writeFileSync(path.join(dir, 'long.xml'), pageXml('long.jpg', W, H, 500, 7));
  const server = await serve(dir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('htr-studio-autosave-ms', '0'));
    await page.goto(server.url);
    await page.locator('.line-item').first().waitFor({ timeout: 60_000 });
    await page.locator('.line-item').first().click();
    await page.keyboard.press('Enter');
    await page.locator('.line-input').waitFor();
    await page.locator('.line-input').focus();
    await page.keyboard.press('End');
    const keys = await typeLatency(page, KEYS);
    // F8: from the key to the next uncertain line shown as current.
    await page.keyboard.press('Escape');
    const jumps = [];
    for (let i = 0; i < 20; i++) {
      const ms = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const before = document.querySelector('.line-item.is-current')?.getAttribute('data-line');
            const t0 = performance.now();
            const obs = new MutationObserver(() => {
              const now = document.querySelector('.line-item.is-current')?.getAttribute('data-line');
              if (now && now !== before) {
                obs.disconnect();
                requestAnimationFrame((t1) => resolve(t1 - t0));
              }
            });
            obs.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] });
            window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F8', bubbles: true }));
          }),
      );
      jumps.push(ms);
    }
    // The floor: a bare textarea in the same browser.
    const bare = await browser.newPage();
    await bare.setContent('<textarea autofocus></textarea>');
    await bare.locator('textarea').focus();
    const floor = await typeLatency(bare, KEYS);
    return {
      page: '500 lines, machine text with confidences',
      keyToPaintMs: { median: round(median(keys)), p95: round(p95(keys)), n: keys.length },
      bareTextareaKeyToPaintMs: { median: round(median(floor)), p95: round(p95(floor)), n: floor.length },
      nextUncertainMs: { median: round(median(jumps)), p95: round(p95(jumps)), n: jumps.length },
    };
  } finally {
    await server.stop();
  }
}

async function findBench() {
  const dir = path.join(tmp, 'project');
  fs.mkdirSync(path.join(dir, 'page'), { recursive: true });
  await sharp({ create: { width: 64, height: 64, channels: 3, background: '#eee' } }).jpeg().toFile(path.join(dir, 'img.jpg'));
  for (let i = 0; i < PAGES; i++) {
    const name = `p${String(i).padStart(4, '0')}`;
    fs.copyFileSync(path.join(dir, 'img.jpg'), path.join(dir, `${name}.jpg`));
    fs.writeFileSync(path.join(dir, 'page', `${name}.xml`), pageXml(`${name}.jpg`, 2000, 3000, 30, i + 1));
  }
  fs.rmSync(path.join(dir, 'img.jpg'));
  const server = await serve(dir);
  try {
    const token = new URL(server.url).hash.replace('#token=', '');
    const base = server.url.replace(/\/#.*$/, '');
    const call = async (args) => {
      const t0 = performance.now();
      const r = await fetch(`${base}/api/call/findInProject`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
      const body = await r.json();
      if (!body.ok) throw new Error(JSON.stringify(body.error));
      return { ms: performance.now() - t0, total: body.value.total };
    };
    const opts = { regex: false, caseSensitive: false, ignoreDiacritics: false };
    const first = await call(['notaire', opts, null, null]);
    const indexed = [];
    for (const q of ['testament', 'maison', 'soeur', 'francs', 'notaire']) indexed.push((await call([q, opts, null, null])).ms);
    const accents = await call(['soeur', { ...opts, ignoreDiacritics: true }, null, null]);
    const t0 = performance.now();
    const grep = spawnSync('grep', ['-rci', 'notaire', path.join(dir, 'page')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const grepMs = performance.now() - t0;
    const grepCount = grep.stdout.split('\n').filter(Boolean).reduce((n, l) => n + Number(l.split(':').pop()), 0);
    return {
      pages: PAGES,
      lines: PAGES * 30,
      firstFindMs: round(first.ms),
      indexedFindMs: { median: round(median(indexed)), max: round(Math.max(...indexed)) },
      ignoringAccentsMs: round(accents.ms),
      hits: first.total,
      grepRcMs: round(grepMs),
      grepLinesWithHit: grepCount,
    };
  } finally {
    await server.stop();
  }
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const editor = await editorBench(browser);
  const find = await findBench();
  console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}`, load: os.loadavg().map((x) => round(x)), editor, find }, null, 2));
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
