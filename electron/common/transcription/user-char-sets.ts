/**
 * A person's own special-character sets: kept per user (not per project, so every
 * project has them), imported and exported as a small JSON file that can be shared
 * with colleagues:
 *
 *   { "htrStudioCharSets": 1, "sets": [ { "id": "user-notary", "label": "Notary",
 *     "chars": [ { "char": "ꝑ", "name": "per", "code": "per" } ] } ] }
 *
 * Everything read from such a file is checked: a bad file is refused with the
 * reasons, never half-loaded; limits keep a hostile file from filling the panel.
 */
import type { CharSet, SpecialChar } from './char-sets.js';

export const MAX_USER_SETS = 50;
export const MAX_CHARS_PER_SET = 500;
const CODE = /^[a-z]{1,20}$/;

export interface ParsedCharSets {
  readonly sets: CharSet[];
  readonly problems: string[];
}

function slug(label: string): string {
  return `user-${label.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'set'}`;
}

/** The sets of a char-sets file (its text or its parsed JSON); `problems` non-empty means refused. */
export function parseCharSets(input: string | unknown): ParsedCharSets {
  const problems: string[] = [];
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      return { sets: [], problems: [`not JSON: ${(e as Error).message}`] };
    }
  }
  const raw = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).sets : data;
  if (!Array.isArray(raw)) return { sets: [], problems: ['expected {"htrStudioCharSets": 1, "sets": [...]}'] };
  if (raw.length > MAX_USER_SETS) problems.push(`${raw.length} sets: at most ${MAX_USER_SETS}`);
  const sets: CharSet[] = [];
  const ids = new Set<string>();
  raw.slice(0, MAX_USER_SETS).forEach((s: unknown, i) => {
    const o = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
    const label = typeof o.label === 'string' ? o.label.trim().slice(0, 60) : '';
    if (!label) return void problems.push(`set ${i + 1}: no label`);
    let id = typeof o.id === 'string' && /^[\w-]{1,60}$/.test(o.id) ? o.id : slug(label);
    if (!id.startsWith('user-')) id = `user-${id}`;
    while (ids.has(id)) id = `${id}-2`;
    ids.add(id);
    const charsIn = Array.isArray(o.chars) ? o.chars : [];
    if (charsIn.length > MAX_CHARS_PER_SET) problems.push(`set "${label}": ${charsIn.length} characters, at most ${MAX_CHARS_PER_SET}`);
    const chars: SpecialChar[] = [];
    charsIn.slice(0, MAX_CHARS_PER_SET).forEach((c: unknown, k) => {
      const co = (c && typeof c === 'object' ? c : {}) as Record<string, unknown>;
      const char = typeof co.char === 'string' ? co.char.normalize('NFC') : '';
      const points = [...char].length;
      if (points < 1 || points > 8) return void problems.push(`set "${label}", character ${k + 1}: "char" must be 1 to 8 characters`);
      const code = co.code === undefined || co.code === null || co.code === '' ? undefined : co.code;
      if (code !== undefined && (typeof code !== 'string' || !CODE.test(code))) return void problems.push(`set "${label}", "${char}": shortcode must be 1 to 20 letters a–z`);
      const name = typeof co.name === 'string' && co.name.trim() ? co.name.trim().slice(0, 80) : char;
      chars.push({ char, name, ...(code !== undefined && { code: code as string }) });
    });
    sets.push({ id, label, chars });
  });
  return { sets, problems };
}

/** The file's text for `sets` (what Export writes and the engine keeps). */
export function charSetsFile(sets: readonly CharSet[]): string {
  return JSON.stringify({ htrStudioCharSets: 1, sets: sets.map((s) => ({ id: s.id, label: s.label, chars: s.chars.map((c) => ({ char: c.char, name: c.name, ...(c.code && { code: c.code }) })) })) }, null, 1) + '\n';
}

/** `incoming` merged into `current`: a set with the same id is replaced, new ones are added at the end. */
export function mergeCharSets(current: readonly CharSet[], incoming: readonly CharSet[]): CharSet[] {
  const byId = new Map(incoming.map((s) => [s.id, s]));
  return [...current.map((s) => byId.get(s.id) ?? s), ...incoming.filter((s) => !current.some((c) => c.id === s.id))].slice(0, MAX_USER_SETS);
}
