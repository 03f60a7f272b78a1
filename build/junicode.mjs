// Junicode for the editor's medieval characters (renderer/public/fonts/fonts.css):
// copied at build time from the system's fonts into dist/renderer/fonts, with its
// licence, never into the repository. Debian/Ubuntu: apt-get install fonts-junicode;
// elsewhere point HTR_STUDIO_JUNICODE at Junicode's regular .otf/.ttf.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SYSTEM_DIRS = ['/usr/share/fonts/opentype/junicode', '/usr/share/fonts/truetype/junicode', '/usr/local/share/fonts', '/Library/Fonts'];
const LICENCES = ['/usr/share/doc/fonts-junicode/copyright'];

/** The regular face of Junicode on this machine, if any. */
export function findJunicode(env = process.env) {
  if (env.HTR_STUDIO_JUNICODE) return existsSync(env.HTR_STUDIO_JUNICODE) ? env.HTR_STUDIO_JUNICODE : undefined;
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const face = readdirSync(dir).find((f) => /^Junicode(TwoBeta)?-?Regular\.(otf|ttf)$/i.test(f) || /^Junicode\.(otf|ttf)$/i.test(f));
    if (face) return path.join(dir, face);
  }
  return undefined;
}

/** Copies the font (as junicode.otf: the name fonts.css asks for) and its licence into `outDir`; says so when it is missing. */
export function copyJunicode(outDir) {
  const face = findJunicode();
  if (!face) {
    console.warn('build: Junicode not found (Debian: apt-get install fonts-junicode, or set HTR_STUDIO_JUNICODE): medieval characters will use the system fonts.');
    return false;
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(face, path.join(outDir, 'junicode.otf'));
  const licence = LICENCES.find((p) => existsSync(p));
  if (licence) copyFileSync(licence, path.join(outDir, 'JUNICODE-LICENCE.txt'));
  return true;
}
