/**
 * "Export ground truth…": the project's pages for a trainer or a catalogue, as
 * `htr-studio export` writes them (PAGE, ALTO, text, or line pairs for kraken,
 * tesstrain, PyLaia, Loghi), only the pages of the chosen statuses, optionally split
 * train/validation/test by document. The engine writes a new folder inside the
 * project (`exports/…`, or one zip) with its export-manifest.json (sources, licences,
 * split) and says what it wrote; the ground-truth checker comes first
 * for line pairs, and a refusal says how many lines would break a trainer.
 */
import { useEffect, useRef, useState } from 'react';
import { PAGE_STATUSES, PROJECT_EXPORT_FORMATS, type PageStatus, type ProjectExportFormat, type ProjectExportResult, type StudioService } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly service: StudioService;
  readonly open: boolean;
  readonly onClose: () => void;
}

export function ExportProjectDialog({ service, open, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<ProjectExportFormat>('page');
  const [statuses, setStatuses] = useState<ReadonlySet<PageStatus>>(new Set(['ground-truth']));
  const [split, setSplit] = useState('');
  const [force, setForce] = useState(false);
  const [zip, setZip] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ProjectExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setResult(null);
      setError(null);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  const run = (): void => {
    setBusy(true);
    setResult(null);
    setError(null);
    service.exportProject({ format, statuses: statuses.size ? [...statuses] : null, split: split.trim() || null, force, zip }).then(
      (r) => setResult(r),
      (e: Error) => setError(e.message),
    ).finally(() => setBusy(false));
  };
  const sum = (o: Readonly<Record<string, number>>): number => Object.values(o).reduce((a, b) => a + b, 0);
  return (
    <dialog ref={ref} className="shortcuts accuracy-report export-project" aria-labelledby="export-project-title" onClose={onClose}>
      <h2 id="export-project-title">{t.exportProjectTitle}</h2>
      <div className="properties">
        <label className="field">
          <span className="field-label">{t.exportProjectFormat}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as ProjectExportFormat)}>
            {PROJECT_EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t.exportProjectFormats[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t.exportProjectSplit}</span>
          <input type="text" value={split} placeholder="80/10/10" onChange={(e) => setSplit(e.target.value)} />
        </label>
      </div>
      <fieldset className="export-statuses">
        <legend>{t.exportProjectStatuses}</legend>
        {PAGE_STATUSES.map((s) => (
          <label key={s} className="check-field">
            <input
              type="checkbox"
              checked={statuses.has(s)}
              onChange={(e) => {
                const next = new Set(statuses);
                if (e.target.checked) next.add(s);
                else next.delete(s);
                setStatuses(next);
              }}
            />
            <span>{t.pageStatusNames[s]}</span>
          </label>
        ))}
      </fieldset>
      <label className="check-field">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
        <span>{t.exportProjectForce}</span>
      </label>
      <label className="check-field">
        <input type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} />
        <span>{t.exportProjectZip}</span>
      </label>
      <div className="save-conflict-buttons">
        <button type="button" className="primary-button small" disabled={busy} onClick={run}>
          {busy ? t.exportProjectRunning : t.exportProjectRun}
        </button>
        <button type="button" className="dialog-close" onClick={onClose}>
          {t.close}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {result && (
        <p role="status" className="export-result" data-folder={result.folder ?? ''}>
          {result.refused
            ? t.exportProjectRefused(sum(result.breaking), Object.entries(result.breaking).map(([r, n]) => `${n} ${r}`).join(', '))
            : t.exportProjectDone(result.folder!, sum(result.pages), sum(result.lines), result.filtered, sum(result.skipped))}
        </p>
      )}
    </dialog>
  );
}
