import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readDocument } from '../../common/formats/document-io.js';
import { pairLines, type LinePair, type Pairing } from '../../common/eval/pair-lines.js';
import { addCounts, compareTexts, emptyTotals, rate, topConfusions, type Totals } from '../../common/eval/cer.js';
import { readXmlFile } from '../../node/io/files.js';
import { UsageError, type Command } from '../command.js';

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
  return pairLines(readDocument(await readXmlFile(gtFile)).doc, readDocument(await readXmlFile(hypFile)).doc);
}

export const evalCmd: Command = {
  name: 'eval',
  summary: 'character and word error rates of recognised text against ground truth',
  usage: `htr-studio eval --gt DIR --hyp DIR [--json] [--confusions N]
       htr-studio eval --gt GT.xml --hyp HYP.xml [--json]

  Folders: pairs NAME.gt.txt in --gt with NAME.txt in --hyp. PAGE/ALTO files: pairs
  lines by id when the files share their line ids, else by geometry (each
  recognised line with the ground-truth line its box overlaps most; several
  recognised lines on one ground-truth line are joined left to right; a recognised
  line on none counts as inserted text). CER and WER over Unicode NFC text with whitespace folded; a missing
  hypothesis counts as empty. Prints totals and the most frequent confusions;
  --json adds one row per line/file.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { gt: { type: 'string' }, hyp: { type: 'string' }, json: { type: 'boolean' }, confusions: { type: 'string' } } });
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
    if (summary.confusions.length) {
      io.out('');
      io.out('count  reference → recognised');
      const show = (s: string): string => (s === '' ? '∅' : s === ' ' ? '␣' : s);
      for (const c of summary.confusions) io.out(`${String(c.count).padStart(5)}  ${show(c.ref)} → ${show(c.hyp)}`);
    }
    return 0;
  },
};
