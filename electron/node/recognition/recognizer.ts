import type { Decoded } from '../../common/recognition/ctc.js';
import type { LmScorer } from '../../common/recognition/char-lm.js';
import type { ModelManifest, RecognitionInput } from '../../common/model-manifest/manifest.js';
import type { LineImage } from '../images/line-cut.js';

export interface RecognizeOptions {
  /** Beam width; 0 or 1 = greedy; undefined: the model's own default (its manifest's `decoder.beam`, else greedy). */
  readonly beam?: number;
  /** Language model for beam search; undefined: the model's own (manifest `decoder`), null: none. */
  readonly lm?: LmScorer | null;
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Any line recogniser: CTC models of every family, and tesseract. */
export interface LineRecognizer {
  readonly manifest: ModelManifest;
  /** How lines must be cut for it. */
  readonly input: RecognitionInput;
  recognize(lines: readonly LineImage[], opts?: RecognizeOptions): Promise<Decoded[]>;
  dispose(): Promise<void>;
}
