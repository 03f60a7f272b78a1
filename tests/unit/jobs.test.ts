/**
 * Long jobs in the engine: one at a time, cancellable through the AbortSignal,
 * reported as events; recognition of a page, of some lines (only their text
 * changes) and of a whole project (other pages written to disk); layout
 * detection replacing regions; line images. Fake models keep these fast; one
 * test runs real Tesseract on a real page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobEvent, JobRequest, ModelInfo } from '../../electron/common/api/service.js';
import { JobEventHub } from '../../electron/common/api/job-events.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { findLine } from '../../electron/common/model/ops.js';
import type { Decoded } from '../../electron/common/recognition/ctc.js';
import type { LayoutResult } from '../../electron/common/layout/types.js';
import { JobRunner } from '../../electron/node/jobs/job-runner.js';
import type { ModelProvider } from '../../electron/node/jobs/model-catalog.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import type { LineRecognizer } from '../../electron/node/recognition/recognizer.js';
import type { LayoutDetector } from '../../electron/node/layout/detector.js';
import { CORPUS } from '../helpers/corpus.js';
import { lineVersions } from '../../electron/common/model/provenance.js';

const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';

const model = (id: string, isDefault = false): ModelInfo => ({ id, name: id, family: 'other', description: '', languages: [], origin: 'builtin', isDefault });

/** A recogniser that answers "line N" for the Nth line, slowly when asked, and stops on abort. */
function fakeRecognizer(delayMs = 0): LineRecognizer & { calls: number; beams: (number | undefined)[] } {
  const rec = {
    calls: 0,
    beams: [] as (number | undefined)[],
    manifest: { id: 'fake-rec', name: 'fake', family: 'other', task: 'recognition', licence: 'none' },
    input: { height: 32, channels: 1, invert: false, normalize: { scale: 1, mean: 0, std: 1 }, padValue: 255 },
    async recognize(lines: readonly unknown[], opts: { signal?: AbortSignal; onProgress?: (d: number, t: number) => void; beam?: number } = {}): Promise<Decoded[]> {
      rec.beams.push(opts.beam);
      const out: Decoded[] = [];
      for (let i = 0; i < lines.length; i++) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        opts.signal?.throwIfAborted();
        rec.calls++;
        out.push({ text: `line ${i + 1}`, chars: [], conf: 0.5 });
        opts.onProgress?.(i + 1, lines.length);
      }
      return out;
    },
    async dispose() {},
  };
  return rec as unknown as LineRecognizer & { calls: number; beams: (number | undefined)[] };
}

const fakeDetector: LayoutDetector = {
  manifest: { id: 'fake-layout', name: 'fake', family: 'other', task: 'layout', licence: 'none' },
  async detect(): Promise<LayoutResult> {
    return {
      width: 2000,
      height: 3000,
      detector: 'fake-layout',
      regions: [{ polygon: [{ x: 100, y: 100 }, { x: 1500, y: 100 }, { x: 1500, y: 800 }, { x: 100, y: 800 }], label: 'MainZone', conf: 0.9 }],
      lines: [
        { polygon: [{ x: 150, y: 150 }, { x: 1400, y: 150 }, { x: 1400, y: 250 }, { x: 150, y: 250 }], label: 'DefaultLine', conf: 0.9, baseline: [{ x: 150, y: 230 }, { x: 1400, y: 230 }] },
        { polygon: [{ x: 150, y: 300 }, { x: 1400, y: 300 }, { x: 1400, y: 400 }, { x: 150, y: 400 }], label: 'DefaultLine', conf: 0.9, baseline: [{ x: 150, y: 380 }, { x: 1400, y: 380 }] },
      ],
    };
  },
  async dispose() {},
};

function fakeModels(rec: LineRecognizer): ModelProvider {
  return {
    recognizers: () => [model('fake-rec', true), model('other-rec')],
    detectors: () => [model('fake-layout', true)],
    recognizer: async () => rec,
    detector: async () => fakeDetector,
    dispose: async () => undefined,
  };
}

let root: string;
let cacheDir: string;

