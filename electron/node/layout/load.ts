/**
 * Layout detectors available here and the default: HTR Studio's own YOLO model
 * when installed, then the PP-OCR DB line finder, then Tesseract's layout
 * analysis — the order in which they measure best on handwritten pages (see
 * docs/benchmarks.md, "Layout detectors").
 */
import { listModels, modelFromDir, type InstalledModel } from '../models/registry.js';
import type { ModelManifest } from '../../common/model-manifest/manifest.js';
import type { LayoutDetector } from './detector.js';
import { YoloDetector } from './yolo.js';
import { DbDetector, dbManifest, defaultDbModelFile } from './db-detector.js';
import { TesseractLayout, tesseractLayoutManifest } from './tesseract-layout.js';

export const DEFAULT_DETECTOR_ORDER = ['layout-default', 'ppocr-db', 'tesseract-layout'];

export interface AvailableDetector {
  readonly manifest: ModelManifest;
  readonly model?: InstalledModel;
}

export function listDetectors(models: readonly InstalledModel[] = listModels().models): AvailableDetector[] {
  const out: AvailableDetector[] = models.filter((m) => m.manifest.task === 'layout').map((m) => ({ manifest: m.manifest, model: m }));
  if (defaultDbModelFile()) out.push({ manifest: dbManifest() });
  out.push({ manifest: tesseractLayoutManifest });
  return out;
}

export function pickDetector(available: readonly AvailableDetector[], id?: string): AvailableDetector {
  if (id) {
    const d = available.find((a) => a.manifest.id === id) ?? detectorDir(id);
    if (!d) throw new Error(`no layout model "${id}"; available: ${available.map((a) => a.manifest.id).join(', ')}`);
    return d;
  }
  for (const want of DEFAULT_DETECTOR_ORDER) {
    const d = available.find((a) => a.manifest.id === want);
    if (d) return d;
  }
  return available[0]!;
}

export async function loadDetector(d: AvailableDetector): Promise<LayoutDetector> {
  if (d.model?.dir) {
    if (d.model.manifest.family !== 'yolo') throw new Error(`layout model ${d.manifest.id}: family "${d.model.manifest.family}" is not supported (yolo models are)`);
    return YoloDetector.load(d.model.manifest, d.model.dir);
  }
  if (d.manifest.id === 'ppocr-db') return DbDetector.load();
  return TesseractLayout.load();
}

/** `--model DIR`: a layout model's folder (a fine-tune not installed yet) works wherever its id does. */
function detectorDir(ref: string): AvailableDetector | undefined {
  const m = modelFromDir(ref);
  if (m && m.manifest.task !== 'layout') throw new Error(`${ref} holds a ${m.manifest.task} model, not a layout model`);
  return m && { manifest: m.manifest, model: m };
}
