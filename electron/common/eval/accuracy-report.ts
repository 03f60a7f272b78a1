/**
 * The accuracy report: how right the models were, measured on the lines people
 * have since corrected or verified. Each such line pairs the text its model last
 * gave it (from the line's history) with the person's text now, scored with the
 * same CER/WER as `htr-studio eval` (cer.ts), per line, per page and for the
 * project, with the most frequent confusions — which pages are worth correcting
 * and training on next.
 */
import type { PageDocument } from '../model/types.js';
import { allLines, lineText } from '../model/stats.js';
import { lineStatus, lineVersions } from '../model/provenance.js';
import { addCounts, compareTexts, emptyTotals, rate, topConfusions, type Totals } from './cer.js';

export interface CorrectionPair {
  readonly lineId: string;
  /** What the model read (its last version in the line's history). */
  readonly machine: string;
  /** The person's text now (the ground truth). */
  readonly person: string;
  /** Model id and version that read it. */
  readonly model: string;
}

export interface Score {
  readonly lines: number;
  readonly chars: number;
  readonly charErrors: number;
  readonly words: number;
  readonly wordErrors: number;
  readonly cer: number;
  readonly wer: number;
}

export interface PageAccuracy extends Score {
  readonly pageId: string;
  readonly name: string;
  /** Lines with a person's text but no machine reading recorded (typed from scratch, or a format without history). */
  readonly unpaired: number;
}

export interface LineAccuracy {
  readonly pageId: string;
  readonly lineId: string;
  readonly machine: string;
  readonly person: string;
  readonly model: string;
  readonly cer: number;
}

export interface AccuracyReport {
  readonly total: Score;
  readonly pages: readonly PageAccuracy[];
  /** Every paired line, worst first. */
  readonly lines: readonly LineAccuracy[];
  readonly confusions: readonly { readonly ref: string; readonly hyp: string; readonly count: number }[];
  /** Models whose readings were scored, with their number of lines. */
  readonly models: readonly { readonly model: string; readonly lines: number }[];
}

/** The page's lines a person corrected or verified whose model reading is on record. */
export function correctionPairs(doc: PageDocument): { pairs: CorrectionPair[]; unpaired: number } {
  const pairs: CorrectionPair[] = [];
  let unpaired = 0;
  for (const l of allLines(doc.page.regions)) {
    const status = lineStatus(l);
    if (status !== 'corrected' && status !== 'verified') continue;
    const read = lineVersions(l).filter((v) => v.by.kind === 'model').at(-1);
    if (!read || read.by.kind !== 'model') {
      unpaired++;
      continue;
    }
    pairs.push({ lineId: l.id, machine: read.text, person: lineText(l), model: read.by.version ? `${read.by.model} ${read.by.version}` : read.by.model });
  }
  return { pairs, unpaired };
}

function score(t: Totals, lines: number): Score {
  return { lines, chars: t.chars, charErrors: t.charErrors, words: t.words, wordErrors: t.wordErrors, cer: rate(t.charErrors, t.chars), wer: rate(t.wordErrors, t.words) };
}

export function accuracyReport(pages: readonly { readonly id: string; readonly name: string; readonly doc: PageDocument }[], confusions = 15): AccuracyReport {
  const total = emptyTotals();
  const lines: LineAccuracy[] = [];
  const models = new Map<string, number>();
  const perPage: PageAccuracy[] = [];
  let paired = 0;
  for (const p of pages) {
    const { pairs, unpaired } = correctionPairs(p.doc);
    const t = emptyTotals();
    for (const pair of pairs) {
      // Reference: the person's text; hypothesis: the model's — as `eval --gt … --hyp …`.
      const c = compareTexts(pair.person, pair.machine);
      addCounts(t, c);
      addCounts(total, c);
      lines.push({ pageId: p.id, lineId: pair.lineId, machine: pair.machine, person: pair.person, model: pair.model, cer: rate(c.charErrors, c.chars) });
      models.set(pair.model, (models.get(pair.model) ?? 0) + 1);
    }
    paired += pairs.length;
    if (pairs.length || unpaired) perPage.push({ pageId: p.id, name: p.name, unpaired, ...score(t, pairs.length) });
  }
  return {
    total: score(total, paired),
    pages: perPage,
    lines: lines.sort((a, b) => b.cer - a.cer),
    confusions: topConfusions(total, confusions),
    models: [...models].map(([model, n]) => ({ model, lines: n })).sort((a, b) => b.lines - a.lines),
  };
}
