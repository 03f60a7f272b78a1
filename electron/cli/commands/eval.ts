import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pairLines, type LinePair, type Pairing } from '../../common/eval/pair-lines.js';
import { addCounts, compareTexts, emptyTotals, rate, topConfusions, type Totals } from '../../common/eval/cer.js';
import { UsageError, type Command, type Io } from '../command.js';
import { accuracyReport } from '../../common/eval/accuracy-report.js';
import { readDocumentFile } from '../../node/io/read-document.js';

async function pageFiles(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const stat = await fs.stat(input).catch(() => {
      throw new Error(`no such file or folder: ${input}`);
    });
    if (!stat.isDirectory()) out.push(input);
    else out.push(...(await fs.readdir(input)).filter((f) => /\.(xml|pxml)$/i.test(f)).sort().map((f) => path.join(input, f)));
  }
  return out;
}

function printConfusions(io: Io, confusions: readonly { ref: string; hyp: string; count: number }[]): void {
  if (!confusions.length) return;
  io.out('');
  io.out('count  reference → recognised');
  const show = (s: string): string => (s === '' ? '∅' : s === ' ' ? '␣' : s);
  for (const c of confusions) io.out(`${String(c.count).padStart(5)}  ${show(c.ref)} → ${show(c.hyp)}`);
}

/** `eval --history`: the accuracy report of the editor, from the line histories in PAGE files. */
async function historyReport(inputs: readonly string[], json: boolean, confusions: number, io: Io): Promise<number> {
  if (!inputs.length) throw new UsageError('eval --history needs PAGE files or folders');
  const files = await pageFiles(inputs);
  const pages = await Promise.all(files.map(async (f) => ({ id: f, name: path.basename(f).replace(/\.[^.]+$/, ''), doc: (await readDocumentFile(f)).doc })));
  const r = accuracyReport(pages, confusions);
  if (json) {
    io.out(JSON.stringify(r, null, 2));
    return 0;
  }
  io.out(`CER ${(r.total.cer * 100).toFixed(2)}%  (${r.total.charErrors} errors / ${r.total.chars} characters)`);
  io.out(`WER ${(r.total.wer * 100).toFixed(2)}%  (${r.total.wordErrors} errors / ${r.total.words} words)`);
  io.out(`${r.total.lines} corrected or verified line(s) with a model reading, on ${r.pages.filter((p) => p.lines).length} of ${files.length} page(s)`);
  for (const p of r.pages) io.out(`  ${p.name}: CER ${(p.cer * 100).toFixed(2)}% over ${p.lines} line(s)${p.unpaired ? ` (${p.unpaired} more without a model reading)` : ''}`);
  printConfusions(io, r.confusions);
  return 0;
}

async function folderPairs(gtDir: string, hypDir: string): Promise<LinePair[]> {
  const names = (await fs.readdir(gtDir)).filter((f) => f.endsWith('.gt.txt')).sort();
  if (!names.length) throw new Error(`no NAME.gt.txt files in ${gtDir}`);
  return Promise.all(
    names.map(async (f) => {
      const name = f.slice(0, -'.gt.txt'.length);
      const gt = await fs.readFile(path.join(gtDir, f), 'utf8');
      let hyp: string | undefined;
      for (const cand of [`${name}.txt`, `${name}.pred.txt`]) {
        hyp = await fs.readFile(path.join(hypDir, cand), 'utf8').catch(() => undefined);
        if (hyp !== undefined) break;
      }
      return { name, gt, hyp };
    }),
  );
}

async function pagePairs(gtFile: string, hypFile: string): Promise<Pairing> {
  return pairLines((await readDocumentFile(gtFile)).doc, (await readDocumentFile(hypFile)).doc);
}

export const evalCmd: Command = {
  name: 'eval',
  summary: 'character and word error rates of recognised text against ground truth',
  usage: `htr-studio eval --gt DIR --hyp DIR [--json] [--confusions N]
       htr-studio eval --gt GT.xml --hyp HYP.xml [--json]
       htr-studio eval --history PAGE.xml|DIR… [--json] [--confusions N]

  Folders: pairs NAME.gt.txt in --gt with NAME.txt in --hyp. PAGE/ALTO files: pairs
  lines by id when the files share their line ids, else by geometry (each
  recognised line with the ground-truth line its box overlaps most; several
  recognised lines on one ground-truth line are joined left to right; a recognised
  line on none counts as inserted text). CER and WER over Unicode NFC text with whitespace folded; a missing
  hypothesis counts as empty. Prints totals and the most frequent confusions;
  --json adds one row per line/file.

  --history: the editor's accuracy report from PAGE files (or folders of them):
  every line a person corrected or verified whose model reading is in the line's
  history, the model's text scored against the person's (one page per row).`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { gt: { type: 'string' }, hyp: { type: 'string' }, json: { type: 'boolean' }, confusions: { type: 'string' }, history: { type: 'boolean' } } });
    if (values.history) return historyReport(positionals, values.json ?? false, values.confusions === undefined ? 15 : Number(values.confusions), io);
    if (positionals.length) throw new UsageError(`eval: unexpected argument "${positionals[0]}" (inputs go with --history)`);
    if (!values.gt || !values.hyp) throw new UsageError('eval needs --gt and --hyp');
    const isDir = async (p: string): Promise<boolean> => (await fs.stat(p).catch(() => { throw new Error(`no such file or folder: ${p}`); })).isDirectory();
    const [gtDir, hypDir] = [await isDir(values.gt), await isDir(values.hyp)];
    if (gtDir !== hypDir) throw new UsageError('--gt and --hyp must both be folders or both be files');
    const pairing: Pairing = gtDir ? { by: 'id', pairs: await folderPairs(values.gt, values.hyp) } : await pagePairs(values.gt, values.hyp);
    const pairs = pairing.pairs;
    const totals: Totals = emptyTotals();
    const rows = pairs.map((p) => {
      const c = compareTexts(p.gt, p.hyp ?? '');
      addCounts(totals, c);
      return { name: p.name, cer: rate(c.charErrors, c.chars), wer: rate(c.wordErrors, c.words), chars: c.chars, charErrors: c.charErrors, missing: p.hyp === undefined };
    });
    const missing = rows.filter((r) => r.missing).length;
    const n = values.confusions === undefined ? 15 : Number(values.confusions);
    const summary = {
      cer: rate(totals.charErrors, totals.chars),
      wer: rate(totals.wordErrors, totals.words),
      chars: totals.chars,
      charErrors: totals.charErrors,
      words: totals.words,
      wordErrors: totals.wordErrors,
      pairs: rows.length,
      pairedBy: gtDir ? 'name' : pairing.by,
      missing,
      confusions: topConfusions(totals, n),
    };
    if (values.json) {
      io.out(JSON.stringify({ ...summary, rows }, null, 2));
      return 0;
    }
    io.out(`CER ${(summary.cer * 100).toFixed(2)}%  (${totals.charErrors} errors / ${totals.chars} characters)`);
    io.out(`WER ${(summary.wer * 100).toFixed(2)}%  (${totals.wordErrors} errors / ${totals.words} words)`);
    io.out(`${rows.length} pair(s)${gtDir ? '' : `, lines paired by ${pairing.by}`}${missing ? `, ${missing} without a hypothesis (counted as empty)` : ''}`);
    printConfusions(io, summary.confusions);
    return 0;
  },
};
