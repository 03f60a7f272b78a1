/**
 * Two writers of one page never lose an edit: saves from the same revision
 * (two tabs, a tab and a retry), an external edit that keeps size and time, a
 * project-wide job and a person editing the page it works on. And machine text
 * never replaces a person's unless asked for in that run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobEvent, JobRequest, ModelInfo } from '../../electron/common/api/service.js';
import { JobEventHub } from '../../electron/common/api/job-events.js';
import { ApiError } from '../../electron/common/api/errors.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { findLine, setLineText, translate } from '../../electron/common/model/ops.js';
import { isPersonText, mergeLineTexts, personLineCount } from '../../electron/common/model/merge.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import type { Decoded } from '../../electron/common/recognition/ctc.js';
import type { ModelProvider } from '../../electron/node/jobs/model-catalog.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import type { LineRecognizer } from '../../electron/node/recognition/recognizer.js';
import type { LayoutDetector } from '../../electron/node/layout/detector.js';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import { CORPUS } from '../helpers/corpus.js';

const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';
const PAGE_XML = fs.readFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), 'utf8');

const model = (id: string): ModelInfo => ({ id, name: id, family: 'other', description: '', languages: [], origin: 'builtin', isDefault: true });

/** "machine N" for the Nth line read, with a confidence; waits `gate` before each page when given. */
function slowRecognizer(gate?: () => Promise<void>): LineRecognizer {
  return {
    manifest: { id: 'fake-rec', name: 'fake', family: 'other', task: 'recognition', licence: 'none' },
    input: { height: 32, channels: 1, invert: false, normalize: { scale: 1, mean: 0, std: 1 }, padValue: 255 },
    async recognize(lines: readonly unknown[]): Promise<Decoded[]> {
      await gate?.();
      return lines.map((_, i) => ({ text: `machine ${i + 1}`, chars: [], conf: 0.5 }));
    },
    async dispose() {},
  } as unknown as LineRecognizer;
}

const detector: LayoutDetector = {
  manifest: { id: 'fake-layout', name: 'fake', family: 'other', task: 'layout', licence: 'none' },
  async detect() {
    return { width: 3072, height: 4608, detector: 'fake-layout', regions: [], lines: [] };
  },
  async dispose() {},
} as unknown as LayoutDetector;

const models = (rec: LineRecognizer): ModelProvider => ({
  recognizers: () => [model('fake-rec')],
  detectors: () => [model('fake-layout')],
  recognizer: async () => rec,
  detector: async () => detector,
  dispose: async () => undefined,
});

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-writers-'));
});
afterAll(async () => {
  await pyramidBuildsSettled();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Pages a, b, c: copies of a real eScriptorium page (48 lines transcribed by people). */
function makeProject(): string {
  const dir = fs.mkdtempSync(path.join(root, 'project-'));
  fs.mkdirSync(path.join(dir, 'page'));
  for (const stem of ['a', 'b', 'c']) {
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(dir, `${stem}.jpg`));
    fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), PAGE_XML.replace(/imageFilename="[^"]*"/, `imageFilename="${stem}.jpg"`));
  }
  return dir;
}

function finishedOf(hub: JobEventHub): { events: JobEvent[]; finished: (id: string) => Promise<JobEvent & { type: 'finished' }> } {
  const events: JobEvent[] = [];
  hub.subscribe((e) => events.push(e));
  return {
    events,
    finished: async (id) => {
      await expect.poll(() => events.some((e) => e.type === 'finished' && e.jobId === id), { timeout: 30_000 }).toBe(true);
      return events.find((e) => e.type === 'finished' && e.jobId === id) as JobEvent & { type: 'finished' };
    },
  };
}

const projectJob = (service: LocalProjectService, over: Partial<JobRequest> = {}): JobRequest => ({
  kind: 'recognize', scope: 'project', modelId: null, pageId: 'a.jpg', xml: fs.readFileSync(path.join(service.root, 'page', 'a.xml'), 'utf8'), lineIds: [], beam: null, replaceCorrected: false, ...over,
});

const texts = (doc: PageDocument) => allLines(doc.page.regions).map((l) => l.textEquivs[0]?.unicode ?? '');
const readPage = (dir: string, stem: string) => readDocument(fs.readFileSync(path.join(dir, 'page', `${stem}.xml`), 'utf8')).doc;

