/**
 * The text normalisation HTR Studio's own models are trained and scored with
 * (native-models/recipes/htr/normalize.py; keep the two identical): NFC, look-alike
 * characters folded onto one code point, invisible characters dropped, spaces
 * collapsed. Scores of htr-default apply it to the ground truth first.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2019': "'", '\u2018': "'", '\u02bc': "'", '\u2032': "'", '\u00b4': "'", '\u201a': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u2033': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u017f': 's',
  '\uf1ac': ';',
  '\u00a0': ' ', '\u2007': ' ', '\u2009': ' ', '\u202f': ' ', '\t': ' ',
};
const INVISIBLE = new Set(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad']);

export function normalizeTranscription(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (INVISIBLE.has(ch)) continue;
    out += LOOKALIKES[ch] ?? ch;
  }
  return out.normalize('NFC').replace(/ {2,}/g, ' ').trim();
}
