import fs from 'node:fs';
import path from 'node:path';

/**
 * The image a page file names: relative to the XML file first, then to its
 * parent folder (Transkribus exports keep XML in page/, OCR-D names paths from the
 * workspace), then the same name in another case (Aletheia's sample differs in case).
 */
export function findPageImage(xmlFile: string, imageFilename: string): string | undefined {
  if (!imageFilename) return undefined;
  const name = imageFilename.replace(/^file:\/\//, '').replace(/\\/g, '/');
  const dirs = [path.dirname(xmlFile), path.dirname(path.dirname(xmlFile)), path.dirname(path.dirname(path.dirname(xmlFile)))];
  // Only files below the XML's parent folder, or right in the one above: a page file naming
  // "/etc/passwd" or "../../x" finds nothing elsewhere; an absolute path (from another machine) is looked for by name.
  const parent = path.resolve(dirs[1]!);
  const inside = (f: string): boolean => {
    const r = path.resolve(f);
    return r.startsWith(parent + path.sep) || path.dirname(r) === path.resolve(dirs[2]!);
  };
  const relative = path.isAbsolute(name) ? [] : dirs.map((d) => path.join(d, name));
  const candidates = [...relative, ...(path.isAbsolute(name) ? [name] : []), ...dirs.map((d) => path.join(d, path.basename(name)))].filter(inside);
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  for (const c of candidates) {
    const dir = path.dirname(c);
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    const hit = entries.find((e) => e.toLowerCase() === path.basename(c).toLowerCase());
    if (hit) return path.join(dir, hit);
  }
  return undefined;
}
