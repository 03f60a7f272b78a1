// Benchmark: the page editor under load. A synthetic 60-megapixel JPEG and a PAGE
// file with 2,000 line polygons (both in a temporary folder), served by the built
// CLI's `serve`, opened in headless Debian Chromium with software rendering.
// Measures: time from opening the page to the first sharp view (every tile of the
// needed level drawn) with a cold tile cache (pyramid built on demand) and a warm
// one (server restarted, pyramid on disk); and frame times (requestAnimationFrame
// timestamps) while zooming and panning with the mouse wheel. Prints JSON.
// Usage: npm run build && node bench/editor-frames.mjs [--frames N] [--tiff] [--dir DIR] [--profile] [--profile-open] [--count-draws]
// (--profile: the hottest functions while the frames run; --profile-open: while the warm page opens;
// --count-draws: Konva layer redraws).
// Code inside page.evaluate runs in the browser.
/* global document, window, WheelEvent, requestAnimationFrame, MutationObserver */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const FRAMES = Number(arg('--frames', '240'));
const W = 9000;
const H = 6700; // 60.3 MP
const COLUMNS = 8;
const LINES_PER_COLUMN = 250;

// --dir DIR: keep the generated project and cache there (reused by later runs) instead of a temporary folder.
const keepDir = arg('--dir', null);
const tmp = keepDir ? path.resolve(keepDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bench-editor-'));
const projectDir = path.join(tmp, 'project');
const cacheDir = path.join(tmp, 'cache');
fs.mkdirSync(projectDir, { recursive: true });

/** A scan-like texture (noise on paper grey, with dark strokes) so JPEG and tiles cost what real scans cost. */
async function makeImage(file) {
  const T = 1024;
  const noise = Buffer.alloc(T * T * 3);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let y = 0; y < T; y++) {
    const ink = y % 34 > 22 && y % 34 < 27;
    for (let x = 0; x < T; x++) {
      const v = ink && rnd() < 0.35 ? 40 + rnd() * 60 : 200 + rnd() * 40;
      const i = (y * T + x) * 3;
      noise[i] = v;
      noise[i + 1] = v * 0.95;
      noise[i + 2] = v * 0.85;
    }
  }
  const tile = await sharp(noise, { raw: { width: T, height: T, channels: 3 } }).png().toBuffer();
  await sharp({ create: { width: W, height: H, channels: 3, background: '#d9d0bd' }, limitInputPixels: false })
    .composite([{ input: tile, tile: true }])
    .jpeg({ quality: 88 })
    .toFile(file);
}

/** 2,000 lines in 8 columns; each outline has 24 points, each baseline 12 (as eScriptorium writes them). */
function makePage(imageName) {
  const colW = Math.floor(W / COLUMNS);
  const pitch = Math.floor((H - 200) / LINES_PER_COLUMN);
  const pts = (list) => list.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).join(' ');
  const regions = [];
  let n = 0;
  for (let c = 0; c < COLUMNS; c++) {
    const x0 = c * colW + 40;
    const x1 = (c + 1) * colW - 40;
    const lines = [];
    for (let i = 0; i < LINES_PER_COLUMN; i++) {
      const base = 100 + (i + 1) * pitch - 6;
      const top = [];
      const bottom = [];
      const baseline = [];
      for (let k = 0; k < 12; k++) {
        const x = x0 + ((x1 - x0) * k) / 11;
        const wobble = Math.sin((k + i) * 1.7) * 3;
        top.push([x, base - pitch * 0.7 + wobble]);
        bottom.push([x, base + pitch * 0.25 - wobble]);
        baseline.push([x, base + wobble / 2]);
      }
      n++;
      lines.push(`      <TextLine id="l${n}"><Coords points="${pts([...top, ...bottom.reverse()])}"/><Baseline points="${pts(baseline)}"/><TextEquiv conf="${(0.5 + 0.5 * Math.sin(n)) .toFixed(3)}"><Unicode>line ${n}</Unicode></TextEquiv></TextLine>`);
    }
    regions.push(`    <TextRegion id="r${c + 1}"><Coords points="${pts([[x0 - 10, 90], [x1 + 10, 90], [x1 + 10, H - 90], [x0 - 10, H - 90]])}"/>\n${lines.join('\n')}\n    </TextRegion>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>bench</Creator><Created>2024-01-01T00:00:00Z</Created><LastChange>2024-01-01T00:00:00Z</LastChange></Metadata>
  <Page imageFilename="${imageName}" imageWidth="${W}" imageHeight="${H}">
${regions.join('\n')}
  </Page>
</PcGts>
`;
}

function startServer() {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'htr-studio.cjs'), 'serve', '--port', '0', '--project', projectDir], {
    env: { ...process.env, HTR_STUDIO_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    child.stdout.on('data', (d) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ url: out.slice(0, nl), stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) });
    });
  });
}

