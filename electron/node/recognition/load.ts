import type { InstalledModel } from '../models/registry.js';
import { OnnxCtcRecognizer } from './onnx-ctc.js';
import type { LineRecognizer } from './recognizer.js';
import { TesseractRecognizer } from './tesseract.js';

/** Opens an installed recognition model (ONNX CTC or Tesseract). */
export async function loadRecognizer(model: InstalledModel, threads = 0): Promise<LineRecognizer> {
  if (model.tessdata) return TesseractRecognizer.load(model.tessdata);
  if (!model.dir) throw new Error(`model ${model.manifest.id} has no folder`);
  return OnnxCtcRecognizer.load(model.manifest, model.dir, threads);
}