describe('saves of one page', () => {
  it('lets exactly one of two saves from the same revision through; the other gets 409 and the current revision', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache') });
    for (let round = 0; round < 10; round++) {
      const opened = await service.openPage('b.jpg');
      const doc = readDocument(opened.xml).doc;
      const line = allLines(doc.page.regions)[round]!.id;
      const mine = writeDocument(setLineText(doc, line, `tab one ${round}`)).xml;
      const theirs = writeDocument(setLineText(doc, line, `tab two ${round}`)).xml;
      const results = await Promise.allSettled([service.savePage('b.jpg', mine, opened.revision), service.savePage('b.jpg', theirs, opened.revision)]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const err = refused[0]!.reason as ApiError;
      expect(err.code).toBe('conflict');
      const winner = (ok[0] as PromiseFulfilledResult<{ revision: string }>).value;
      expect(err.details.revision).toBe(winner.revision);
      const onDisk = fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8');
      expect([mine, theirs]).toContain(onDisk);
    }
  });

  it('sees an external edit that keeps the size and the modification time (cp -p, rsync -t)', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache') });
    const file = path.join(dir, 'page', 'c.xml');
    const opened = await service.openPage('c.jpg');
    const st = fs.statSync(file);
    // One letter of a transcription changed: same size.
    const other = opened.xml.replace(/<Unicode>([a-z])/, (_, c: string) => `<Unicode>${c === 'q' ? 'z' : 'q'}`);
    expect(other).not.toBe(opened.xml);
    expect(Buffer.byteLength(other)).toBe(st.size);
    fs.writeFileSync(file, other);
    fs.utimesSync(file, st.atime, st.mtime);
    const env = await dispatch(service, 'savePage', ['c.jpg', opened.xml, opened.revision]);
    expect(env).toMatchObject({ ok: false, error: { code: 'conflict', details: { revision: expect.stringMatching(/^sha256-/) } } });
    expect(fs.readFileSync(file, 'utf8')).toBe(other);
  });
});

describe('a page that starts as a bare image', () => {
  it('keeps its id through its first save: edited, autosaved, edited and saved again, recognised, exported', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'bare-'));
    fs.mkdirSync(path.join(dir, 'page'));
    fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(dir, 'scan.jpg'));
    const hub = new JobEventHub();
    const { events, finished } = finishedOf(hub);
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: models(slowRecognizer()), events: hub });
    const opened = await service.openPage('scan.jpg');
    expect(opened.revision).toBeNull();
    // The person draws the page's lines (here: those of the real page), autosave writes the first file.
    const drawn = readDocument(PAGE_XML.replace(/imageFilename="[^"]*"/, 'imageFilename="scan.jpg"')).doc;
    const first = await service.savePage('scan.jpg', writeDocument(drawn).xml, opened.revision);
    expect(first.xmlPath).toBe('page/scan.xml');
    expect((await service.listPages()).map((p) => p.id)).toEqual(['scan.jpg']);
    const lineId = allLines(drawn.page.regions)[0]!.id;
    const second = await service.savePage('scan.jpg', writeDocument(setLineText(drawn, lineId, 'typed')).xml, first.revision);
    const again = await service.openPage('scan.jpg');
    expect(again.revision).toBe(second.revision);
    const { jobId } = await service.startJob({ kind: 'recognize', scope: 'page', modelId: null, pageId: 'scan.jpg', xml: again.xml, lineIds: [], beam: null, replaceCorrected: true });
    expect((await finished(jobId)).status).toBe('done');
    expect(events.some((e) => e.type === 'page-result' && e.pageId === 'scan.jpg')).toBe(true);
    expect((await service.exportPage('scan.jpg', again.xml, 'alto-4')).fileName).toBe('scan.alto.xml');
    expect(await service.getLineImage('scan.jpg', [10, 10, 400, 10, 400, 60, 10, 60], [10, 50, 400, 50])).toMatch(/^data:image\/png;base64,/);
  });
});

/** A gate a job's model waits at on its second page (page b), until `release`: the moment a person saves meanwhile. */
function secondPageGate(): { wait: () => Promise<void>; reached: () => number; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let pagesSeen = 0;
  return {
    wait: async () => {
      if (++pagesSeen === 2) await held;
    },
    reached: () => pagesSeen,
    release: () => release(),
  };
}

