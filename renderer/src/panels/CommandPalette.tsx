/**
 * The command palette (Ctrl/Cmd+Shift+P): every command of the registry, found by
 * typing a few letters of its name (common/commands/registry.ts `matchCommands`),
 * with its keys; Enter runs the highlighted one. A native modal <dialog>, so focus
 * stays in it and Esc closes it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MenuCommand } from '../../../electron/common/api/bridge.js';
import { COMMANDS, matchCommands } from '../../../electron/common/commands/registry.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly open: boolean;
  /** The desktop app: commands that need its native dialogs are offered too. */
  readonly desktop: boolean;
  readonly onClose: () => void;
  readonly onRun: (id: MenuCommand) => void;
}

export function CommandPalette({ open, desktop, onClose, onRun }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const available = useMemo(() => COMMANDS.filter((c) => desktop || !c.desktopOnly), [desktop]);
  const found = useMemo(() => matchCommands(query, available), [query, available]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setQuery('');
      setActive(0);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  const choose = (id: MenuCommand): void => {
    onClose();
    // After the dialog has closed, so the command acts on the editor (and focus goes back there).
    setTimeout(() => onRun(id), 0);
  };
  return (
    <dialog ref={ref} className="shortcuts command-palette" aria-label={t.paletteTitle} onClose={onClose}>
      {/* Not type="search": there Esc only clears the text, and the palette must close on the first Esc. */}
      <input
        type="text"
        className="palette-input"
        value={query}
        autoFocus
        aria-label={t.paletteInput}
        placeholder={t.paletteInput}
        aria-controls="palette-list"
        aria-activedescendant={found[active] ? `palette-${found[active]!.id}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, Math.min(found.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
          } else if (e.key === 'Enter' && found[active]) {
            e.preventDefault();
            choose(found[active]!.id);
          }
        }}
      />
      <ul id="palette-list" className="palette-list" role="listbox" aria-label={t.paletteList}>
        {found.map((c, i) => (
          <li key={c.id} id={`palette-${c.id}`} role="option" aria-selected={i === active} className={i === active ? 'is-active' : ''} data-command={c.id} onMouseDown={(e) => e.preventDefault()} onClick={() => choose(c.id)}>
            <span>{c.label}</span>
            {c.keys.length > 0 && <kbd>{c.keys.join(' / ')}</kbd>}
          </li>
        ))}
        {!found.length && <li className="hint">{t.paletteNone}</li>}
      </ul>
    </dialog>
  );
}