/**
 * Times are taken inside the page (Playwright's polling for a selector lags by up
 * to a few hundred ms): the moment a canvas's `data-sharp` turns "true", against
 * the navigation start or the click that opened the page.
 */
function recordSharpMoments() {
  window.__sharp = [];
  window.__clicks = [];
  document.addEventListener('click', (e) => window.__clicks.push(e.timeStamp), true);
  const note = (el) => {
    if (el.classList?.contains('page-canvas') && el.getAttribute('data-sharp') === 'true') window.__sharp.push([performance.now(), el.getAttribute('aria-label')]);
  };
  new MutationObserver((ms) => ms.forEach((m) => note(m.target))).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-sharp'] });
}

const sharpAt = (page, name) => page.evaluate((prefix) => window.__sharp.find(([, label]) => label?.startsWith(prefix))?.[0], `Page image ${name}.`);

/** Opens the editor and waits until the page is drawn at full detail; returns the milliseconds from navigation. */
async function timeToSharp(browser, url, profile = false) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(recordSharpMoments);
  const cdp = profile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await page.goto(url);
  await page.locator('.page-canvas[data-sharp="true"]').waitFor({ timeout: 300_000 });
  const ms = await sharpAt(page, 'synthetic'); // performance.now() counts from the navigation start
  const openProfile = cdp ? hotFunctions((await cdp.send('Profiler.stop')).profile) : undefined;
  return { page, ms, openProfile };
}