describe('project-wide jobs and a person editing', () => {
  it('merges the job\'s text into the lines the person did not touch while it worked on their page', async () => {
    const dir = makeProject();
    const hub = new JobEventHub();
    const { events, finished } = finishedOf(hub);
    // The job reads page b, then waits while the person saves an edit to b.
    const gate = secondPageGate();
    const rec = slowRecognizer(gate.wait);
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: models(rec), events: hub });
    const { jobId } = await service.startJob(projectJob(service, { replaceCorrected: true }));
    await expect.poll(gate.reached, { timeout: 30_000 }).toBe(2);
    const opened = await service.openPage('b.jpg');
    const doc = readDocument(opened.xml).doc;
    const edited = allLines(doc.page.regions)[5]!.id;
    await service.savePage('b.jpg', writeDocument(setLineText(doc, edited, 'the person\'s reading')).xml, opened.revision);
    gate.release();
    expect(await finished(jobId)).toMatchObject({ status: 'done' });
    const b = readPage(dir, 'b');
    expect(findLine(b, edited)!.line.textEquivs[0]).toEqual({ unicode: 'the person\'s reading' });
    const others = allLines(b.page.regions).filter((l) => l.id !== edited);
    expect(others.every((l) => /^machine \d+$/.test(l.textEquivs[0]!.unicode))).toBe(true);
    expect(events.filter((e) => e.type === 'page-saved').map((e) => (e as { pageId: string }).pageId).sort()).toEqual(['b.jpg', 'c.jpg']);
  });

  it('keeps the person\'s geometry when it merges the job\'s text into a page they edited', async () => {
    const dir = makeProject();
    const hub = new JobEventHub();
    const { finished } = finishedOf(hub);
    const gate = secondPageGate();
    const rec = slowRecognizer(gate.wait);
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: models(rec), events: hub });
    const { jobId } = await service.startJob(projectJob(service, { replaceCorrected: true }));
    await expect.poll(gate.reached, { timeout: 30_000 }).toBe(2);
    const opened = await service.openPage('b.jpg');
    const doc = readDocument(opened.xml).doc;
    const moved = translate(doc, [doc.page.regions[0]!.id], 5, 0);
    await service.savePage('b.jpg', writeDocument(moved).xml, opened.revision);
    gate.release();
    expect((await finished(jobId)).status).toBe('done');
    const b = readPage(dir, 'b');
    expect(b.page.regions[0]!.coords).toEqual(moved.page.regions[0]!.coords);
    expect(allLines(b.page.regions).every((l) => /^machine \d+$/.test(l.textEquivs[0]!.unicode))).toBe(true);
  });

  it('leaves a page a person saved during a project-wide layout detection as they saved it, and says so', async () => {
    const dir = makeProject();
    const hub = new JobEventHub();
    const { finished } = finishedOf(hub);
    const gate = secondPageGate();
    const gated: LayoutDetector = { ...detector, detect: async (...args: Parameters<LayoutDetector['detect']>) => {
      await gate.wait();
      return detector.detect(...args);
    } } as LayoutDetector;
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: { ...models(slowRecognizer()), detector: async () => gated }, events: hub });
    const { jobId } = await service.startJob(projectJob(service, { kind: 'detect', replaceCorrected: true }));
    await expect.poll(gate.reached, { timeout: 30_000 }).toBe(2);
    const opened = await service.openPage('b.jpg');
    const doc = readDocument(opened.xml).doc;
    const saved = writeDocument(setLineText(doc, allLines(doc.page.regions)[0]!.id, 'kept')).xml;
    await service.savePage('b.jpg', saved, opened.revision);
    gate.release();
    expect((await finished(jobId)).message).toBe('0 lines found on 3 pages (1 saved); 1 page changed meanwhile and left alone');
    expect(fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8')).toBe(saved);
  });

  it('keeps the text people wrote unless the run asks to replace it, and says how many lines it left', async () => {
    const dir = makeProject();
    const hub = new JobEventHub();
    const { finished } = finishedOf(hub);
    // Page b: its first 8 lines read by a model earlier (a confidence), the other 40 by people.
    const b = readPage(dir, 'b');
    const machine = allLines(b.page.regions).slice(0, 8).map((l) => l.id);
    const withMachine = machine.reduce((d, id) => setLineText(d, id, 'old model text', 0.3), b);
    fs.writeFileSync(path.join(dir, 'page', 'b.xml'), writeDocument(withMachine).xml);
    expect(personLineCount(withMachine)).toBe(40);
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: models(slowRecognizer()), events: hub });

    const first = await service.startJob(projectJob(service));
    const done = await finished(first.jobId);
    expect(done.message).toBe('8 lines recognised on 3 pages (1 saved); 136 corrected lines left as people wrote them');
    const after = readPage(dir, 'b');
    for (const l of allLines(after.page.regions)) {
      const was = findLine(withMachine, l.id)!.line;
      if (machine.includes(l.id)) expect(l.textEquivs[0]).toMatchObject({ conf: 0.5, unicode: expect.stringMatching(/^machine \d$/) });
      else expect(l.textEquivs).toEqual(was.textEquivs);
    }
    expect(texts(readPage(dir, 'c'))).toEqual(texts(readDocument(PAGE_XML).doc));

    // Asked for in this run: every line is read again.
    const second = await service.startJob(projectJob(service, { replaceCorrected: true }));
    expect((await finished(second.jobId)).message).toBe('144 lines recognised on 3 pages (2 saved)');
    expect(allLines(readPage(dir, 'c').page.regions).every((l) => !isPersonText(l))).toBe(true);
  });

  it('leaves pages with a person\'s text out of a project-wide layout detection unless asked', async () => {
    const dir = makeProject();
    const hub = new JobEventHub();
    const { finished } = finishedOf(hub);
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: models(slowRecognizer()), events: hub });
    const before = fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8');
    const { jobId } = await service.startJob(projectJob(service, { kind: 'detect' }));
    expect((await finished(jobId)).message).toBe('0 lines found on 3 pages (0 saved); pages with 144 corrected lines left as they were');
    expect(fs.readFileSync(path.join(dir, 'page', 'b.xml'), 'utf8')).toBe(before);
  });

  it('does not re-read corrected lines of pages recognised for the editor to apply later', async () => {
    const dir = makeProject();
    const hub = new JobEventHub();
    const { events, finished } = finishedOf(hub);
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache'), models: models(slowRecognizer()), events: hub });
    const { jobId } = await service.recognizePages({ pageIds: ['b.jpg'], modelId: null, beam: null, replaceCorrected: false });
    expect((await finished(jobId)).message).toMatch(/^0 lines recognised on 1 page; 48 corrected lines left as people wrote them/);
    const result = events.find((e) => e.type === 'page-result') as { xml: string };
    expect(texts(readDocument(result.xml).doc)).toEqual(texts(readDocument(PAGE_XML).doc));
  });
});

