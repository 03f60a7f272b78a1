/**
 * Command-line inputs that name a project folder instead of page files: the folder
 * stands for its pages' transcription files in the project's page order (the order
 * htr-studio.json records, else by name), so an export follows the source's order.
 */
import fs from 'node:fs/promises';
import { scanProject } from './scan.js';

export async function expandProjectFolders(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const st = await fs.stat(input).catch(() => undefined);
    if (!st?.isDirectory()) {
      out.push(input);
      continue;
    }
    const files = (await scanProject(input)).flatMap((p) => (p.xmlFile ? [p.xmlFile] : []));
    if (!files.length) throw new Error(`${input}: a folder with no PAGE-XML or ALTO pages`);
    out.push(...files);
  }
  return out;
}
