/**
 * One queued page: what a job carries and what a worker does with it — the same
 * steps as `htr-studio process` (one grey decode, layout, baselines, reading
 * order, recognition, PAGE 2019 written atomically), with the models loaded
 * once per worker and kept for every job that names them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { writeDocument } from '../../common/formats/document-io.js';
import { writeFileOnce } from '../io/files.js';
import { listDetectors, loadDetector, pickDetector } from '../layout/load.js';
import type { LayoutDetector } from '../layout/detector.js';
import { loadGrey } from '../images/page-image.js';
import { segmentImage } from '../layout/segment-page.js';
import { listModels, pickRecognizer } from '../models/registry.js';
import { loadRecognizer } from '../recognition/load.js';
import type { LineRecognizer } from '../recognition/recognizer.js';
import { recognizePage } from '../recognition/recognize-page.js';

/** What `enqueue` puts in a job. Paths are absolute: workers run elsewhere, on the same shared storage. */
export interface PageJobData {
  readonly image: string;
  readonly output: string;
  /** Resolved at enqueue time, so every worker reads the backlog with the same models whatever its own defaults. */
  readonly layoutModel: string;
  readonly model: string;
  readonly beam?: number;
}

export interface PageJobResult {
  readonly output: string;
  readonly lines: number;
  readonly ms: number;
  /** The output was already there (a job redone after its worker was presumed dead, or finished twice at once): nothing written. */
  readonly existed?: true;
}

/**
 * A page's job id: the absolute image path and output folder, hashed. Adding a
 * job whose id the queue already holds adds nothing, so enqueuing a list twice,
 * or from two machines, queues each page once. (A hash, because BullMQ ids may
 * not contain ':' and paths can be long.)
 */
export function pageJobId(image: string, outDir: string): string {
  return 'p' + createHash('sha256').update(`${path.resolve(image)}\0${path.resolve(outDir)}`).digest('hex').slice(0, 32);
}

/** Detectors and recognisers a worker has opened, by the reference jobs name them with. */
export class ModelCache {
  private readonly detectors = new Map<string, Promise<LayoutDetector>>();
  private readonly recognizers = new Map<string, Promise<LineRecognizer>>();

  detector(ref: string): Promise<LayoutDetector> {
    let d = this.detectors.get(ref);
    if (!d) {
      d = loadDetector(pickDetector(listDetectors(), ref));
      // A model that fails to load is tried again by the next job, not cached as failed.
      d.catch(() => this.detectors.delete(ref));
      this.detectors.set(ref, d);
    }
    return d;
  }

  recognizer(ref: string): Promise<LineRecognizer> {
    let r = this.recognizers.get(ref);
    if (!r) {
      r = loadRecognizer(pickRecognizer(listModels().models, ref));
      r.catch(() => this.recognizers.delete(ref));
      this.recognizers.set(ref, r);
    }
    return r;
  }

  async dispose(): Promise<void> {
    const all = [...this.detectors.values(), ...this.recognizers.values()];
    this.detectors.clear();
    this.recognizers.clear();
    await Promise.all(all.map((p) => p.then((m) => m.dispose(), () => undefined)));
  }
}

/**
 * The job's output folder is not there on this worker: its shared storage is not
 * mounted. Not the page's fault: the job goes back for another worker, and this
 * one stops, rather than fail (or, worse, write into its own disk) the whole backlog.
 */
export class MissingOutputFolder extends Error {
  override name = 'MissingOutputFolder';
}

export async function runPageJob(data: PageJobData, models: ModelCache, signal?: AbortSignal): Promise<PageJobResult> {
  const t0 = performance.now();
  // Redelivered after its worker was presumed dead, but that worker finished: the page is done.
  if (fs.existsSync(data.output)) return { output: data.output, lines: 0, ms: 0, existed: true };
  // enqueue checked that the folder exists; writing would create it, here on this worker's own disk.
  if (!fs.existsSync(path.dirname(data.output))) throw new MissingOutputFolder(`the output folder ${path.dirname(data.output)} is missing on this worker (is the shared storage mounted?)`);
  const [detector, recognizer] = await Promise.all([models.detector(data.layoutModel), models.recognizer(data.model)]);
  const grey = loadGrey(data.image);
  const segmented = await segmentImage(data.image, detector, { outDir: path.dirname(data.output), grey, ...(signal && { signal }) });
  const rec = await recognizePage(segmented, data.image, recognizer, { beam: data.beam, page: await grey, ...(signal && { signal }) });
  signal?.throwIfAborted();
  const written = writeDocument(rec.doc, 'page-2019');
  // A complete temporary file published under the output's name only if that name
  // is free: readers never see half a file, and when two workers finish the same
  // page (one presumed dead that was not), the first file stays and is written once.
  const ms = Math.round(performance.now() - t0);
  if (!(await writeFileOnce(data.output, written.xml))) return { output: data.output, lines: rec.lines, ms, existed: true };
  return { output: data.output, lines: rec.lines, ms };
}
