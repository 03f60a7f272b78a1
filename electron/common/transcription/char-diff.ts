/**
 * Character diff of two versions of a line's text, for the line history: which
 * characters the later version kept, inserted and deleted. Lines are short (a few
 * hundred characters), so the plain longest-common-subsequence table is fast
 * enough and gives the minimal edit a reader expects. Code points, not UTF-16
 * units, so a MUFI character or an emoji is never split.
 */
export type DiffPart = { readonly kind: 'same' | 'insert' | 'delete'; readonly text: string };

/** Longer texts are shown as one deletion and one insertion rather than diffed (the table is n × m). */
const MAX_CELLS = 4_000_000;

export function charDiff(from: string, to: string): DiffPart[] {
  const a = [...from];
  const b = [...to];
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], ch: string): void => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) parts[parts.length - 1] = { kind, text: last.text + ch };
    else parts.push({ kind, text: ch });
  };
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    if (from) push('delete', from);
    if (to) push('insert', to);
    return parts;
  }
  const w = b.length + 1;
  // lcs[i*w+j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) push('delete', a[i++]!);
    else push('insert', b[j++]!);
  }
  while (i < a.length) push('delete', a[i++]!);
  while (j < b.length) push('insert', b[j++]!);
  return parts;
}