/** A project of three copies of a real page (pages a, b and c), the open one being "a". */
function makeProject(): string {
  const dir = fs.mkdtempSync(path.join(root, 'project-'));
  fs.mkdirSync(path.join(dir, 'page'));
  const xml = fs.readFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), 'utf8');
  for (const stem of ['a', 'b', 'c']) {
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(dir, `${stem}.jpg`));
    fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), xml.replace(/imageFilename="[^"]*"/, `imageFilename="${stem}.jpg"`));
  }
  return dir;
}

function collect(hub: JobEventHub): { events: JobEvent[]; finished: (jobId: string) => Promise<JobEvent & { type: 'finished' }> } {
  const events: JobEvent[] = [];
  const waiters = new Map<string, (e: JobEvent & { type: 'finished' }) => void>();
  hub.subscribe((e) => {
    events.push(e);
    if (e.type === 'finished') waiters.get(e.jobId)?.(e);
  });
  return {
    events,
    finished: (jobId) => {
      const done = events.find((e) => e.type === 'finished' && e.jobId === jobId);
      return done ? Promise.resolve(done as JobEvent & { type: 'finished' }) : new Promise((r) => waiters.set(jobId, r));
    },
  };
}

function request(service: LocalProjectService, over: Partial<JobRequest> = {}): JobRequest {
  return { kind: 'recognize', scope: 'page', modelId: null, pageId: 'a.jpg', xml: fs.readFileSync(path.join(service.root, 'page', 'a.xml'), 'utf8'), lineIds: [], beam: null, replaceCorrected: true, ...over };
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-jobs-'));
  cacheDir = path.join(root, 'cache');
});

