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

/**
 * A prefix of the beam search, in a trie: extending a prefix by a symbol finds or
 * makes its child, so no beam copies its characters (a line's prefixes share them).
 */
interface PrefixNode {
  readonly parent: number;
  readonly cls: number;
  readonly sym: string;
  /** The last symbol's confidence (highest probability over its frames) and frames. */
  conf: number;
  start: number;
  end: number;
  /** Language-model context after this prefix, and the factor for having added `sym`. */
  readonly ctx: string;
  readonly factor: number;
}

interface BeamScore {
  /** Probability of the prefix ending in blank / in its last symbol. */
  pb: number;
  pnb: number;
}

/**
 * CTC prefix beam search. Classes below `prune` probability in a frame are not
 * extended (they cannot win and cost most of the time). With `lm`, a prefix's
 * score is multiplied by the language model's factor for each symbol it adds
 * (Hannun et al. 2014), and the end of the line is scored too.
 */
export function beamDecode(f: Frames, charset: readonly string[], blank: number, width = 8, prune = 1e-3, lm?: LmScorer | null): Decoded {
  const { data, frames, classes } = f;
  const nodes: PrefixNode[] = [{ parent: -1, cls: -1, sym: '', conf: 0, start: 0, end: 0, ctx: lm ? lm.lm.contextOf([]) : '', factor: 1 }];
  const children = new Map<number, number>();
  const child = (parent: number, c: number, p: number, t: number, alive: ReadonlyMap<number, BeamScore>): number => {
    const key = parent * classes + c;
    let id = children.get(key);
    if (id === undefined) {
      const sym = symbolOf(charset, blank, c);
      const from = nodes[parent]!;
      const factor = lm ? symbolFactor(lm, from.ctx, sym) : 1;
      id = nodes.push({ parent, cls: c, sym, conf: p, start: t, end: t, ctx: lm ? lm.lm.nextContext(from.ctx, sym) : '', factor }) - 1;
      children.set(key, id);
    } else if (!alive.has(id)) {
      // Left the beam and comes back: its symbol starts again here.
      const n = nodes[id]!;
      n.conf = p;
      n.start = n.end = t;
    }
    return id;
  };
  let beams = new Map<number, BeamScore>([[0, { pb: 1, pnb: 0 }]]);
  const candidates: number[] = [];
  for (let t = 0; t < frames; t++) {
    const o = t * classes;
    const next = new Map<number, BeamScore>();
    const at = (id: number): BeamScore => {
      let b = next.get(id);
      if (!b) next.set(id, (b = { pb: 0, pnb: 0 }));
      return b;
    };
    candidates.length = 0;
    for (let c = 0; c < classes; c++) if (c !== blank && data[o + c]! >= prune) candidates.push(c);
    const pBlank = data[o + blank]!;
    for (const [id, beam] of beams) {
      const total = beam.pb + beam.pnb;
      const node = nodes[id]!;
      // Stay: a blank, or the same last symbol repeated.
      const stay = at(id);
      stay.pb += total * pBlank;
      if (node.cls >= 0) {
        const pl = data[o + node.cls]!;
        stay.pnb += beam.pnb * pl;
        if (pl > node.conf) {
          node.conf = pl;
          node.end = t;
        }
      }
      // Extend by a new symbol (a repeated one needs a blank between the two).
      for (const c of candidates) {
        const p = data[o + c]!;
        const cid = child(id, c, p, t, beams);
        at(cid).pnb += (c === node.cls ? beam.pb * p : total * p) * nodes[cid]!.factor;
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
  const score = ([id, b]: [number, BeamScore]): number => (b.pb + b.pnb) * (lm ? endFactor(lm, nodes[id]!.ctx) : 1);
  const [bestId] = [...beams].sort((a, b) => score(b) - score(a))[0]!;
  const chars: DecodedChar[] = [];
  for (let id = bestId; id > 0; id = nodes[id]!.parent) {
    const n = nodes[id]!;
    chars.push({ char: n.sym, conf: n.conf, start: n.start, end: n.end });
  }
  return finish(chars.reverse(), 1);
}
