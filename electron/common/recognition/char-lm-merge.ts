/**
 * A fine-tuned model's character language model: the base model's counts plus
 * the new collection's text, counted `weight` times (a few hundred corrected
 * lines beside thousands of the base's would otherwise barely move it). Counts
 * simply add, so the result is what training on both texts would give, apart
 * from contexts the base pruned (seen fewer than its --min-count times).
 */
import { LM_FORMAT, type CharLmFile } from './char-lm.js';

export function mergeLmFiles(base: CharLmFile, added: CharLmFile, weight = 1): CharLmFile {
  if (base.format !== LM_FORMAT || added.format !== LM_FORMAT) throw new Error('not HTR Studio character language models');
  if (base.order !== added.order) throw new Error(`language model orders differ (${base.order} and ${added.order})`);
  const merged = new Map<string, Map<string, number>>();
  const add = (file: CharLmFile, w: number): void => {
    for (const [ctx, row] of Object.entries(file.contexts)) {
      let next = merged.get(ctx);
      if (!next) merged.set(ctx, (next = new Map()));
      for (let i = 2; i < row.length; i += 2) next.set(row[i] as string, (next.get(row[i] as string) ?? 0) + w * (row[i + 1] as number));
    }
  };
  add(base, 1);
  add(added, weight);
  const contexts: Record<string, (string | number)[]> = {};
  for (const ctx of [...merged.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const next = merged.get(ctx)!;
    const row: (string | number)[] = [0, next.size];
    for (const [sym, n] of next) {
      row.push(sym, n);
      row[0] = (row[0] as number) + n;
    }
    contexts[ctx] = row;
  }
  // The vocabulary (the uniform floor's size) counts what follows the empty context: every symbol seen.
  const vocabulary = Math.max(base.vocabulary, merged.get('')?.size ?? 0);
  return { format: LM_FORMAT, version: 1, order: base.order, vocabulary, lines: base.lines + weight * added.lines, contexts };
}