afterAll(async () => {
  // Opening a page builds its pyramid behind the answer: let it finish before its cache goes.
  await pyramidBuildsSettled();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('job runner', () => {
  it('runs one job at a time, reports one finished event, and cancels through the signal', async () => {
    const hub = new JobEventHub();
    const { events, finished } = collect(hub);
    const runner = new JobRunner(hub);
    let seen: AbortSignal | undefined;
    const id = runner.start(async (ctx) => {
      seen = ctx.signal;
      ctx.progress(1, 3, null, 'x');
      await new Promise((r) => setTimeout(r, 200));
      ctx.emit({ type: 'page-saved', pageId: 'late' }); // after cancel: dropped
      return 'never';
    });
    expect(() => runner.start(async () => 'second')).toThrow(/another job is running/);
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.cancel('job-unknown')).toBe(false);
    expect(runner.cancel(id)).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect((await finished(id)).status).toBe('cancelled');
    expect(events.filter((e) => e.type === 'page-saved')).toEqual([]);
    expect(events.filter((e) => e.type === 'finished')).toHaveLength(1);
    expect(runner.running).toBeNull();
    // A failing job is reported with its message; the runner takes the next one.
    const bad = runner.start(async () => {
      throw new Error('model file missing');
    });
    expect(await finished(bad)).toMatchObject({ status: 'failed', message: 'model file missing' });
  });
});

describe('recognition and layout jobs on a project', () => {
  it('recognises the open page from the editor\'s text and sends it back as an event, writing nothing', async () => {
    const dir = makeProject();
    const events = new JobEventHub();
    const { events: got, finished } = collect(events);
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(fakeRecognizer()), events });
    const before = fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8');
    // The editor's unsaved state: one line's text changed.
    const doc = readDocument(before).doc;
    const first = allLines(doc.page.regions)[0]!;
    const { jobId } = await service.startJob(request(service));
    expect((await finished(jobId)).status).toBe('done');
    const result = got.find((e) => e.type === 'page-result');
    expect(result).toMatchObject({ type: 'page-result', kind: 'recognize', pageId: 'a.jpg', lineIds: null });
    const out = readDocument((result as { xml: string }).xml).doc;
    const lines = allLines(out.page.regions);
    expect(lines).toHaveLength(48);
    expect(lines.every((l) => /^line \d+$/.test(l.textEquivs[0]!.unicode) && l.textEquivs[0]!.conf === 0.5)).toBe(true);
    // Geometry untouched.
    expect(findLine(out, first.id)!.line.baseline).toEqual(first.baseline);
    expect(got.some((e) => e.type === 'progress' && e.total > 0)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8')).toBe(before);
  });

  it('recognises selected lines only: the other lines keep their text', async () => {
    const dir = makeProject();
    const events = new JobEventHub();
    const { events: got, finished } = collect(events);
    const rec = fakeRecognizer();
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(rec), events });
    const doc = readDocument(fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8')).doc;
    const lines = allLines(doc.page.regions);
    const pick = [lines[3]!.id, lines[10]!.id];
    const { jobId } = await service.startJob(request(service, { scope: 'lines', lineIds: pick }));
    expect((await finished(jobId)).status).toBe('done');
    expect(rec.calls).toBe(2);
    // No beam asked for: the recogniser's own default decides.
    expect(rec.beams).toEqual([undefined]);
    // "Careful reading" asks for a beam, and the recogniser gets it.
    const second = await service.startJob(request(service, { scope: 'lines', lineIds: pick, beam: 8 }));
    expect((await finished(second.jobId)).status).toBe('done');
    expect(rec.beams).toEqual([undefined, 8]);
    const result = got.find((e) => e.type === 'page-result') as { xml: string; lineIds: readonly string[] };
    expect(result.lineIds).toEqual(pick);
    const out = readDocument(result.xml).doc;
    for (const l of lines) {
      const now = findLine(out, l.id)!.line;
      if (pick.includes(l.id)) expect(now.textEquivs[0]!.unicode).toMatch(/^line [12]$/);
      else expect(now.textEquivs).toEqual(l.textEquivs);
    }
  });

  it('recognises a whole project: the other pages are written, the open one comes back as an event', async () => {
    const dir = makeProject();
    const events = new JobEventHub();
    const { events: got, finished } = collect(events);
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(fakeRecognizer()), events });
    const before = fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8');
    const { jobId } = await service.startJob(request(service, { scope: 'project' }));
    expect(await finished(jobId)).toMatchObject({ status: 'done', message: '144 lines recognised on 3 pages (2 saved)' });
    expect(got.filter((e) => e.type === 'page-saved').map((e) => (e as { pageId: string }).pageId).sort()).toEqual(['b.jpg', 'c.jpg']);
    expect(got.filter((e) => e.type === 'page-result')).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8')).toBe(before);
    const b = readDocument(fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8')).doc;
    expect(allLines(b.page.regions).every((l) => l.textEquivs[0]!.conf === 0.5)).toBe(true);
    // Each line's history says the text is this model's reading, after the text the file had.
    const versions = lineVersions(allLines(b.page.regions)[0]!);
    expect(versions.at(-1)).toMatchObject({ text: 'line 1', by: { kind: 'model', model: 'fake-rec' }, conf: 0.5 });
    expect(versions[0]!.by.kind).toBe('unknown');
  });

  it('cancels a project job: it stops, reports "cancelled", and sends no result', async () => {
    const dir = makeProject();
    const events = new JobEventHub();
    const { events: got, finished } = collect(events);
    const rec = fakeRecognizer(30);
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(rec), events });
    const { jobId } = await service.startJob(request(service, { scope: 'project' }));
    await expect.poll(() => rec.calls, { timeout: 30_000 }).toBeGreaterThan(2);
    expect(await service.cancelJob(jobId)).toBe(true);
    expect((await finished(jobId)).status).toBe('cancelled');
    expect(rec.calls).toBeLessThan(48 * 3);
    expect(got.filter((e) => e.type === 'page-result' || e.type === 'page-saved')).toEqual([]);
    expect(await service.cancelJob(jobId)).toBe(false);
  });

  it('detects the layout of the open page: regions and lines replaced, page attributes kept', async () => {
    const dir = makeProject();
    const events = new JobEventHub();
    const { events: got, finished } = collect(events);
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(fakeRecognizer()), events });
    const { jobId } = await service.startJob(request(service, { kind: 'detect' }));
    expect(await finished(jobId)).toMatchObject({ status: 'done', message: '2 lines found' });
    const out = readDocument((got.find((e) => e.type === 'page-result') as { xml: string }).xml).doc;
    expect(allLines(out.page.regions)).toHaveLength(2);
    expect(out.page.imageFilename).toBe('a.jpg');
  });

  it('refuses bad requests before starting anything', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(fakeRecognizer()) });
    const xml = fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8');
    const call = (req: unknown) => dispatch(service, 'startJob', [req]);
    expect(await call({ kind: 'recognize', scope: 'page', modelId: null, pageId: '../etc/passwd', xml, lineIds: [], beam: null, replaceCorrected: false })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call({ kind: 'transcribe', scope: 'page', modelId: null, pageId: 'a.jpg', xml, lineIds: [], beam: null, replaceCorrected: false })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call({ kind: 'recognize', scope: 'page', modelId: 'nope', pageId: 'a.jpg', xml, lineIds: [], beam: null, replaceCorrected: false })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call({ kind: 'detect', scope: 'lines', modelId: null, pageId: 'a.jpg', xml, lineIds: ['x'], beam: null, replaceCorrected: false })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call({ kind: 'recognize', scope: 'page', modelId: null, pageId: 'a.jpg', xml, lineIds: [], beam: null, replaceCorrected: false, extra: 1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // The beam width is a whole number from 0 to 100, or null (the model's default); it must be said.
    for (const beam of [101, -1, 2.5, 'wide', undefined]) {
      expect(await call({ kind: 'recognize', scope: 'page', modelId: null, pageId: 'a.jpg', xml, lineIds: [], beam, replaceCorrected: false })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(await dispatch(service, 'cancelJob', ['job/../x'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch(service, 'listModels', [])).toMatchObject({ ok: true, value: [{ id: 'fake-rec', isDefault: true }, { id: 'other-rec' }] });
  });

  it('cuts a line image as a PNG data URL, and refuses odd point lists', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir, models: fakeModels(fakeRecognizer()) });
    const opened = await service.openPage('a.jpg');
    const line = allLines(readDocument(opened.xml).doc.page.regions)[5]!;
    const poly = line.coords!.points.flatMap((p) => [p.x, p.y]);
    const base = line.baseline!.points.flatMap((p) => [p.x, p.y]);
    const env = await dispatch(service, 'getLineImage', ['a.jpg', poly, base]);
    expect(env.ok).toBe(true);
    const url = (env as { value: string }).value;
    expect(url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(url.split(',')[1]!, 'base64');
    expect(png.readUInt32BE(20)).toBe(72); // IHDR height: lines are cut at one display height
    // Cached: the same line again is the same string, fast.
    expect((await dispatch(service, 'getLineImage', ['a.jpg', poly, base])) as { value: string }).toMatchObject({ value: url });
    expect(await dispatch(service, 'getLineImage', ['a.jpg', [1, 2, 3], []])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch(service, 'getLineImage', ['a.jpg', [1, 2, 3, 4, 5, 'x'], []])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('real Tesseract through the service', () => {
  it('recognises two selected lines of a real page with tesseract-fra, with confidences', async () => {
    const dir = makeProject();
    const events = new JobEventHub();
    const { events: got, finished } = collect(events);
    const service = new LocalProjectService(dir, { cacheDir, events });
    try {
      expect((await service.listModels()).map((m) => m.id)).toEqual(expect.arrayContaining(['tesseract-eng', 'tesseract-fra']));
      expect((await service.listDetectors()).filter((d) => d.isDefault)).toHaveLength(1);
      const xml = fs.readFileSync(path.join(dir, 'page', 'a.xml'), 'utf8');
      const lines = allLines(readDocument(xml).doc.page.regions);
      const pick = [lines[0]!.id, lines[1]!.id];
      const { jobId } = await service.startJob({ kind: 'recognize', scope: 'lines', modelId: 'tesseract-fra', pageId: 'a.jpg', xml, lineIds: pick, beam: null, replaceCorrected: true });
      expect((await finished(jobId)).status).toBe('done');
      const out = readDocument((got.find((e) => e.type === 'page-result') as { xml: string }).xml).doc;
      for (const id of pick) {
        const te = findLine(out, id)!.line.textEquivs[0]!;
        expect(te.unicode.length).toBeGreaterThan(3);
        expect(te.conf).toBeGreaterThan(0);
        expect(te.conf).toBeLessThanOrEqual(1);
      }
      // The written PAGE carries the conf attribute.
      expect(writeDocument(out).xml).toMatch(/<TextEquiv conf="0\.\d+"/);
    } finally {
      await service.models.dispose();
    }
  }, 120_000);
});
