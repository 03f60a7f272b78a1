/**
 * CTC decoding of one line's network output into text with per-character
 * confidences: greedy (best path) and prefix beam search, optionally weighed by
 * a character language model.
 */
import { endFactor, symbolFactor, type LmScorer } from './char-lm.js';

export interface DecodedChar {
  readonly char: string;
  /** Highest probability the network gave this character over its frames. */
  readonly conf: number;
  /** First and last output frame of the character, for glyph positions. */
  readonly start: number;
  readonly end: number;
}

export interface Decoded {
  readonly text: string;
  readonly chars: readonly DecodedChar[];
  /** Mean character confidence (1 for an empty line whose frames are all blank with certainty). */
  readonly conf: number;
}

/** Row-major frames × classes probabilities of one line. */
export interface Frames {
  readonly data: Float32Array;
  readonly frames: number;
  readonly classes: number;
}

/**
 * Turns raw outputs into probabilities in place: exp of log-probabilities, or a
 * softmax per frame for logits.
 */
export function toProbabilities(f: Frames, kind: 'log' | 'prob' | 'logits'): Frames {
  const { data, frames, classes } = f;
  if (kind === 'prob') return f;
  for (let t = 0; t < frames; t++) {
    const o = t * classes;
    if (kind === 'log') {
      for (let c = 0; c < classes; c++) data[o + c] = Math.exp(data[o + c]!);
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (data[o + c]! > max) max = data[o + c]!;
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(data[o + c]! - max);
      data[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) data[o + c] = data[o + c]! / sum;
  }
  return f;
}

/** The symbol of class `c`, given the charset and where the blank sits. */
export function symbolOf(charset: readonly string[], blank: number, c: number): string {
  return charset[c < blank ? c : c - 1] ?? '';
}

function finish(chars: DecodedChar[], blankConf: number): Decoded {
  const text = chars.map((c) => c.char).join('');
  const conf = chars.length ? chars.reduce((s, c) => s + c.conf, 0) / chars.length : blankConf;
  return { text, chars, conf };
}

export function greedyDecode(f: Frames, charset: readonly string[], blank: number): Decoded {
  const { data, frames, classes } = f;
  const chars: DecodedChar[] = [];
  let prev = -1;
  let blankSum = 0;
  for (let t = 0; t < frames; t++) {
    const o = t * classes;
    let best = 0;
    let bp = data[o]!;
    for (let c = 1; c < classes; c++) {
      if (data[o + c]! > bp) {
        bp = data[o + c]!;
        best = c;
      }
    }
    if (best === blank) {
      blankSum += bp;
      prev = best;
      continue;
    }
    if (best === prev) {
      const last = chars[chars.length - 1]!;
      chars[chars.length - 1] = { ...last, conf: Math.max(last.conf, bp), end: t };
    } else {
      chars.push({ char: symbolOf(charset, blank, best), conf: bp, start: t, end: t });
    }
    prev = best;
  }
  return finish(chars, frames ? blankSum / frames : 1);
}

interface Beam {
  /** Probability of the prefix ending in blank / in its last symbol. */
  pb: number;
  pnb: number;
  chars: DecodedChar[];
  last: number;
}

/**
 * CTC prefix beam search. Classes below `prune` probability in a frame are not
 * extended (they cannot win and cost most of the time). With `lm`, a prefix's
 * score is multiplied by the language model's factor for each symbol it adds
 * (Hannun et al. 2014), and the end of the line is scored too.
 */
export function beamDecode(f: Frames, charset: readonly string[], blank: number, width = 8, prune = 1e-3, lm?: LmScorer | null): Decoded {
  const { data, frames, classes } = f;
  let beams = new Map<string, Beam>([['', { pb: 1, pnb: 0, chars: [], last: -1 }]]);
  // A beam's extension by one symbol recurs frame after frame: its LM factor is computed once.
  const factors = new Map<string, number>();
  const factor = (key: string, chars: readonly DecodedChar[], sym: string): number => {
    if (!lm) return 1;
    let v = factors.get(key);
    if (v === undefined) factors.set(key, (v = symbolFactor(lm, chars.map((c) => c.char), sym)));
    return v;
  };
  for (let t = 0; t < frames; t++) {
    const o = t * classes;
    const next = new Map<string, Beam>();
    const get = (key: string, from: Beam, chars: DecodedChar[], last: number): Beam => {
      let b = next.get(key);
      if (!b) {
        b = { pb: 0, pnb: 0, chars, last };
        next.set(key, b);
      }
      void from;
      return b;
    };
    const candidates: number[] = [];
    for (let c = 0; c < classes; c++) if (c !== blank && data[o + c]! >= prune) candidates.push(c);
    for (const [prefix, beam] of beams) {
      const total = beam.pb + beam.pnb;
      // Stay: a blank, or the same last symbol repeated.
      const pBlank = data[o + blank]!;
      const stay = get(prefix, beam, beam.chars, beam.last);
      stay.pb += total * pBlank;
      if (beam.last >= 0) {
        const pl = data[o + beam.last]!;
        stay.pnb += beam.pnb * pl;
        if (stay.chars === beam.chars && beam.chars.length && pl > beam.chars[beam.chars.length - 1]!.conf) {
          const chars = beam.chars.slice();
          const lastChar = chars[chars.length - 1]!;
          chars[chars.length - 1] = { ...lastChar, conf: pl, end: t };
          stay.chars = chars;
        }
      }
      // Extend by a new symbol.
      for (const c of candidates) {
        const p = data[o + c]!;
        const sym = symbolOf(charset, blank, c);
        const key = prefix + '\u0000' + c;
        const chars = [...beam.chars, { char: sym, conf: p, start: t, end: t }];
        const ext = get(key, beam, chars, c);
        // A repeated symbol needs a blank between the two.
        ext.pnb += (c === beam.last ? beam.pb * p : total * p) * factor(key, beam.chars, sym);
      }
    }
    const kept = [...next].sort((a, b) => b[1].pb + b[1].pnb - (a[1].pb + a[1].pnb)).slice(0, width);
    // Rescaled each frame (the ranking is unchanged): long lines and LM factors would underflow.
    const top = kept.length ? kept[0]![1].pb + kept[0]![1].pnb : 0;
    if (top > 0 && top < 1e-150) {
      for (const [, b] of kept) {
        b.pb /= top;
        b.pnb /= top;
      }
    }
    beams = new Map(kept);
  }
  const score = (b: Beam): number => (b.pb + b.pnb) * (lm ? endFactor(lm, b.chars.map((c) => c.char)) : 1);
  const best = [...beams.values()].sort((a, b) => score(b) - score(a))[0]!;
  return finish(best.chars, 1);
}
