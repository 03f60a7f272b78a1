/**
 * A character n-gram language model for CTC beam search: trained from
 * transcriptions (a collection's own ground truth), it prefers letter sequences
 * the collection writes, which settles many of the recogniser's near-ties
 * (u/n, e/c, a missing or doubled minim). Interpolated Witten–Bell smoothing:
 * no count is ever zero, rare contexts lean on shorter ones.
 *
 * Symbols are code points after the app's normalisation (NFC), as the CTC
 * models' charsets are. A line starts with ORDER−1 start marks and ends with an
 * end mark, so "how lines begin" and "how they end" are part of the model.
 */

export const LM_FORMAT = 'htr-studio-charlm';
const BOS = '\u0002';
const EOS = '\u0003';

interface Context {
  /** Occurrences of the context, and how many different symbols followed it. */
  readonly total: number;
  readonly types: number;
  readonly next: ReadonlyMap<string, number>;
}

/** The file form: contexts as `[total, types, sym, count, sym, count, …]`. */
export interface CharLmFile {
  readonly format: typeof LM_FORMAT;
  readonly version: 1;
  readonly order: number;
  /** Symbols seen in training, end mark included (the uniform floor's size). */
  readonly vocabulary: number;
  readonly lines: number;
  readonly contexts: Readonly<Record<string, readonly (string | number)[]>>;
}

const MEMO_LIMIT = 200_000;
const isLowSurrogate = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

export class CharLm {
  private readonly memo = new Map<string, number>();

  private constructor(
    readonly order: number,
    private readonly vocabulary: number,
    private readonly contexts: ReadonlyMap<string, Context>,
    readonly lines: number,
  ) {}

  /**
   * Counts every n-gram up to `order` in `texts`. Contexts of two symbols or more
   * seen fewer than `minCount` times are left out (they add size, not skill:
   * their shorter contexts speak for them).
   */
  static train(texts: Iterable<string>, order = 6, minCount = 2): CharLm {
    if (!Number.isInteger(order) || order < 1 || order > 12) throw new Error(`language model order must be 1…12, not ${order}`);
    const counts = new Map<string, Map<string, number>>();
    const vocab = new Set<string>([EOS]);
    let lines = 0;
    for (const raw of texts) {
      const text = raw.normalize('NFC');
      if (!text) continue;
      lines++;
      const syms = [...Array<string>(order - 1).fill(BOS), ...text, EOS];
      for (let i = order - 1; i < syms.length; i++) {
        const sym = syms[i]!;
        vocab.add(sym);
        for (let n = 0; n < order; n++) {
          const ctx = syms.slice(i - n, i).join('');
          let m = counts.get(ctx);
          if (!m) counts.set(ctx, (m = new Map()));
          m.set(sym, (m.get(sym) ?? 0) + 1);
        }
      }
    }
    const contexts = new Map<string, Context>();
    for (const [ctx, next] of counts) {
      let total = 0;
      for (const c of next.values()) total += c;
      if ([...ctx].length >= 2 && total < minCount) continue;
      contexts.set(ctx, { total, types: next.size, next });
    }
    return new CharLm(order, vocab.size, contexts, lines);
  }

  /** Reads the file form, checking its shape (a wrong or damaged file is an error that says so). */
  static fromFile(data: unknown, where = 'language model'): CharLm {
    const d = data as Partial<CharLmFile> | null;
    if (!d || typeof d !== 'object' || d.format !== LM_FORMAT) throw new Error(`${where}: not an HTR Studio character language model (format "${LM_FORMAT}"); make one with htr-studio train-lm`);
    if (d.version !== 1) throw new Error(`${where}: version ${String(d.version)} is not supported (1 is); make it again with this version's htr-studio train-lm`);
    if (!Number.isInteger(d.order) || d.order! < 1 || d.order! > 12) throw new Error(`${where}: order must be 1…12`);
    if (!Number.isInteger(d.vocabulary) || d.vocabulary! < 1) throw new Error(`${where}: vocabulary must be a positive whole number`);
    if (!d.contexts || typeof d.contexts !== 'object') throw new Error(`${where}: contexts missing`);
    const contexts = new Map<string, Context>();
    for (const [ctx, row] of Object.entries(d.contexts)) {
      if (!Array.isArray(row) || row.length < 2 || row.length % 2) throw new Error(`${where}: context ${JSON.stringify(ctx)} is malformed`);
      const next = new Map<string, number>();
      for (let i = 2; i < row.length; i += 2) {
        const sym = row[i];
        const count = row[i + 1];
        if (typeof sym !== 'string' || typeof count !== 'number' || !(count > 0)) throw new Error(`${where}: context ${JSON.stringify(ctx)} is malformed`);
        next.set(sym, count);
      }
      contexts.set(ctx, { total: Number(row[0]), types: Number(row[1]), next });
    }
    if (!contexts.has('')) throw new Error(`${where}: the unigram counts are missing`);
    return new CharLm(d.order!, d.vocabulary!, contexts, Number(d.lines ?? 0));
  }

