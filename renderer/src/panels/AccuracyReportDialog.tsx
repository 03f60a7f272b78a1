/**
 * The accuracy report, a modal dialog: how right the models were on the lines
 * people have corrected or verified (machine text from each line's history against
 * the person's text), for the project, per page with a bar of its CER (the pages
 * to correct and train on next first), the most frequent confusions and the worst
 * lines. The figures are `htr-studio eval --history` on the same pages.
 */
import { useReportDialog } from './use-report-dialog.js';
import type { AccuracyReport, StudioService } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly service: StudioService;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onOpenPage: (pageId: string) => void;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const show = (s: string): string => (s === '' ? '\u2205' : s === ' ' ? '\u2423' : s);

export function AccuracyReportDialog({ service, open, onClose, onOpenPage }: Props) {
  const { ref, report, error } = useReportDialog<AccuracyReport>(open, () => service.accuracyReport(), service);
  const pages = report ? [...report.pages].filter((p) => p.lines > 0).sort((a, b) => b.cer - a.cer) : [];
  const worst = Math.max(0.0001, ...pages.map((p) => p.cer));
  return (
    <dialog ref={ref} className="shortcuts accuracy-report" aria-labelledby="accuracy-title" onClose={onClose}>
      <h2 id="accuracy-title">{t.accuracyTitle}</h2>
      {error && <p role="alert">{error}</p>}
      {!report && !error && <p className="hint">{t.loading}</p>}
      {report && report.total.lines === 0 && <p className="empty-note">{t.accuracyNone}</p>}
      {report && report.total.lines > 0 && (
        <>
          <p className="accuracy-total" data-cer={report.total.cer}>
            {t.accuracyTotal(pct(report.total.cer), pct(report.total.wer), report.total.lines, report.total.charErrors, report.total.chars)}
          </p>
          <p className="hint">{report.models.map((m) => t.accuracyModel(m.model, m.lines)).join(' \u00b7 ')}</p>
          <h3 className="panel-subtitle">{t.accuracyPages}</h3>
          <table className="accuracy-pages" aria-label={t.accuracyPages}>
            <tbody>
              {pages.map((p) => (
                <tr key={p.pageId} data-page={p.pageId}>
                  <th scope="row">
                    <button type="button" className="link-button" onClick={() => onOpenPage(p.pageId)}>
                      {p.name}
                    </button>
                  </th>
                  <td className="accuracy-bar-cell">
                    <span className="accuracy-bar" style={{ width: `${Math.round((100 * p.cer) / worst)}%` }} />
                  </td>
                  <td className="accuracy-cer">{pct(p.cer)}</td>
                  <td className="hint">{t.accuracyPageLines(p.lines)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.confusions.length > 0 && (
            <>
              <h3 className="panel-subtitle">{t.accuracyConfusions}</h3>
              <ul className="accuracy-confusions" aria-label={t.accuracyConfusions}>
                {report.confusions.slice(0, 12).map((c) => (
                  <li key={`${c.ref}\u0000${c.hyp}`}>
                    <span className="conf-pair">
                      {show(c.ref)} {'\u2192'} {show(c.hyp)}
                    </span>{' '}
                    <span className="hint">{c.count}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <button type="button" className="dialog-close" onClick={onClose} autoFocus>
        {t.close}
      </button>
    </dialog>
  );
}
