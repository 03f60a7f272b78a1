/** The choice a refused save asks for (see use-save-conflict.ts). */
import type { ConflictChoice, SaveConflict } from '../editor/use-save-conflict.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly conflict: SaveConflict;
  readonly onChoose: (how: ConflictChoice) => void;
}

export function SaveConflictBar({ conflict, onChoose }: Props) {
  const { merge } = conflict;
  const canMerge = merge.doc !== undefined && merge.merged > 0;
  return (
    <div className="save-conflict" role="alertdialog" aria-labelledby="save-conflict-text">
      <p id="save-conflict-text">
        {conflict.revision === null ? t.conflictRemoved : t.conflictChanged}{' '}
        {canMerge ? t.conflictMergeable(merge.merged, merge.conflicts.length) : merge.doc === undefined ? t.conflictNotText : ''}
      </p>
      <div className="save-conflict-buttons">
        {canMerge && (
          <button type="button" className="primary-button small" onClick={() => onChoose('merge')} autoFocus>
            {t.conflictMerge}
          </button>
        )}
        <button type="button" className="ghost-button small" onClick={() => onChoose('mine')} autoFocus={!canMerge}>
          {t.conflictKeepMine}
        </button>
        {conflict.revision !== null && (
          <button type="button" className="ghost-button small" onClick={() => onChoose('theirs')}>
            {t.conflictTakeTheirs}
          </button>
        )}
      </div>
    </div>
  );
}
