/** The XML files the reader tests run over, and how they cut a text into pieces. */
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS, REPO } from './corpus.js';

export const FIXTURES = path.join(REPO, 'tests/fixtures');

/** Every .xml / .pxml file under `dir`, recursively. */
export function walkXml(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkXml(p, out);
    else if (/\.(xml|pxml)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every XML file of the shared corpus (its XSDs left out) and of our fixtures, hostile and broken ones included. */
export const XML_FILES = [...walkXml(CORPUS).filter((p) => !p.includes(`${path.sep}schemas${path.sep}`)), ...walkXml(FIXTURES)].sort();

/** A text cut into pieces of `n` characters. */
export function cut(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

/** A file's name as test titles show it (from beside the checkout). */
export const shownName = (file: string): string => path.relative(path.dirname(REPO), file);
