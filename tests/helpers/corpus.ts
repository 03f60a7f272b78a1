/** Locations of the shared, read-only corpus beside the checkout (never copied into the repo). */
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(REPO, '../shared');
export const CORPUS = path.join(SHARED, 'corpus');
export const SCHEMAS = path.join(CORPUS, 'schemas');

function walk(dir: string, out: string[]): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every PAGE or ALTO file of the corpus (METS and Transkribus metadata.xml excluded). */
export function corpusFiles(kind: 'page' | 'alto'): string[] {
  return walk(CORPUS, [])
    .filter((p) => !p.includes(`${path.sep}schemas${path.sep}`) && !p.includes(`${path.sep}htr-lines${path.sep}`))
    .filter((p) => /\.(xml|pxml)$/.test(p))
    .filter((p) => {
      const head = fs.readFileSync(p, 'utf8').slice(0, 3000);
      return kind === 'page' ? /<(\w+:)?PcGts\b/.test(head) : /<(\w+:)?alto\b/.test(head);
    })
    .sort();
}
