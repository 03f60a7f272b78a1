/** Special characters: shortcodes typed in a line's text become their character; the sets hold real Unicode only. */
import { describe, expect, it } from 'vitest';
import { CHAR_SETS, expandShortcode } from '../../electron/common/transcription/char-sets.js';

describe('shortcodes', () => {
  it('replace a complete code at the caret at once, keeping what follows', () => {
    expect(expandShortcode('de \\con', 7)).toEqual({ text: 'de ꝯ', caret: 4 });
    expect(expandShortcode('\\per ipsum', 4)).toEqual({ text: 'ꝑ ipsum', caret: 1 });
    expect(expandShortcode('a\\bar', 5)).toEqual({ text: 'a\u0304', caret: 2 });
  });

  it('leave text alone when no code ends at the caret', () => {
    expect(expandShortcode('\\co', 3)).toBeUndefined();
    expect(expandShortcode('\\xyz', 4)).toBeUndefined();
    expect(expandShortcode('plain text', 10)).toBeUndefined();
    expect(expandShortcode('\\con', 2)).toBeUndefined();
  });

  it('are unique and none is the start of another (each is replaced as soon as it is complete)', () => {
    const codes = CHAR_SETS.flatMap((s) => s.chars.flatMap((c) => (c.code ? [c.code] : [])));
    expect(new Set(codes).size).toBe(codes.length);
    for (const a of codes) for (const b of codes) if (a !== b) expect(b.startsWith(a), `${a} / ${b}`).toBe(false);
  });

  it('name characters Unicode encodes, no private-use code points', () => {
    for (const c of CHAR_SETS.flatMap((s) => s.chars)) {
      expect([...c.char]).toHaveLength(1);
      expect(/\p{Co}/u.test(c.char), c.name).toBe(false);
    }
  });
});
