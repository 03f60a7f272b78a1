/**
 * The user's copy of the shipped sample project (paths.ts: `sample` → `userSample`):
 * what the start screen's "Open the sample" and `npm start`'s browser fallback open,
 * so the shipped one (read-only in an installed app) is never written to. Copied file
 * by file: a file already there is kept, with the person's edits.
 * Bundled alone as dist/sample-copy.cjs for build/start.mjs.
 */
import fs from 'node:fs';
import path from 'node:path';

const SAMPLE_IMAGE = /\.(jpe?g|png|tiff?)$/i;

/** Copies what `to` lacks of the sample in `from` (its images, README and page/*.xml); returns `to`. */
export function copySample(from: string, to: string): string {
  fs.mkdirSync(path.join(to, 'page'), { recursive: true });
  const files = [
    ...fs.readdirSync(from).filter((f) => SAMPLE_IMAGE.test(f) || f === 'README.md'),
    ...fs.readdirSync(path.join(from, 'page')).filter((f) => f.endsWith('.xml')).map((f) => path.join('page', f)),
  ];
  for (const f of files) {
    const target = path.join(to, f);
    if (fs.existsSync(target)) continue;
    fs.copyFileSync(path.join(from, f), target);
    // The installed app's files may be read-only; the copy is the person's to edit.
    fs.chmodSync(target, 0o644);
  }
  return to;
}
