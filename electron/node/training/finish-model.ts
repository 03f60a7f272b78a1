/**
 * What the app adds to the recipe's model folder: a character language model
 * that adds the new collection's text to the base's, and, with --name, a copy
 * in the user models folder so `models` and the editor list it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CharLm, type CharLmFile } from '../../common/recognition/char-lm.js';
import { mergeLmFiles } from '../../common/recognition/char-lm-merge.js';
import { normalizeTranscription } from '../../common/recognition/normalize-text.js';
import { writeFileAtomic } from '../io/files.js';
import { userModelsDir } from '../models/registry.js';

/** The collection's text counts this many times beside the base's (measured on one hand: issue 22). */
export const NEW_TEXT_WEIGHT = 4;
const DEFAULT_DECODER = { lm: 'charlm.json', weight: 0.45, bonus: 1 };
const MODEL_FILES = ['model.json', 'model.onnx', 'charlm.json', 'MODEL_CARD.md'];

async function gtTexts(linesDir: string): Promise<string[]> {
  const names = (await fs.readdir(linesDir)).filter((f) => f.endsWith('.gt.txt')).sort();
  const texts = await Promise.all(names.map((f) => fs.readFile(path.join(linesDir, f), 'utf8')));
  return texts.map(normalizeTranscription).filter((t) => t.length > 0);
}

/** Writes `outDir`'s charlm.json (base's + the lines' text) and names it in model.json; returns the LM's line count. */
export async function addCollectionLm(outDir: string, linesDir: string): Promise<number> {
  const manifestFile = path.join(outDir, 'model.json');
  const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as { decoder?: { lm?: string; weight?: number; bonus?: number } };
  const texts = await gtTexts(linesDir);
  const lmName = manifest.decoder?.lm ?? DEFAULT_DECODER.lm;
  let base: CharLmFile | undefined;
  try {
    base = CharLm.fromFile(JSON.parse(await fs.readFile(path.join(outDir, lmName), 'utf8'))).toFile();
  } catch {
    base = undefined; // the base had none: the collection's text alone
  }
  const added = CharLm.train(texts, base?.order ?? 6, 1).toFile();
  const lm = base ? mergeLmFiles(base, added, NEW_TEXT_WEIGHT) : added;
  await writeFileAtomic(path.join(outDir, lmName), JSON.stringify(lm) + '\n');
  const decoder = { ...DEFAULT_DECODER, ...manifest.decoder, lm: lmName };
  await writeFileAtomic(manifestFile, JSON.stringify({ ...manifest, decoder }, null, 1) + '\n');
  return lm.lines;
}

/** Copies the model into the user models folder as `<name>` (its id becomes `name`); returns the folder. */
export async function installModel(outDir: string, name: string): Promise<string> {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(name)) throw new Error(`--name "${name}": use letters, digits, . _ - (it becomes a folder and the model id)`);
  const target = path.join(userModelsDir(), name);
  await fs.mkdir(target, { recursive: true });
  for (const f of MODEL_FILES) {
    const src = path.join(outDir, f);
    try {
      await fs.access(src);
    } catch {
      continue;
    }
    if (f === 'model.json') {
      const m = JSON.parse(await fs.readFile(src, 'utf8')) as Record<string, unknown>;
      await writeFileAtomic(path.join(target, f), JSON.stringify({ ...m, id: name }, null, 1) + '\n');
    } else await fs.copyFile(src, path.join(target, f));
  }
  return target;
}
