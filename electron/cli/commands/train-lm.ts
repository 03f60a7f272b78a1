import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { allLines, lineText } from '../../common/model/stats.js';
import { normalizeTranscription } from '../../common/recognition/normalize-text.js';
import { CharLm } from '../../common/recognition/char-lm.js';
import { writeFileAtomic } from '../../node/io/files.js';
import { intOption, UsageError, type Command } from '../command.js';
import { readDocumentFile } from '../../node/io/read-document.js';

/** Every ground-truth text under `input`: NAME.gt.txt files (the `export --format lines` output) and the lines of PAGE/ALTO files. */
async function texts(input: string, out: string[]): Promise<void> {
  const st = await fs.stat(input).catch(() => {
    throw new Error(`no such file or folder: ${input}`);
  });
  if (st.isDirectory()) {
    for (const e of (await fs.readdir(input)).sort()) await texts(path.join(input, e), out);
  } else if (input.endsWith('.gt.txt')) {
    out.push(await fs.readFile(input, 'utf8'));
  } else if (/\.(xml|pxml|alto)$/i.test(input) && !/(^|[/\\])(METS|mets|metadata)\.xml$/.test(input)) {
    let doc;
    try {
      doc = (await readDocumentFile(input)).doc;
    } catch {
      return; // not a page (a METS file, a stray XML): not ground truth
    }
    for (const l of allLines(doc.page.regions)) out.push(lineText(l));
  }
}

export const trainLm: Command = {
  name: 'train-lm',
  summary: 'a character language model from ground truth, for CTC beam search',
  usage: `htr-studio train-lm INPUT... -o FILE.json [--order N] [--min-count N] [--json]

  INPUT: folders or files of ground truth — NAME.gt.txt (as \`export --format lines\`
  writes them) and PAGE/ALTO files (their line texts), searched recursively. Texts
  are normalised as the recognisers' training is (NFC, look-alikes folded). Writes a
  character n-gram model (Witten–Bell smoothed; order 6 by default) that a model's
  manifest names in its "decoder" block, so \`recognize --beam N\` weighs it.
  Prints the number of lines, contexts and the file size.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { output: { type: 'string', short: 'o' }, order: { type: 'string' }, 'min-count': { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
    if (!positionals.length) throw new UsageError('train-lm needs at least one INPUT');
    if (!values.output) throw new UsageError('train-lm needs -o FILE.json');
    const order = intOption(values.order, 'order', 1, 12) ?? 6;
    const minCount = values['min-count'] === undefined ? 2 : Number(values['min-count']);
    if (!Number.isInteger(minCount) || minCount < 1) throw new UsageError('--min-count must be a whole number of at least 1');
    const all: string[] = [];
    for (const p of positionals) await texts(p, all);
    const lines = all.map(normalizeTranscription).filter((t) => t.length > 0);
    if (!lines.length) throw new Error('no transcribed lines found in the inputs: give folders of NAME.gt.txt files (htr-studio export --format lines) or PAGE/ALTO files with text');
    const lm = CharLm.train(lines, order, minCount);
    const file = lm.toFile();
    const text = JSON.stringify(file);
    await fs.mkdir(path.dirname(path.resolve(values.output)), { recursive: true });
    await writeFileAtomic(values.output, text + '\n');
    const summary = { lines: lm.lines, order, contexts: Object.keys(file.contexts).length, bytes: Buffer.byteLength(text) + 1, bitsPerSymbol: +lm.crossEntropy(lines).toFixed(3) };
    if (values.json) io.out(JSON.stringify(summary));
    else io.out(`${values.output}: order ${order}, ${summary.lines} lines, ${summary.contexts} contexts, ${(summary.bytes / 1e6).toFixed(1)} MB (training text: ${summary.bitsPerSymbol} bits per symbol)`);
    return 0;
  },
};
