/**
 * Character and word error rates as HTR papers report them: Levenshtein distance
 * over Unicode code points after NFC and whitespace folding, divided by the
 * reference length.
 */

export function normaliseForEval(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export interface EditOp {
  readonly ref: string;
  readonly hyp: string;
}

/** Edit distance and the edits (substitutions, deletions as hyp '', insertions as ref ''). */
export function align(ref: readonly string[], hyp: readonly string[]): { distance: number; edits: EditOp[] } {
  const n = ref.length;
  const m = hyp.length;
  const d = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = 0; i <= n; i++) d[at(i, 0)] = i;
  for (let j = 0; j <= m; j++) d[at(0, j)] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = d[at(i - 1, j - 1)]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      d[at(i, j)] = Math.min(sub, d[at(i - 1, j)]! + 1, d[at(i, j - 1)]! + 1);
    }
  }
  const edits: EditOp[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[at(i, j)] === d[at(i - 1, j - 1)]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      if (ref[i - 1] !== hyp[j - 1]) edits.push({ ref: ref[i - 1]!, hyp: hyp[j - 1]! });
      i--;
      j--;
    } else if (i > 0 && d[at(i, j)] === d[at(i - 1, j)]! + 1) {
      edits.push({ ref: ref[i - 1]!, hyp: '' });
      i--;
    } else {
      edits.push({ ref: '', hyp: hyp[j - 1]! });
      j--;
    }
  }
  return { distance: d[at(n, m)]!, edits: edits.reverse() };
}

export interface ErrorCounts {
  readonly charErrors: number;
  readonly chars: number;
  readonly wordErrors: number;
  readonly words: number;
  readonly edits: readonly EditOp[];
}

export function compareTexts(reference: string, hypothesis: string): ErrorCounts {
  const ref = normaliseForEval(reference);
  const hyp = normaliseForEval(hypothesis);
  const c = align([...ref], [...hyp]);
  const rw = ref ? ref.split(' ') : [];
  const hw = hyp ? hyp.split(' ') : [];
  const w = align(rw, hw);
  return { charErrors: c.distance, chars: [...ref].length, wordErrors: w.distance, words: rw.length, edits: c.edits };
}

export interface Totals {
  charErrors: number;
  chars: number;
  wordErrors: number;
  words: number;
  confusions: Map<string, number>;
}

export function emptyTotals(): Totals {
  return { charErrors: 0, chars: 0, wordErrors: 0, words: 0, confusions: new Map() };
}

export function addCounts(t: Totals, c: ErrorCounts): Totals {
  t.charErrors += c.charErrors;
  t.chars += c.chars;
  t.wordErrors += c.wordErrors;
  t.words += c.words;
  for (const e of c.edits) {
    const key = `${e.ref}\u0000${e.hyp}`;
    t.confusions.set(key, (t.confusions.get(key) ?? 0) + 1);
  }
  return t;
}

export function rate(errors: number, total: number): number {
  return total ? errors / total : errors ? 1 : 0;
}

/** The most frequent confusions, reference → hypothesis ('' = nothing). */
export function topConfusions(t: Totals, n = 20): { ref: string; hyp: string; count: number }[] {
  return [...t.confusions]
    .map(([k, count]) => {
      const [ref, hyp] = k.split('\u0000') as [string, string];
      return { ref, hyp, count };
    })
    .sort((a, b) => b.count - a.count || a.ref.localeCompare(b.ref))
    .slice(0, n);
}
