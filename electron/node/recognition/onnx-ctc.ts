/**
 * A CTC line recogniser on onnxruntime-node. The session is created once and
 * reused; inference runs on onnxruntime's own threads, so the JavaScript thread
 * (the UI's, in Electron's engine process) only packs tensors and decodes.
 */
import * as ort from 'onnxruntime-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest, RecognitionInput, RecognitionOutput } from '../../common/model-manifest/manifest.js';
import { ManifestError } from '../../common/model-manifest/manifest.js';
import { beamDecode, greedyDecode, toProbabilities, type Decoded, type Frames } from '../../common/recognition/ctc.js';
import { CharLm, type LmScorer } from '../../common/recognition/char-lm.js';
import type { LineImage } from '../images/line-cut.js';
import { inputWidth, planBatches, toTensor } from './tensor.js';
import type { LineRecognizer, RecognizeOptions } from './recognizer.js';

export class ModelError extends Error {
  override name = 'ModelError';
}

export class OnnxCtcRecognizer implements LineRecognizer {
  private checkedClasses = false;

  private constructor(
    readonly manifest: ModelManifest,
    readonly dir: string,
    private readonly session: ort.InferenceSession,
    readonly charset: readonly string[],
    /** The manifest's language model and weights, for beam search. */
    readonly lm: LmScorer | null = null,
  ) {}

  get input(): RecognitionInput {
    return this.manifest.input!;
  }

  static async load(manifest: ModelManifest, dir: string, threads = 0): Promise<OnnxCtcRecognizer> {
    const file = path.join(dir, manifest.file ?? 'model.onnx');
    let charset = manifest.charset;
    if (!charset && manifest.charsetFile) {
      const text = await fs.readFile(path.join(dir, manifest.charsetFile), 'utf8').catch(() => {
        throw new ManifestError(`${manifest.id}: charsetFile ${manifest.charsetFile} not found`);
      });
      charset = text.replace(/\r?\n$/, '').split(/\r?\n/).map((s) => (s === '<space>' ? ' ' : s));
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', ...(threads > 0 && { intraOpNumThreads: threads }) });
    } catch (e) {
      throw new ModelError(`model ${manifest.id}: cannot load ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (session.inputNames.length !== 1) throw new ModelError(`model ${manifest.id}: expected one input, found ${session.inputNames.length}`);
    let lm: LmScorer | null = null;
    const d = manifest.decoder;
    if (d) {
      const lmFile = path.join(dir, d.lm);
      const text = await fs.readFile(lmFile, 'utf8').catch(() => {
        throw new ManifestError(`${manifest.id}: decoder.lm ${d.lm} not found in ${dir}; copy it beside model.json (or remove the decoder block to decode without a language model)`);
      });
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new ManifestError(`${manifest.id}: decoder.lm ${d.lm} is not JSON; make it again with htr-studio train-lm`);
      }
      lm = { lm: CharLm.fromFile(data, `${manifest.id}: ${d.lm}`), weight: d.weight, bonus: d.bonus };
    }
    return new OnnxCtcRecognizer(manifest, dir, session, charset ?? [], lm);
  }

  async recognize(lines: readonly LineImage[], opts: RecognizeOptions = {}): Promise<Decoded[]> {
    const out: Decoded[] = new Array(lines.length);
    const batches = planBatches(lines.map((l) => l.width), opts.batchSize ?? 16);
    let done = 0;
    for (const batch of batches) {
      if (opts.signal?.aborted) throw new DOMException('recognition cancelled', 'AbortError');
      const group = batch.indices.map((i) => lines[i]!);
      const W = inputWidth(this.input, batch.width);
      const data = toTensor(group, this.input, W);
      const tensor = new ort.Tensor('float32', data, [group.length, this.input.channels, this.input.height, W]);
      const result = await this.session.run({ [this.session.inputNames[0]!]: tensor });
      const output = result[this.session.outputNames[0]!]!;
      const decoded = this.decodeBatch(output, group.length, opts.beam ?? this.manifest.decoder?.beam ?? 0, opts.lm === undefined ? this.lm : opts.lm);
      batch.indices.forEach((i, k) => (out[i] = decoded[k]!));
      done += group.length;
      opts.onProgress?.(done, lines.length);
    }
    return out;
  }

  private decodeBatch(t: ort.Tensor, n: number, beam: number, lm: LmScorer | null): Decoded[] {
    const o: RecognitionOutput = this.manifest.output!;
    const dims = t.dims;
    if (dims.length !== 3) throw new ModelError(`model ${this.manifest.id}: output has ${dims.length} dimensions, expected 3 (${o.layout})`);
    const [T, B, C] = o.layout === 'TBC' ? [dims[0]!, dims[1]!, dims[2]!] : [dims[1]!, dims[0]!, dims[2]!];
    if (B !== n) throw new ModelError(`model ${this.manifest.id}: output batch ${B} ≠ input batch ${n}; is output.layout (${o.layout}) right?`);
    if (!this.checkedClasses) {
      const want = this.charset.length + 1;
      if (C !== want) {
        throw new ModelError(`model ${this.manifest.id}: the manifest's charset has ${this.charset.length} symbols + blank = ${want} classes, but the model outputs ${C}`);
      }
      this.checkedClasses = true;
    }
    const src = t.data as Float32Array;
    const kind = o.logSoftmax ? 'log' : o.softmax ? 'prob' : 'logits';
    const blank = this.manifest.blank ?? 0;
    const res: Decoded[] = [];
    for (let b = 0; b < n; b++) {
      const data = new Float32Array(T * C);
      for (let s = 0; s < T; s++) {
        const from = o.layout === 'TBC' ? (s * B + b) * C : (b * T + s) * C;
        data.set(src.subarray(from, from + C), s * C);
      }
      const frames: Frames = toProbabilities({ data, frames: T, classes: C }, kind);
      res.push(beam > 1 ? beamDecode(frames, this.charset, blank, beam, 1e-3, lm) : greedyDecode(frames, this.charset, blank));
    }
    return res;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