  toFile(): CharLmFile {
    const contexts: Record<string, (string | number)[]> = {};
    for (const [ctx, c] of [...this.contexts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const row: (string | number)[] = [c.total, c.types];
      for (const [sym, n] of c.next) row.push(sym, n);
      contexts[ctx] = row;
    }
    return { format: LM_FORMAT, version: 1, order: this.order, vocabulary: this.vocabulary, lines: this.lines, contexts };
  }

  /** The context a line's symbols so far give (its last order−1 symbols, start marks before the first). */
  contextOf(previous: readonly string[]): string {
    const n = this.order - 1;
    if (n === 0) return '';
    const tail = previous.slice(Math.max(0, previous.length - n));
    return BOS.repeat(n - tail.length) + tail.join('');
  }

  /** The context after `context` + `symbol` (its last order−1 symbols). */
  nextContext(context: string, symbol: string): string {
    const n = this.order - 1;
    if (n === 0) return '';
    const syms = [...context, symbol];
    return syms.slice(syms.length - n).join('');
  }

  /** P(symbol | context), Witten–Bell interpolated down to a uniform floor. */
  prob(context: string, symbol: string): number {
    const key = `${context}\u0001${symbol}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    let p = 1 / (this.vocabulary + 1); // +1: room for symbols never seen in training
    // Suffixes of the context from the shortest (empty) up, by code points.
    let cut = context.length;
    for (;;) {
      const c = this.contexts.get(context.slice(cut));
      if (!c) break; // a longer context unseen: its shorter one speaks for it
      p = ((c.next.get(symbol) ?? 0) + c.types * p) / (c.total + c.types);
      if (cut === 0) break;
      cut -= cut >= 2 && isLowSurrogate(context.charCodeAt(cut - 1)) ? 2 : 1;
    }
    // Beam search asks the same few thousand questions again and again.
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, p);
    return p;
  }

  /** P(end of line | context). */
  probEnd(context: string): number {
    return this.prob(context, EOS);
  }

  /** Mean −log₂ P per symbol of `texts` (end marks included): lower is better. */
  crossEntropy(texts: Iterable<string>): number {
    let bits = 0;
    let n = 0;
    for (const raw of texts) {
      const syms = [...raw.normalize('NFC')];
      if (!syms.length) continue;
      const seen: string[] = [];
      for (const s of [...syms, EOS]) {
        bits -= Math.log2(this.prob(this.contextOf(seen), s));
        seen.push(s);
        n++;
      }
    }
    return n ? bits / n : 0;
  }
}

/**
 * How beam search weighs the language model: each symbol's score is multiplied by
 * P_lm^weight · e^bonus (the bonus offsets the model's bias toward short output).
 */
export interface LmScorer {
  readonly lm: CharLm;
  readonly weight: number;
  readonly bonus: number;
}

/** The factor for adding `symbol` after `context` (a context from contextOf / nextContext). */
export function symbolFactor(s: LmScorer, context: string, symbol: string): number {
  return Math.pow(s.lm.prob(context, symbol), s.weight) * Math.exp(s.bonus);
}

/** The factor for ending the line after `context`. */
export function endFactor(s: LmScorer, context: string): number {
  return Math.pow(s.lm.probEnd(context), s.weight);
}
