/**
 * Where each input's output goes: OUTDIR/<stem><ext>, or with --keep-paths the
 * input's folders mirrored under OUTDIR (relative to the inputs' common folder).
 * Inputs that would write the same file (a/page.jpg and b/page.png → page.xml)
 * are found before any work starts: one result would silently replace the other.
 */
import path from 'node:path';
import { UsageError } from './command.js';

const stemOf = (file: string): string => path.basename(file).replace(/\.[^.]+$/, '');

function commonFolder(files: readonly string[]): string {
  const parts = files.map((f) => path.dirname(path.resolve(f)).split(path.sep));
  const first = parts[0]!;
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join(path.sep) || path.sep;
}

export function outputPaths(inputs: readonly string[], outDir: string, ext: (input: string) => string, keepPaths: boolean): Map<string, string> {
  const base = keepPaths && inputs.length ? commonFolder(inputs) : '';
  const out = new Map<string, string>();
  // Case folded: on Windows and macOS Page.xml and page.xml are one file.
  const byTarget = new Map<string, string[]>();
  for (const input of inputs) {
    const sub = keepPaths ? path.relative(base, path.dirname(path.resolve(input))) : '';
    const target = path.join(outDir, sub, `${stemOf(input)}${ext(input)}`);
    out.set(input, target);
    const key = target.toLowerCase();
    byTarget.set(key, [...(byTarget.get(key) ?? []), input]);
  }
  const clashes = [...byTarget.values()].filter((group) => new Set(group.map((f) => path.resolve(f))).size > 1);
  if (clashes.length) {
    const lines = clashes.slice(0, 10).map((group) => `  ${group.join(', ')} → ${out.get(group[0]!)}`);
    throw new UsageError(
      `${clashes.length === 1 ? 'these inputs would write the same output file' : 'some inputs would write the same output file'}:\n${lines.join('\n')}${clashes.length > 10 ? `\n  … and ${clashes.length - 10} more` : ''}\n` +
        (keepPaths ? 'rename one of them' : 'rename one of them, or use --keep-paths to mirror the input folders under OUTDIR'),
    );
  }
  return out;
}
