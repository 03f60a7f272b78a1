/**
 * Special characters for old hands (char-sets.ts): a button per character, set by
 * set, inserted at the caret of the line's text field as if typed (the field keeps
 * the focus and its own undo). Each button's tooltip gives the character's name
 * and its shortcode.
 */
import { useState } from 'react';
import { CHAR_SETS } from '../../../electron/common/transcription/char-sets.js';
import { strings as t } from '../i18n/strings.js';

function insertIntoLineField(char: string): void {
  const field = document.querySelector<HTMLTextAreaElement>('.line-input');
  if (!field) return;
  field.focus();
  document.execCommand('insertText', false, char);
}

export function SpecialChars() {
  const [setId, setSetId] = useState(CHAR_SETS[0]!.id);
  const set = CHAR_SETS.find((s) => s.id === setId) ?? CHAR_SETS[0]!;
  return (
    <details className="special-chars">
      <summary>{t.specialChars}</summary>
      <div className="special-chars-sets" role="tablist" aria-label={t.specialCharSets}>
        {CHAR_SETS.map((s) => (
          <button key={s.id} type="button" role="tab" aria-selected={s.id === set.id} className={`chip ${s.id === set.id ? 'is-active' : ''}`} onClick={() => setSetId(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      <div className="special-chars-grid" role="group" aria-label={set.label}>
        {set.chars.map((c) => (
          <button
            key={c.char}
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
        ))}
      </div>
      <p className="hint">{t.shortcodeHint}</p>
    </details>
  );
}
