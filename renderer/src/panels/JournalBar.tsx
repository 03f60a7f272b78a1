/** Unsaved edits found in the journal when the page opened (the app stopped before saving them): restore or discard. */
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly savedAt: string;
  readonly onRestore: () => void;
  readonly onDiscard: () => void;
}

export function JournalBar({ savedAt, onRestore, onDiscard }: Props) {
  const when = new Date(savedAt);
  const shown = Number.isNaN(when.getTime()) ? savedAt : when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="save-conflict journal-bar" role="alertdialog" aria-labelledby="journal-text">
      <p id="journal-text">{t.journalFound(shown)}</p>
      <div className="save-conflict-buttons">
        <button type="button" className="primary-button small" onClick={onRestore} autoFocus>
          {t.journalRestore}
        </button>
        <button type="button" className="ghost-button small" onClick={onDiscard}>
          {t.journalDiscard}
        </button>
      </div>
    </div>
  );
}
