/**
 * The languages of the project for the catalogue (common/language, as
 * `htr-studio languages`): the languages of all the saved pages together with their
 * share of the text, and each page's, reported only above the confidence threshold;
 * what is less sure is listed for review, with the lines flagged. A modal <dialog>.
 */
import { useState } from 'react';
import { useReportDialog } from './use-report-dialog.js';
import type { LanguagesReport, StudioService } from '../../../electron/common/api/service.js';
import type { LanguageShare } from '../../../electron/common/language/identify.js';
import { LANGUAGE_NAMES } from '../../../electron/common/language/names.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly service: StudioService;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onOpenPage: (pageId: string) => void;
}

const named = (l: LanguageShare): string => `${LANGUAGE_NAMES[l.lang]?.page ?? l.lang} ${Math.round(100 * l.share)}%`;

export function LanguagesDialog({ service, open, onClose, onOpenPage }: Props) {
  const [threshold, setThreshold] = useState(0.8);
  const { ref, report, error } = useReportDialog<LanguagesReport>(open, () => service.languagesReport(threshold), `${threshold}`);
  return (
    <dialog ref={ref} className="shortcuts accuracy-report" aria-labelledby="languages-title" onClose={onClose}>
      <h2 id="languages-title">{t.languagesTitle}</h2>
      <label className="field">
        <span className="field-label">{t.languagesThreshold}</span>
        <input type="number" min={50} max={100} step={5} value={Math.round(threshold * 100)} onChange={(e) => Number(e.target.value) >= 50 && Number(e.target.value) <= 100 && setThreshold(Number(e.target.value) / 100)} />
      </label>
      {error && <p role="alert">{error}</p>}
      {!report && !error && <p className="hint">{t.loading}</p>}
      {report && (
        <>
          <p className="accuracy-total" data-languages={report.document.languages.map((l) => l.lang).join(' ')}>
            {report.document.languages.length ? t.languagesDocument(report.document.languages.map(named).join(', ')) : t.languagesNone}
          </p>
          {report.document.doubtful.length > 0 && <p className="hint">{t.languagesReview(report.document.doubtful.map(named).join(', '))}</p>}
          <table className="accuracy-pages" aria-label={t.languagesPages}>
            <tbody>
              {report.pages.map((p) => (
                <tr key={p.pageId} data-page={p.pageId}>
                  <th scope="row">
                    <button type="button" className="link-button" onClick={() => onOpenPage(p.pageId)}>
                      {p.name}
                    </button>
                  </th>
                  <td>{p.languages.map(named).join(', ') || '\u2014'}</td>
                  <td className="hint">{p.doubtful.length ? t.languagesReview(p.doubtful.map(named).join(', ')) : ''}</td>
                  <td className="hint">{t.languagesFlagged(p.flagged, p.lines)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <button type="button" className="dialog-close" onClick={onClose} autoFocus>
        {t.close}
      </button>
    </dialog>
  );
}