describe('three-way merge of line texts (pure)', () => {
  const base = readDocument(PAGE_XML).doc;
  const ids = allLines(base.page.regions).map((l) => l.id);

  it('takes our text where they left the line, keeps theirs where both changed it, and lists those', () => {
    const ours = setLineText(setLineText(base, ids[0]!, 'ours 0'), ids[1]!, 'ours 1');
    const theirs = setLineText(setLineText(base, ids[1]!, 'theirs 1'), ids[2]!, 'theirs 2');
    const m = mergeLineTexts(base, ours, theirs);
    expect(m.merged).toBe(1);
    expect(m.conflicts).toEqual([ids[1]]);
    expect(texts(m.doc!).slice(0, 3)).toEqual(['ours 0', 'theirs 1', 'theirs 2']);
  });

  it('is no conflict when both made the same change', () => {
    const same = setLineText(base, ids[4]!, 'same');
    expect(mergeLineTexts(base, same, same)).toMatchObject({ conflicts: [], merged: 0 });
  });

  it('refuses to merge when ours changed more than text', () => {
    const ours = translate(setLineText(base, ids[0]!, 'x'), [base.page.regions[0]!.id], 10, 0);
    expect(mergeLineTexts(base, ours, base).doc).toBeUndefined();
  });

  it('lists a line we changed that they removed', () => {
    const ours = setLineText(base, ids[0]!, 'ours');
    const theirs = { ...base, page: { ...base.page, regions: base.page.regions.map((r) => ({ ...r, lines: r.lines.filter((l) => l.id !== ids[0]) })) } };
    expect(mergeLineTexts(base, ours, theirs).conflicts).toEqual([ids[0]]);
  });

  it('tells a person\'s text from a model\'s', () => {
    const line = allLines(base.page.regions)[0]!;
    expect(isPersonText(line)).toBe(true);
    expect(isPersonText(findLine(setLineText(base, line.id, 'm', 0.4), line.id)!.line)).toBe(false);
    expect(isPersonText(findLine(setLineText(base, line.id, '  '), line.id)!.line)).toBe(false);
  });
});
