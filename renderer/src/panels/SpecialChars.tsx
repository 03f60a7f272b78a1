/**
 * Special characters for old hands: the built-in sets (char-sets.ts) and the
 * person's own (user-char-sets.ts, kept by the engine per user, so every project has
 * them). A button per character inserts it at the caret of the line's text field as
 * if typed (the field keeps the focus and its own undo); each tooltip gives the
 * character's name and shortcode. Own sets are made here, added to, imported from and
 * exported to a JSON file to share with colleagues.
 */
import { useEffect, useState } from 'react';
import type { StudioService } from '../../../electron/common/api/service.js';
import { CHAR_SETS, type CharSet } from '../../../electron/common/transcription/char-sets.js';
import { charSetsFile, mergeCharSets, parseCharSets } from '../../../electron/common/transcription/user-char-sets.js';
import { setUserCharSets } from '../editor/text-settings.js';
import { downloadText } from '../editor/download.js';
import { strings as t } from '../i18n/strings.js';

function insertIntoLineField(char: string): void {
  const field = document.querySelector<HTMLTextAreaElement>('.line-input');
  if (!field) return;
  field.focus();
  document.execCommand('insertText', false, char);
}

/** The person's sets, loaded once per window and shared by every panel that shows them. */
let loaded: CharSet[] | null = null;

export function SpecialChars({ service }: { readonly service: StudioService }) {
  const [own, setOwn] = useState<CharSet[]>(loaded ?? []);
  const [setId, setSetId] = useState(CHAR_SETS[0]!.id);
  const [error, setError] = useState<string | null>(null);
  const [newChar, setNewChar] = useState({ char: '', name: '', code: '' });
  useEffect(() => {
    if (loaded) return;
    let live = true;
    service.getCharSets().then(
      (sets) => {
        loaded = sets;
        setUserCharSets(sets);
        if (live) setOwn(sets);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [service]);
  const all = [...CHAR_SETS, ...own];
  const set = all.find((s) => s.id === setId) ?? all[0]!;
  const isOwn = own.some((s) => s.id === set.id);
  const save = (sets: CharSet[], select?: string): void => {
    service.saveCharSets(charSetsFile(sets)).then(
      (saved) => {
        loaded = saved;
        setUserCharSets(saved);
        setOwn(saved);
        setError(null);
        if (select) setSetId(select);
      },
      (e: Error) => setError(e.message),
    );
  };
  const [newSet, setNewSet] = useState('');
  // (Not window.prompt: Electron has none.)
  const addSet = (): void => {
    const label = newSet.trim();
    if (!label) return;
    setNewSet('');
    const parsed = parseCharSets({ sets: [...own, { label, chars: [] }] });
    if (parsed.problems.length) return setError(parsed.problems.join('; '));
    save(parsed.sets, parsed.sets[parsed.sets.length - 1]!.id);
  };
  const addChar = (): void => {
    const candidate = own.map((s) => (s.id === set.id ? { ...s, chars: [...s.chars, { char: newChar.char, name: newChar.name || newChar.char, ...(newChar.code && { code: newChar.code }) }] } : s));
    const parsed = parseCharSets({ sets: candidate });
    if (parsed.problems.length) return setError(parsed.problems.join('; '));
    setNewChar({ char: '', name: '', code: '' });
    save(parsed.sets, set.id);
  };
  const importFile = async (file: File): Promise<void> => {
    const parsed = parseCharSets(await file.text());
    if (parsed.problems.length) return setError(t.charSetImportFailed(parsed.problems.slice(0, 3).join('; ')));
    save(mergeCharSets(own, parsed.sets), parsed.sets[0]?.id);
  };
  return (
    <details className="special-chars">
      <summary>{t.specialChars}</summary>
      <div className="special-chars-sets" role="tablist" aria-label={t.specialCharSets}>
        {all.map((s) => (
          <button key={s.id} type="button" role="tab" aria-selected={s.id === set.id} className={`chip ${s.id === set.id ? 'is-active' : ''}`} onClick={() => setSetId(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      <div className="special-chars-grid" role="group" aria-label={set.label}>
        {set.chars.map((c, i) => (
          <span key={`${c.char}:${i}`} className="special-char-cell">
            <button
              type="button"
              className="special-char"
              title={c.code ? `${c.name} — \\${c.code}` : c.name}
              aria-label={c.name}
              // The line's field keeps the focus (and the caret) while the button is pressed.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insertIntoLineField(c.char)}
            >
              {/^\p{M}$/u.test(c.char) ? `\u25CC${c.char}` : c.char}
            </button>
            {isOwn && (
              <button type="button" className="special-char-remove" aria-label={t.charSetRemoveChar(c.name)} onClick={() => save(own.map((s) => (s.id === set.id ? { ...s, chars: s.chars.filter((_, k) => k !== i) } : s)), set.id)}>
                ×
              </button>
            )}
          </span>
        ))}
      </div>
      {isOwn && (
        <div className="char-set-add" role="group" aria-label={t.charSetAddChar}>
          <input aria-label={t.charSetChar} placeholder={t.charSetChar} value={newChar.char} maxLength={16} onChange={(e) => setNewChar({ ...newChar, char: e.target.value })} />
          <input aria-label={t.charSetName} placeholder={t.charSetName} value={newChar.name} maxLength={80} onChange={(e) => setNewChar({ ...newChar, name: e.target.value })} />
          <input aria-label={t.charSetCode} placeholder={t.charSetCode} value={newChar.code} maxLength={20} onChange={(e) => setNewChar({ ...newChar, code: e.target.value.toLowerCase() })} />
          <button type="button" className="ghost-button small" disabled={!newChar.char} onClick={addChar}>
            {t.charSetAdd}
          </button>
        </div>
      )}
      <div className="char-set-actions">
        <input aria-label={t.charSetNewPrompt} placeholder={t.charSetNewPrompt} value={newSet} maxLength={60} onChange={(e) => setNewSet(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && addSet()} />
        <button type="button" className="ghost-button small" disabled={!newSet.trim()} onClick={addSet}>
          {t.charSetNew}
        </button>
        {isOwn && (
          <button type="button" className="ghost-button small" onClick={() => save(own.filter((s) => s.id !== set.id), CHAR_SETS[0]!.id)}>
            {t.charSetDelete}
          </button>
        )}
        <label className="ghost-button small file-button">
          {t.charSetImport}
          <input type="file" accept=".json,application/json" aria-label={t.charSetImport} onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }} />
        </label>
        <button type="button" className="ghost-button small" disabled={!own.length} onClick={() => downloadText('htr-studio-char-sets.json', charSetsFile(own), 'application/json')}>
          {t.charSetExport}
        </button>
      </div>
      {error && <p className="hint is-error" role="alert">{error}</p>}
      <p className="hint">{t.shortcodeHint}</p>
    </details>
  );
}
