/**
 * Which language a transcription is in, offline: franc's trigram profiles (npm
 * `franc-all`, from the Universal Declaration of Human Rights in 400+ languages,
 * Latin included), limited by default to the languages archives of European and
 * Mediterranean manuscripts hold, where a guess among 400 on a short old line is
 * mostly noise. Each line is judged on its own; a region, a page and a document
 * combine their lines' evidence.
 *
 * Confidence: franc scores the best language 1 and the others by how much further
 * their profiles are; a clear sentence leaves the runner-up ≈ 0.15 behind. So a
 * line's confidence is its lead over the runner-up divided by that gap (capped at 1).
 * A language is reported for a page or a document only where the confidence passes
 * the threshold (default 0.8); otherwise the text is flagged for review, never guessed.
 */
import { francAll } from 'franc-all';

export { LANGUAGE_NAMES } from './names.js';

/** ISO 639-3 codes tried by default: the languages of the archives HTR Studio is used on. */
export const ARCHIVE_LANGUAGES = ['fra', 'lat', 'ita', 'por', 'spa', 'cat', 'oci', 'deu', 'nld', 'eng', 'dan', 'swe', 'pol', 'ces', 'hun', 'ell', 'arb', 'heb', 'rus', 'fin', 'lit'] as const;


/** Letters a text needs before its language is judged: shorter lines say little. */
export const MIN_LETTERS = 20;
/** The runner-up's distance that counts as a clear lead (see the header). */
const CLEAR_LEAD = 0.15;

export interface Guess {
  readonly lang: string;
  readonly conf: number;
}

function letters(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}

/** The language of one text and the confidence in it; undefined when it is too short to say. */
export function identify(text: string, only: readonly string[] = ARCHIVE_LANGUAGES): Guess | undefined {
  if (letters(text) < MIN_LETTERS) return undefined;
  const ranked = francAll(text, { minLength: MIN_LETTERS, only: [...only] });
  const [best, second] = ranked;
  if (!best || best[0] === 'und') return undefined;
  const lead = 1 - (second?.[1] ?? 0);
  return { lang: best[0], conf: Math.min(1, lead / CLEAR_LEAD) };
}

export interface LanguageShare {
  readonly lang: string;
  /** Share of the judged letters (in chunks of consecutive lines) in this language. */
  readonly share: number;
  /** How sure the chunks in this language are together: 1 − Π(1 − chunk confidence). */
  readonly conf: number;
  /** Lines of those chunks. */
  readonly lines: number;
}

export interface TextLanguages {
  /** Languages whose confidence passes the threshold, the largest share first. */
  readonly languages: readonly LanguageShare[];
  /** Languages found but not sure enough to report (for review). */
  readonly doubtful: readonly LanguageShare[];
  /** Lines judged alone whose confidence is under the threshold (indexes in the input): to review. */
  readonly flagged: readonly number[];
  /** Lines too short to judge alone. */
  readonly tooShort: number;
}

/** A language is listed for a whole only with at least this share of its text (a stray quotation is not a language of the page). */
export const MIN_SHARE = 0.1;
/** Consecutive lines are judged together in chunks of at least this many letters: one line is often too short to tell. */
export const CHUNK_LETTERS = 80;

/**
 * The languages of several lines taken together (a region, a page, a document), in
 * reading order: consecutive lines make chunks of ≥ CHUNK_LETTERS letters, each
 * chunk's letters vote for its language, and a language is reported when its chunks
 * together pass the threshold — several chunks that agree are surer than any one of
 * them. Each line is also judged alone, so uncertain lines are flagged for review.
 */
export function combine(lines: readonly string[], threshold = 0.8, only: readonly string[] = ARCHIVE_LANGUAGES): TextLanguages {
  const flagged: number[] = [];
  let tooShort = 0;
  lines.forEach((text, i) => {
    const g = identify(text, only);
    if (!g) {
      if (text.trim()) tooShort++;
    } else if (g.conf < threshold) flagged.push(i);
  });
  const votes = new Map<string, { letters: number; miss: number; lines: number }>();
  let total = 0;
  let chunk: string[] = [];
  const judge = (): void => {
    const text = chunk.join(' ');
    const g = identify(text, only);
    if (g) {
      const n = letters(text);
      total += n;
      const v = votes.get(g.lang) ?? { letters: 0, miss: 1, lines: 0 };
      votes.set(g.lang, { letters: v.letters + n, miss: v.miss * (1 - g.conf), lines: v.lines + chunk.length });
    }
    chunk = [];
  };
  for (const text of lines) {
    if (!text.trim()) continue;
    chunk.push(text);
    if (letters(chunk.join(' ')) >= CHUNK_LETTERS) judge();
  }
  // A short tail joins the last chunk's language only if it can be judged itself.
  if (chunk.length) judge();
  const all = [...votes]
    .map(([lang, v]) => ({ lang, share: total ? v.letters / total : 0, conf: 1 - v.miss, lines: v.lines }))
    .filter((l) => l.share >= MIN_SHARE)
    .sort((a, b) => b.share - a.share);
  return { languages: all.filter((l) => l.conf >= threshold), doubtful: all.filter((l) => l.conf < threshold), flagged, tooShort };
}
