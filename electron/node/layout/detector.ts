import type { LayoutResult } from '../../common/layout/types.js';
import type { ModelManifest } from '../../common/model-manifest/manifest.js';

export interface DetectOptions {
  readonly signal?: AbortSignal;
}

/** Any layout detector: YOLO models, the PP-OCR DB line finder, tesseract's layout. */
export interface LayoutDetector {
  readonly manifest: ModelManifest;
  /** Finds regions and lines on a page image file. */
  detect(imageFile: string, opts?: DetectOptions): Promise<LayoutResult>;
  dispose(): Promise<void>;
}
