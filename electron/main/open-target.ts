/**
 * What the desktop app opens when started with a path (a folder on the command
 * line, or a file the system hands it: the .pxml file association of
 * build/electron-builder.yml, or "Open With"): a folder is the project itself; a
 * PAGE-XML file (.pxml, or .xml) opens its project — the folder above when the file
 * sits in page/, as HTR Studio keeps them; the project manifest (htr-studio.json)
 * opens the folder holding it. The manifest gets no association of its own: only its
 * name marks it, and associating .json would claim every JSON file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_NAME } from '../node/project/project-manifest.js';

/** The extensions the installers register (PAGE-XML pages). */
export const ASSOCIATED_EXTENSIONS = ['.pxml'] as const;

const PAGE_FILE = /\.(pxml|xml)$/i;

/** The project folder `target` names, or undefined when it names none (a missing path, another kind of file). */
export function projectFolderFor(target: string, stat: (p: string) => fs.Stats | undefined = (p) => fs.statSync(p, { throwIfNoEntry: false })): string | undefined {
  const st = stat(target);
  if (!st) return undefined;
  const abs = path.resolve(target);
  if (st.isDirectory()) return abs;
  if (!st.isFile()) return undefined;
  if (path.basename(abs) === MANIFEST_NAME) return path.dirname(abs);
  if (PAGE_FILE.test(abs)) {
    const dir = path.dirname(abs);
    return path.basename(dir).toLowerCase() === 'page' ? path.dirname(dir) : dir;
  }
  return undefined;
}

/**
 * The first argument after the app's own (the script in dev, nothing when packaged)
 * that names a project; relative ones from `cwd` (a second launch's own folder).
 */
export function projectFromArgs(argv: readonly string[], packaged: boolean, cwd?: string): string | undefined {
  for (const a of argv.slice(packaged ? 1 : 2)) {
    if (a.startsWith('-')) continue;
    const dir = projectFolderFor(cwd ? path.resolve(cwd, a) : a);
    if (dir) return dir;
  }
  return undefined;
}
