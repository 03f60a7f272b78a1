/**
 * Characters that old hands need and keyboards lack, in sets the transcription
 * panel shows as buttons, with shortcodes typed in the text (`\con` → ꝯ). Only
 * characters Unicode itself encodes (no private-use MUFI code points: other tools
 * and fonts would show them as empty boxes); combining marks go after their letter.
 */
export interface SpecialChar {
  readonly char: string;
  readonly name: string;
  /** Typed as `\code` in a line's text. */
  readonly code?: string;
}

export interface CharSet {
  readonly id: string;
  readonly label: string;
  readonly chars: readonly SpecialChar[];
}

export const CHAR_SETS: readonly CharSet[] = [
  {
    id: 'latin-abbreviations',
    label: 'Medieval Latin',
    chars: [
      { char: 'ꝯ', name: 'con / com (U+A76F)', code: 'con' },
      { char: 'ꝑ', name: 'per (U+A751)', code: 'per' },
      { char: 'ꝓ', name: 'pro (U+A753)', code: 'pro' },
      { char: 'ꝗ', name: 'quod / qui (U+A757)', code: 'qui' },
      { char: 'ꝙ', name: 'quam / quod (U+A759)', code: 'quam' },
      { char: '⁊', name: 'Tironian et (U+204A)', code: 'et' },
      { char: 'ꝝ', name: 'rum (U+A75D)', code: 'rum' },
      { char: 'ꝰ', name: 'us (U+A770)', code: 'us' },
      { char: 'ꝭ', name: 'is (U+A76D)', code: 'is' },
      { char: 'ſ', name: 'long s (U+017F)', code: 'longs' },
      { char: 'ꝛ', name: 'r rotunda (U+A75B)', code: 'rr' },
      { char: 'ƀ', name: 'b with stroke (U+0180)', code: 'bstroke' },
      { char: 'đ', name: 'd with stroke (U+0111)', code: 'dstroke' },
      { char: 'ħ', name: 'h with stroke (U+0127)', code: 'hstroke' },
      { char: 'ꝉ', name: 'l with high stroke (U+A749)', code: 'lbar' },
      { char: 'æ', name: 'ae (U+00E6)', code: 'ae' },
      { char: 'œ', name: 'oe (U+0153)', code: 'oe' },
      { char: 'þ', name: 'thorn (U+00FE)', code: 'thorn' },
      { char: 'ȝ', name: 'yogh (U+021D)', code: 'yogh' },
      { char: 'ꝥ', name: 'thorn with stroke, "that" (U+A765)', code: 'that' },
    ],
  },
  {
    id: 'combining',
    label: 'Marks',
    chars: [
      { char: '\u0304', name: 'macron above (nasal, suspension), after the letter', code: 'bar' },
      { char: '\u0303', name: 'tilde above, after the letter', code: 'tilde' },
      { char: '\u0363', name: 'small a above, after the letter', code: 'supa' },
      { char: '\u0364', name: 'small e above, after the letter', code: 'supe' },
      { char: '\u0365', name: 'small i above, after the letter', code: 'supi' },
      { char: '\u0366', name: 'small o above, after the letter', code: 'supo' },
      { char: '\u036E', name: 'small v above, after the letter', code: 'supv' },
      { char: '\u0301', name: 'acute, after the letter', code: 'acute' },
      { char: '\u0300', name: 'grave, after the letter', code: 'grave' },
      { char: '\u0308', name: 'diaeresis, after the letter', code: 'uml' },
      { char: '\u0327', name: 'cedilla, after the letter', code: 'ced' },
    ],
  },
  {
    id: 'punctuation',
    label: 'Punctuation',
    chars: [
      { char: '·', name: 'middle dot (punctus)', code: 'punct' },
      { char: '⸫', name: 'three dots', code: 'dots' },
      { char: '⁋', name: 'reversed pilcrow', code: 'pil' },
      { char: '¶', name: 'pilcrow' },
      { char: '⸗', name: 'double oblique hyphen (line-end)', code: 'hy' },
      { char: '¬', name: 'not sign (line-end hyphen in some conventions)' },
      { char: '—', name: 'em dash' },
      { char: '«', name: 'left guillemet' },
      { char: '»', name: 'right guillemet' },
      { char: '‹', name: 'single left guillemet' },
      { char: '›', name: 'single right guillemet' },
      { char: '†', name: 'dagger' },
      { char: '§', name: 'section' },
      { char: '℔', name: 'pound (lb) sign' },
      { char: '℟', name: 'response' },
      { char: '℣', name: 'versicle' },
    ],
  },
  {
    id: 'greek',
    label: 'Greek',
    chars: [...'αβγδεζηθικλμνξοπρσςτυφχψω'].map((char) => ({ char, name: `Greek ${char}` })),
  },
];

/** Shortcode → character of some sets; later sets win, so a person's own sets can redefine a built-in code. */
export function shortcodes(sets: readonly CharSet[]): ReadonlyMap<string, string> {
  return new Map(sets.flatMap((s) => s.chars.filter((c) => c.code).map((c) => [c.code!, c.char] as const)));
}

const BY_CODE = shortcodes(CHAR_SETS);

/**
 * `text` with a shortcode that ends right before `caret` replaced by its character,
 * and the new caret; undefined when none ends there. A code counts as typed as soon
 * as no longer code starts with it, else once a non-letter follows it (a space
 * after a code only ends it).
 */
export function expandShortcode(text: string, caret: number, codes: ReadonlyMap<string, string> = BY_CODE): { text: string; caret: number } | undefined {
  const before = text.slice(0, caret);
  // A code followed by the character just typed (a space, a digit, punctuation): the code, then that character.
  const ended = /\\([a-z]+)([^a-z])$/.exec(before);
  if (ended && codes.has(ended[1]!)) {
    const char = codes.get(ended[1]!)!;
    const start = caret - ended[0].length;
    // A space only ends the code (as in TeX); anything else is kept.
    const tail = ended[2] === ' ' ? '' : ended[2]!;
    return { text: text.slice(0, start) + char + tail + text.slice(caret), caret: start + char.length + tail.length };
  }
  const open = /\\([a-z]+)$/.exec(before);
  if (!open || !codes.has(open[1]!)) return undefined;
  const code = open[1]!;
  const longer = [...codes.keys()].some((k) => k !== code && k.startsWith(code));
  if (longer) return undefined;
  const char = codes.get(code)!;
  const start = caret - open[0].length;
  return { text: text.slice(0, start) + char + text.slice(caret), caret: start + char.length };
}
