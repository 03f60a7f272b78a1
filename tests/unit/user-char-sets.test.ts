/**
 * A person's own special-character sets (kept per user, shared by every project,
 * imported and exported as JSON) and the project's text normalisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { charSetsFile, MAX_CHARS_PER_SET, mergeCharSets, parseCharSets } from '../../electron/common/transcription/user-char-sets.js';
import { CHAR_SETS, expandShortcode, shortcodes } from '../../electron/common/transcription/char-sets.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';

let root: string;
const saved = process.env.XDG_CONFIG_HOME;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-charsets-'));
  // The user data folder of this test (Linux: $XDG_CONFIG_HOME/htr-studio).
  process.env.XDG_CONFIG_HOME = path.join(root, 'config');
});
afterAll(() => {
  if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = saved;
  fs.rmSync(root, { recursive: true, force: true });
});

const notary = { htrStudioCharSets: 1, sets: [{ label: 'Notaire', chars: [{ char: 'ꝑ', name: 'per', code: 'pnot' }, { char: 'e\u0301', name: 'e acute, decomposed' }, { char: '℔', code: 'lb' }] }] };

describe('own character sets', () => {
  it('reads a sets file: ids made from labels, characters in NFC, names defaulting to the character', () => {
    const { sets, problems } = parseCharSets(JSON.stringify(notary));
    expect(problems).toEqual([]);
    expect(sets).toEqual([{ id: 'user-notaire', label: 'Notaire', chars: [{ char: 'ꝑ', name: 'per', code: 'pnot' }, { char: 'é', name: 'e acute, decomposed' }, { char: '℔', name: '℔', code: 'lb' }] }]);
    // Written and read back: the same sets.
    expect(parseCharSets(charSetsFile(sets)).sets).toEqual(sets);
  });

  it('refuses a bad file with its reasons instead of loading half of it', () => {
    expect(parseCharSets('{"sets": [').problems[0]).toMatch(/^not JSON/);
    expect(parseCharSets('{"other": 1}').problems).toEqual(['expected {"htrStudioCharSets": 1, "sets": [...]}']);
    const bad = parseCharSets({ sets: [{ label: '', chars: [] }, { label: 'x', chars: [{ char: '' }, { char: 'a', code: 'A B' }, { char: 'toolongtext' }] }] });
    expect(bad.problems).toEqual([
      'set 1: no label',
      'set "x", character 1: "char" must be 1 to 8 characters',
      'set "x", "a": shortcode must be 1 to 20 letters a–z',
      'set "x", character 3: "char" must be 1 to 8 characters',
    ]);
    const huge = parseCharSets({ sets: [{ label: 'big', chars: Array.from({ length: MAX_CHARS_PER_SET + 1 }, () => ({ char: 'a' })) }] });
    expect(huge.problems[0]).toContain(`at most ${MAX_CHARS_PER_SET}`);
  });

  it('merges an imported file: a set of the same id is replaced, new ones are added', () => {
    const a = parseCharSets({ sets: [{ id: 'user-a', label: 'A', chars: [{ char: 'a' }] }, { id: 'user-b', label: 'B', chars: [] }] }).sets;
    const b = parseCharSets({ sets: [{ id: 'user-b', label: 'B2', chars: [{ char: 'b' }] }, { id: 'user-c', label: 'C', chars: [] }] }).sets;
    expect(mergeCharSets(a, b).map((s) => s.label)).toEqual(['A', 'B2', 'C']);
  });

  it('adds its shortcodes to the built-in ones, and may redefine them', () => {
    const own = parseCharSets({ sets: [{ label: 'mine', chars: [{ char: 'ꝑ', code: 'pnot' }, { char: '⁊', code: 'con' }] }] }).sets;
    const codes = shortcodes([...CHAR_SETS, ...own]);
    expect(expandShortcode('a \\pnot ', 8, codes)).toEqual({ text: 'a ꝑ', caret: 3 });
    expect(expandShortcode('\\con', 4, codes)?.text).toBe('⁊');
    expect(expandShortcode('\\con', 4)?.text).toBe('ꝯ');
  });

  it('are kept by the engine in the user data folder, shared by every project; a bad save is refused', async () => {
    const p1 = fs.mkdtempSync(path.join(root, 'p1-'));
    const p2 = fs.mkdtempSync(path.join(root, 'p2-'));
    const one = new LocalProjectService(p1, { cacheDir: path.join(root, 'cache') });
    expect(await one.getCharSets()).toEqual([]);
    const saved = await one.saveCharSets(JSON.stringify(notary));
    expect(saved[0]!.label).toBe('Notaire');
    expect(fs.existsSync(path.join(root, 'config', 'htr-studio', 'char-sets.json'))).toBe(true);
    expect(await new LocalProjectService(p2, { cacheDir: path.join(root, 'cache') }).getCharSets()).toEqual(saved);
    expect(await dispatch(one, 'saveCharSets', ['{"sets": [{"label": ""}]}'])).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'character sets not saved: set 1: no label' } });
    expect(await one.getCharSets()).toEqual(saved);
  });
});

describe('the project\'s text normalisation', () => {
  it('is NFC unless set, and kept in htr-studio.json', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'norm-'));
    const service = new LocalProjectService(dir, { cacheDir: path.join(root, 'cache') });
    expect((await service.getProject()).textNormalization).toBe('NFC');
    await service.setTextNormalization('none');
    expect((await new LocalProjectService(dir, { cacheDir: path.join(root, 'cache') }).getProject()).textNormalization).toBe('none');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'htr-studio.json'), 'utf8')).settings).toEqual({ textNormalization: 'none' });
    expect(await dispatch(service, 'setTextNormalization', ['NFKC'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
