/** The keyboard reference, from the command registry, a modal dialog (native <dialog>: focus trap and Esc come with it). */
import { useEffect, useRef } from 'react';
import { strings as t } from '../i18n/strings.js';
import { helpRows } from '../../../electron/common/commands/registry.js';

export function ShortcutsDialog({ open, onClose }: { readonly open: boolean; readonly onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{t.shortcuts.replace(/ \(.*\)$/, '')}</h2>
      <table>
        <tbody>
          {helpRows().map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="dialog-close" onClick={onClose} autoFocus>
        {t.close}
      </button>
    </dialog>
  );
}
