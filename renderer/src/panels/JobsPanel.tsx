/**
 * Models: choose a recogniser and a layout detector, run them on this page,
 * the selected lines or the whole project, watch the progress, cancel.
 */
import { useState } from 'react';
import type { JobScope, ModelInfo } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';
import type { JobsState } from '../editor/use-jobs.js';

interface Props {
  readonly jobs: JobsState;
  readonly selectedLines: number;
  /** Lines on the open page: none yet, and detecting the layout is the first step. */
  readonly pageLines: number;
  readonly onRun: (kind: 'recognize' | 'detect', scope: JobScope) => void;
}

function ModelSelect({ label, models, value, onChange, disabled }: { readonly label: string; readonly models: readonly ModelInfo[]; readonly value: string | null; readonly onChange: (id: string) => void; readonly disabled: boolean }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)} disabled={disabled || !models.length} title={models.find((m) => m.id === value)?.description}>
        {!models.length && <option value="">{t.noModels}</option>}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.isDefault ? t.defaultModel(m.name) : m.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function JobsPanel({ jobs, selectedLines, pageLines, onRun }: Props) {
  const [scope, setScope] = useState<JobScope>('page');
  const busy = jobs.running !== null;
  const effective: JobScope = scope === 'lines' && selectedLines === 0 ? 'page' : scope;
  const r = jobs.running;
  const pct = r && r.total > 0 ? Math.round((100 * r.done) / r.total) : null;
  return (
    <div className="jobs">
      <ModelSelect label={t.recognizer} models={jobs.recognizers} value={jobs.recognizer} onChange={jobs.setRecognizer} disabled={busy} />
      <ModelSelect label={t.detector} models={jobs.detectors} value={jobs.detector} onChange={jobs.setDetector} disabled={busy} />
      <label className="field">
        <span className="field-label">{t.jobScope}</span>
        <select value={scope} onChange={(e) => setScope(e.target.value as JobScope)} disabled={busy} aria-label={t.jobScope}>
          <option value="page">{t.scopePage}</option>
          <option value="lines">{t.scopeLines(selectedLines)}</option>
          <option value="project">{t.scopeProject}</option>
        </select>
      </label>
      <label className="check-field" title={t.carefulHint}>
        <input type="checkbox" name="careful-reading" checked={jobs.careful} onChange={(e) => jobs.setCareful(e.target.checked)} disabled={busy} />
        <span>{t.careful}</span>
      </label>
      <label className="check-field" title={t.replaceCorrectedHint}>
        <input type="checkbox" name="replace-corrected" checked={jobs.replaceCorrected} onChange={(e) => jobs.setReplaceCorrected(e.target.checked)} disabled={busy} />
        <span>{t.replaceCorrected}</span>
      </label>
      <div className="jobs-buttons">
        {(() => {
          // A page without lines has nothing to recognise yet: Detect layout leads there.
          const detectFirst = pageLines === 0 && effective === 'page';
          const recognize = (
            <button key="recognize" type="button" className={`${detectFirst ? 'ghost-button' : 'primary-button'} small`} disabled={busy || !jobs.recognizer || detectFirst} onClick={() => onRun('recognize', effective)} title={detectFirst ? t.recognizeNeedsLines : undefined}>
              {t.runRecognize}
            </button>
          );
          const detect = (
            <button key="detect" type="button" className={`${detectFirst ? 'primary-button' : 'ghost-button'} small`} disabled={busy || !jobs.detector || effective === 'lines'} onClick={() => onRun('detect', effective)} title={effective === 'lines' ? t.detectNeedsPage : undefined}>
              {t.runDetect}
            </button>
          );
          return detectFirst ? [detect, recognize] : [recognize, detect];
        })()}
      </div>
      {r && (
        <div className="job-progress" role="group" aria-label={t.jobRunning}>
          <div className="job-progress-head">
            <span className="job-label">{r.cancelling ? t.cancelling : r.kind === 'recognize' ? t.recognizing(r.label) : t.detecting(r.label)}</span>
            <span className="job-pct">{pct === null ? '' : `${pct}%`}</span>
          </div>
          <progress className="job-bar" max={100} {...(pct !== null && { value: pct })} aria-label={t.jobProgress} />
          <button type="button" className="ghost-button small job-cancel" onClick={jobs.cancel} disabled={r.cancelling}>
            {t.cancel}
          </button>
        </div>
      )}
    </div>
  );
}
