/**
 * What an export changed so that the target's schema accepts the file (repairs,
 * dropped details): listed where the person sees it, not only in a console that
 * no browser-mode user opens.
 */
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly fileName: string;
  readonly warnings: readonly string[];
  readonly onClose: () => void;
}

export function RepairsBar({ fileName, warnings, onClose }: Props) {
  return (
    <div className="save-conflict repairs-bar" role="region" aria-label={t.repairsTitle(fileName)}>
      <div>
        <p>{t.repairsTitle(fileName)}</p>
        <ul className="repairs-list">
          {warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      </div>
      <div className="save-conflict-buttons">
        <button type="button" className="ghost-button small" onClick={onClose} autoFocus>
          {t.close}
        </button>
      </div>
    </div>
  );
}
