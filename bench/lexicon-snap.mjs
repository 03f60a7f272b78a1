// Benchmark: does a word lexicon help careful reading? The model's careful-reading
// output on the recipe's validation lines, then each word not in the lexicon (the
// training transcriptions' words) replaced by the lexicon word nearest to it, when
// one is within N edits and unique at that distance. Compared in the same run with
// careful reading alone. Prints JSON.
// Usage: node bench/lexicon-snap.mjs [--model ID|DIR] [--train DIR] [--val DIR] [--max-edits 1]
import path from 'node:path';
import { REPO as root } from '../build/import-ts.mjs';

const argv = process.argv.slice(2);
const arg = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
const work = path.join(root, 'native-models/recipes/htr/work/lines');
const m = await import('../native-models/recipes/htr/measure-lines.mjs');
const maxEdits = Number(arg('--max-edits', '1'));
const train = m.findLines(arg('--train', path.join(work, 'train')));
const val = m.findLines(arg('--val', path.join(work, 'val')));

const words = (t) => m.api.normalizeTranscription(t).split(' ').filter(Boolean);
const counts = new Map();
for (const l of train) for (const w of words(l.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
const lexicon = [...counts.keys()];

function lev(a, b, cap) {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The word, or the most frequent lexicon word nearest to it within maxEdits. */
function snap(w) {
  if (counts.has(w) || w.length < 3 || /\d/.test(w)) return w;
  let best = null;
  let bestD = maxEdits + 1;
  for (const c of lexicon) {
    const d = lev(w, c, Math.min(maxEdits, bestD));
    if (d < bestD || (d === bestD && best && counts.get(c) > counts.get(best))) [best, bestD] = [c, d];
  }
  return best && bestD <= maxEdits ? best : w;
}

const { rec } = await m.openModel(arg('--model', 'htr-default'));
const cut = await m.loadCut(val);
const careful = await m.score(rec, val, cut, { beam: 8 });
await rec.dispose();
const snapped = careful.texts.map((t) => t.split(' ').map(snap).join(' '));
const fake = { recognize: async () => snapped.map((text) => ({ text })) };
const after = await m.score(fake, val, cut, {});
const strip = ({ texts: _t, linesPerSecond: _l, ...r }) => r;
console.log(JSON.stringify({ lexiconWords: lexicon.length, valLines: val.length, maxEdits, careful: strip(careful), carefulPlusLexicon: strip(after) }, null, 1));