/** Waits until the server has finished building every pyramid (no preview or temporary folder left in the cache). */
async function pyramidsBuilt() {
  const dir = path.join(cacheDir, 'tiles');
  for (;;) {
    const busy = fs.existsSync(dir) && fs.readdirSync(dir).some((d) => d.endsWith('.quick') || d.endsWith('.tmp'));
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens another page from the page list of the running app; the milliseconds from the click until it is drawn at full detail. */
async function timeToSharpOnOpen(page, name) {
  await page.evaluate(() => (window.__sharp = []));
  await page.locator('button.page-item').filter({ has: page.locator('.page-name', { hasText: new RegExp(`^${name}$`) }) }).click();
  await page.locator(`.page-canvas[data-sharp="true"][aria-label^="Page image ${name}."]`).waitFor({ timeout: 300_000 });
  const clicked = await page.evaluate(() => window.__clicks[window.__clicks.length - 1]);
  return (await sharpAt(page, name)) - clicked;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Zooms in and out around the canvas centre and pans sideways with wheel events, one per frame; returns frame intervals. */
async function frameTimes(page, frames) {
  await page.locator('.page-canvas').focus();
  return page.evaluate(async (count) => {
    const el = document.querySelector('.page-canvas .konvajs-content') ?? document.querySelector('.page-canvas');
    const box = el.getBoundingClientRect();
    const cx = box.left + box.width / 2;
    const cy = box.top + box.height / 2;
    const stamps = [];
    await new Promise((done) => {
      let i = 0;
      const step = (ts) => {
        stamps.push(ts);
        if (i >= count) return done();
        // 6 phases: zoom in, pan right, pan left, zoom out… (a person exploring the page).
        const phase = Math.floor(i / 20) % 4;
        const init = { clientX: cx, clientY: cy, bubbles: true, cancelable: true };
        if (phase === 0) el.dispatchEvent(new WheelEvent('wheel', { ...init, deltaY: -60 }));
        else if (phase === 1) el.dispatchEvent(new WheelEvent('wheel', { ...init, deltaX: 40, deltaY: 0 }));
        else if (phase === 2) el.dispatchEvent(new WheelEvent('wheel', { ...init, deltaX: -40, deltaY: 0 }));
        else el.dispatchEvent(new WheelEvent('wheel', { ...init, deltaY: 60 }));
        i++;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    return stamps.slice(1).map((t, k) => t - stamps[k]);
  }, frames);
}

/** Self time by function from a CPU profile, the top 15 (for --profile). */
function hotFunctions(profile) {
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  for (const n of profile.nodes) {
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, ms]) => `${ms.toFixed(0)} ms  ${k}`);
}

const report = { machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: '' } };
try {
  let t = performance.now();
  // --tiff: the page images as LZW-compressed TIFFs (no shrink-on-load: the preview needs a full decode).
  const ext = process.argv.includes('--tiff') ? 'tif' : 'jpg';
  const img = (stem) => path.join(projectDir, `${stem}.${ext}`);
  fs.rmSync(cacheDir, { recursive: true, force: true }); // the cold view starts without a pyramid
  const source = path.join(tmp, 'source.jpg'); // generated once, outside the project
  if (!fs.existsSync(source)) await makeImage(source);
  for (const f of fs.readdirSync(projectDir)) fs.rmSync(path.join(projectDir, f), { recursive: true });
  if (ext === 'tif') await sharp(source, { limitInputPixels: false }).tiff({ compression: 'lzw' }).toFile(img('synthetic'));
  else fs.copyFileSync(source, img('synthetic'));
  // A second page (its own image file, so its own pyramid) to time opening a page in the running app.
  fs.copyFileSync(img('synthetic'), img('synthetic-b'));
  fs.writeFileSync(path.join(projectDir, 'synthetic.xml'), makePage(`synthetic.${ext}`));
  fs.writeFileSync(path.join(projectDir, 'synthetic-b.xml'), makePage(`synthetic-b.${ext}`));
  report.setup = { image: `${W}×${H} (${((W * H) / 1e6).toFixed(1)} MP) ${ext === 'tif' ? 'LZW TIFF' : 'JPEG'}, ${(fs.statSync(img('synthetic')).size / 1e6).toFixed(1)} MB`, lines: COLUMNS * LINES_PER_COLUMN, generateMs: Math.round(performance.now() - t) };

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  report.machine.chromium = browser.version();
  try {
    let server = await startServer();
    const cold = await timeToSharp(browser, server.url);
    // From navigation: the app starts, then shows its first page. On open: a page opened from the page list.
    report.firstSharpViewMs = { cold: Math.round(cold.ms), coldOnOpen: Math.round(await timeToSharpOnOpen(cold.page, 'synthetic-b')) };
    await cold.page.close();
    await pyramidsBuilt();
    await server.stop();
    server = await startServer();
    const warm = await timeToSharp(browser, server.url, process.argv.includes('--profile-open'));
    report.firstSharpViewMs.warm = Math.round(warm.ms);
    if (warm.openProfile) report.openProfile = warm.openProfile;
    report.firstSharpViewMs.warmOnOpen = Math.round(await timeToSharpOnOpen(warm.page, 'synthetic-b'));
    // Back to the first page (warm), where the frames are measured.
    await timeToSharpOnOpen(warm.page, 'synthetic');
    const cdp = process.argv.includes('--profile') ? await warm.page.context().newCDPSession(warm.page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (process.argv.includes('--count-draws')) {
      await warm.page.evaluate(() => {
        const K = window.Konva;
        window.__draws = [];
        K.stages[0].getLayers().forEach((l, i) => l.on('draw', () => window.__draws.push(i)));
      });
    }
    const intervals = await frameTimes(warm.page, FRAMES);
    if (process.argv.includes('--count-draws')) report.layerDraws = await warm.page.evaluate(() => window.__draws.reduce((m, i) => ((m[i] = (m[i] ?? 0) + 1), m), {}));
    if (cdp) report.profile = hotFunctions((await cdp.send('Profiler.stop')).profile);
    report.frames = {
      count: intervals.length,
      medianMs: +quantile(intervals, 0.5).toFixed(1),
      p95Ms: +quantile(intervals, 0.95).toFixed(1),
      maxMs: +Math.max(...intervals).toFixed(1),
      // Frames are whole vsync intervals (16.7 ms): the share that took two or more.
      overOneVsync: +(intervals.filter((x) => x > 20).length / intervals.length).toFixed(3),
    };
    await warm.page.close();
    await server.stop();
  } finally {
    await browser.close();
  }
  report.goals = { p95FrameMs: 33, firstViewWarmMs: 1000, firstViewColdMs: 3000 };
  const v = report.firstSharpViewMs;
  report.met = { frames: report.frames.p95Ms <= 33, warm: v.warmOnOpen <= 1000, cold: v.coldOnOpen <= 3000, warmAppStart: v.warm <= 1000, coldAppStart: v.cold <= 3000 };
  console.log(JSON.stringify(report, null, 2));
} finally {
  if (!keepDir) fs.rmSync(tmp, { recursive: true, force: true });
}
