/**
 * Installed models: the ones HTR Studio ships (native-models/<id>/model.json),
 * the user's models folder, and Tesseract's languages. Manifests are validated
 * when listed; a broken one is reported, not fatal to the others.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateManifest, type ModelManifest } from '../../common/models/manifest.js';
import { findTessdata, tesseractManifest, type TessdataSource } from '../recognition/tesseract.js';

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

/** The repository's (or installed app's) native-models folder. */
export function shippedModelsDir(): string {
  if (process.env.HTR_STUDIO_NATIVE_MODELS) return process.env.HTR_STUDIO_NATIVE_MODELS;
  // From dist/cli.cjs or electron/node/models/*.ts alike: walk up to the folder holding native-models.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'native-models'))) return path.join(dir, 'native-models');
    dir = path.dirname(dir);
  }
  return path.resolve('native-models');
}

/** The per-user models folder (HTR_STUDIO_MODELS overrides). */
export function userModelsDir(): string {
  if (process.env.HTR_STUDIO_MODELS) return process.env.HTR_STUDIO_MODELS;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'HTR Studio', 'models');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'HTR Studio', 'models');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'htr-studio', 'models');
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
