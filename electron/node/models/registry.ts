/**
 * Installed models: the ones HTR Studio ships (native-models/<id>/model.json),
 * the user's models folder, and Tesseract's languages. Manifests are validated
 * when listed; a broken one is reported, not fatal to the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateManifest, type ModelManifest } from '../../common/model-manifest/manifest.js';
import { findTessdata, tesseractManifest, type TessdataSource } from '../recognition/tesseract.js';
import { runtimePaths, userModelsDir as perUserModelsDir } from '../paths.js';

export interface InstalledModel {
  readonly manifest: ModelManifest;
  /** Folder holding model.json and the model file; absent for Tesseract languages. */
  readonly dir?: string;
  readonly tessdata?: TessdataSource;
  readonly origin: 'shipped' | 'user' | 'tesseract';
}

export interface BrokenModel {
  readonly dir: string;
  readonly error: string;
}

/** The repository's native-models folder, or the installed app's resources/models (electron/node/paths.ts); HTR_STUDIO_NATIVE_MODELS overrides. */
export function shippedModelsDir(): string {
  return process.env.HTR_STUDIO_NATIVE_MODELS || runtimePaths().shippedModels;
}

/** The per-user models folder (HTR_STUDIO_MODELS overrides; per-OS folders in electron/node/paths.ts). */
export function userModelsDir(): string {
  return perUserModelsDir();
}

function scan(root: string, origin: 'shipped' | 'user', models: InstalledModel[], broken: BrokenModel[]): void {
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = path.join(root, e.name);
    const file = path.join(dir, 'model.json');
    if (!fs.existsSync(file)) continue;
    try {
      const manifest = validateManifest(JSON.parse(fs.readFileSync(file, 'utf8')), file);
      models.push({ manifest, dir, origin });
    } catch (err) {
      broken.push({ dir, error: (err as Error).message });
    }
  }
}

/**
 * A model given by its folder (a fine-tune's output, a model not installed yet):
 * undefined when `ref` is not a folder holding a model.json; an error when it holds a broken one.
 */
export function modelFromDir(ref: string): InstalledModel | undefined {
  const file = path.join(ref, 'model.json');
  if (!fs.existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return { manifest: validateManifest(raw, file), dir: path.resolve(ref), origin: 'user' };
}

export function listModels(): { models: InstalledModel[]; broken: BrokenModel[] } {
  const models: InstalledModel[] = [];
  const broken: BrokenModel[] = [];
  scan(shippedModelsDir(), 'shipped', models, broken);
  scan(userModelsDir(), 'user', models, broken);
  for (const src of findTessdata([userModelsDir()])) models.push({ manifest: tesseractManifest(src), tessdata: src, origin: 'tesseract' });
  return { models, broken };
}

/** The recogniser used when none is named: HTR Studio's own, then any CTC model, then Tesseract English. */
export const DEFAULT_RECOGNIZER_ORDER = ['htr-default'];

export function pickRecognizer(models: readonly InstalledModel[], id?: string): InstalledModel {
  const rec = models.filter((m) => m.manifest.task === 'recognition');
  if (id) {
    const m = rec.find((x) => x.manifest.id === id) ?? recognitionDir(id);
    if (!m) throw new Error(`no recognition model "${id}"; installed: ${rec.map((x) => x.manifest.id).join(', ') || 'none'}`);
    return m;
  }
  for (const want of DEFAULT_RECOGNIZER_ORDER) {
    const m = rec.find((x) => x.manifest.id === want);
    if (m) return m;
  }
  const any = rec.find((x) => x.origin !== 'tesseract') ?? rec.find((x) => x.manifest.id === 'tesseract-eng') ?? rec[0];
  if (!any) throw new Error('no recognition model is installed');
  return any;
}

/** `--model DIR`: a folder works wherever a model id does. */
function recognitionDir(ref: string): InstalledModel | undefined {
  const m = modelFromDir(ref);
  if (m && m.manifest.task !== 'recognition') throw new Error(`${ref} holds a ${m.manifest.task} model, not a recognition model`);
  return m;
}
