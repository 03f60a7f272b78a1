/**
 * Find and replace in line texts: plain text or a regular expression, optionally
 * ignoring case and diacritics (é finds e and É). Hits are reported per line with
 * their offsets in the line's own text, so a list can show them in context and a
 * replace can rewrite exactly those characters.
 */
import type { PageDocument, TextLine } from '../model/types.js';
import { allLines, lineText } from '../model/stats.js';
import { findLine, setLineText } from '../model/ops.js';

export interface FindOptions {
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  /** Match letters whatever their accents (NFD, combining marks ignored). */
  readonly ignoreDiacritics: boolean;
}

/** A hit on a page of the project (find across pages). */
export interface ProjectHit {
  readonly pageId: string;
  readonly pageName: string;
  readonly lineId: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The whole line, for the hit's context. */
  readonly lineText: string;
}

export interface ProjectFind {
  readonly hits: ProjectHit[];
  /** Hits in all, also beyond those listed. */
  readonly total: number;
  readonly pages: number;
}

export interface ReplaceOutcome {
  readonly batchId: string;
  readonly replaced: number;
  readonly pages: readonly string[];
}

export interface Hit {
  readonly lineId: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A string without its combining marks, with a map from its indices back to the original's. */
function fold(s: string): { text: string; back: number[] } {
  let text = '';
  const back: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const decomposed = s[i]!.normalize('NFD').replace(/\p{M}/gu, '');
    for (const c of decomposed) {
      text += c;
      back.push(i);
    }
  }
  back.push(s.length);
  return { text, back };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern as a global RegExp, or an Error saying why it is not one. */
export function compileQuery(query: string, opts: FindOptions): RegExp | Error {
  if (!query) return new Error('nothing to find');
  const q = opts.ignoreDiacritics ? fold(query).text : query;
  try {
    return new RegExp(opts.regex ? q : escape(q), `gu${opts.caseSensitive ? '' : 'i'}`);
  } catch (e) {
    return new Error(`not a regular expression: ${(e as Error).message}`);
  }
}

export function findInLines(lines: readonly TextLine[], query: string, opts: FindOptions): Hit[] | Error {
  const re = compileQuery(query, opts);
  if (re instanceof Error) return re;
  const hits: Hit[] = [];
  for (const l of lines) {
    const original = lineText(l);
    const { text, back } = opts.ignoreDiacritics ? fold(original) : { text: original, back: [...original].map((_, i) => i).concat(original.length) };
    for (const m of text.matchAll(re)) {
      if (m[0] === '') continue; // an empty match finds nothing to show or replace
      const start = opts.ignoreDiacritics ? back[m.index!]! : m.index!;
      let end = opts.ignoreDiacritics ? back[m.index! + m[0].length]! : m.index! + m[0].length;
      // A folded match ends before the marks of its last letter: take them too.
      while (opts.ignoreDiacritics && end < original.length && /\p{M}/u.test(original[end]!)) end++;
      hits.push({ lineId: l.id, start, end, text: original.slice(start, end) });
    }
  }
  return hits;
}

/**
 * The line's text with these hits (of this line, in order, not overlapping) replaced.
 * With a regular expression, $1… in `replacement` are the hit's groups.
 */
export function replaceHits(text: string, hits: readonly Hit[], replacement: string, query: string, opts: FindOptions): string {
  let out = '';
  let at = 0;
  const re = opts.regex ? compileQuery(query, { ...opts, ignoreDiacritics: false }) : null;
  for (const h of [...hits].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    const single = re instanceof RegExp ? new RegExp(`^(?:${re.source})$`, re.flags.replace('g', '')) : null;
    out += text.slice(at, h.start) + (single && single.test(h.text) ? h.text.replace(single, replacement) : replacement);
    at = h.end;
  }
  return out + text.slice(at);
}

/**
 * Every hit in a page replaced, line by line: the one replace the editor's open page
 * and the engine's other pages both use. `count`: the hits replaced.
 */
export function replaceInDocument(doc: PageDocument, query: string, replacement: string, opts: FindOptions): { doc: PageDocument; count: number } {
  const hits = findInLines(allLines(doc.page.regions), query, opts);
  if (hits instanceof Error || !hits.length) return { doc, count: 0 };
  const byLine = new Map<string, Hit[]>();
  for (const h of hits) byLine.set(h.lineId, [...(byLine.get(h.lineId) ?? []), h]);
  let out = doc;
  for (const [lineId, own] of byLine) out = setLineText(out, lineId, replaceHits(lineText(findLine(out, lineId)!.line), own, replacement, query, opts));
  return { doc: out, count: hits.length };
}
