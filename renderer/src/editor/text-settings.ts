/**
 * Settings that shape the text a person types, read where the text is committed:
 * the project's Unicode normalisation (htr-studio.json, NFC unless set otherwise) and
 * the shortcodes of the built-in and the person's own special-character sets.
 */
import { CHAR_SETS, shortcodes, type CharSet } from '../../../electron/common/transcription/char-sets.js';

export type TextNormalization = 'NFC' | 'NFD' | 'none';

let form: TextNormalization = 'NFC';
let codes: ReadonlyMap<string, string> = shortcodes(CHAR_SETS);

export function setTextNormalization(f: TextNormalization): void {
  form = f;
}

/** Text as the project stores it. */
export function normalizeStored(text: string): string {
  return form === 'none' ? text : text.normalize(form);
}

export function setUserCharSets(sets: readonly CharSet[]): void {
  codes = shortcodes([...CHAR_SETS, ...sets]);
}

export function currentShortcodes(): ReadonlyMap<string, string> {
  return codes;
}
