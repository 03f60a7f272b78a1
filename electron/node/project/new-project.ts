/**
 * "New project" on the start screen: an empty project folder with its
 * htr-studio.json (project-manifest.ts), ready for page images to be added. A folder
 * that already holds files is refused rather than adopted: opening it is "Open a
 * folder", and a new project must never write its manifest into someone's Documents.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../common/api/errors.js';
import { updateSettings } from './project-manifest.js';

/** A typed path with `~` for the home folder, made absolute. */
export function expandHome(dir: string, home = os.homedir()): string {
  if (dir === '~') return home;
  if (dir.startsWith('~/') || dir.startsWith('~\\')) return path.join(home, dir.slice(2));
  return path.resolve(dir);
}

/** Creates `dir` (and the folders above it) with an empty manifest; refuses a file or a folder that is not empty. */
export async function createProjectFolder(dir: string): Promise<string> {
  const target = expandHome(dir);
  const st = await fs.stat(target).catch(() => undefined);
  if (st && !st.isDirectory()) throw new ApiError('conflict', `${target} is a file, not a folder`);
  if (st && (await fs.readdir(target)).length) throw new ApiError('conflict', `${target} is not empty: choose a new folder, or open this one with "Open a folder"`);
  await fs.mkdir(target, { recursive: true });
  await updateSettings(target, { textNormalization: 'NFC' });
  return target;
}
