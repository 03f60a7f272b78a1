/**
 * "Train a model on corrected pages": choose pages (all transcribed pages by
 * default), the model to start from, a time budget and a name; the engine
 * fine-tunes in the background (Python with PyTorch) while the panel draws the
 * held-back CER after each evaluation; Cancel keeps the best model so far. When
 * it ends the new model is listed and chosen, and the panel offers to recognise
 * the open page with it (one undoable edit, as any recognition).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobEventSource, ModelInfo, StudioService, TrainingSetup } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';
import { deferResult } from '../editor/pending-results.js';
import { CAREFUL_BEAM } from '../editor/use-jobs.js';

interface Props {
  readonly service: StudioService;
  readonly events: JobEventSource;
  readonly recognizers: readonly ModelInfo[];
  readonly busy: boolean;
  /** The model is installed: list it and choose it. */
  readonly onTrained: (modelId: string) => void;
  readonly pageId: string;
  readonly recognizer: string | null;
  readonly careful: boolean;
  /** Whether this run may replace lines people wrote (the jobs panel's per-run option; reading it uses it up). */
  readonly takeReplaceCorrected: () => boolean;
  readonly onRecognizePage: () => void;
  /** A result for the open page from "recognise the other pages": apply it as one undoable edit. */
  readonly onApplyResult: (xml: string) => void;
  readonly onNotice: (kind: 'info' | 'error', text: string) => void;
}

interface Run {
  readonly jobId: string | null;
  readonly name: string;
  readonly minutes: number;
  readonly before: number | null;
  readonly curve: readonly { readonly step: number; readonly cer: number }[];
  readonly minutesLeft: number | null;
  readonly cancelling: boolean;
  /** The pages it trains on (all transcribed pages when the request named none). */
  readonly pageIds: readonly string[];
}

/** "Recognise the pages not used for training": its job and progress. */
interface PagesJob {
  readonly jobId: string | null;
  readonly done: number;
  readonly total: number;
  readonly cancelling: boolean;
}

/** Survives page changes (the editor is mounted per page; the job runs on in the engine). */
let current: Run | null = null;
let lastTrained: { readonly name: string; readonly pageIds: readonly string[] } | null = null;
let pagesJob: PagesJob | null = null;


function defaultName(): string {
  const d = new Date();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `my-model-${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}`;
}

/** The held-back CER after each evaluation, the base model's as a dashed line. */
function CerCurve({ run }: { readonly run: Run }) {
  const W = 220;
  const H = 70;
  const pts = run.curve;
  const values = [...pts.map((p) => p.cer), ...(run.before === null ? [] : [run.before])];
  if (!values.length) return null;
  const top = Math.max(...values) * 1.1 || 1;
  const maxStep = Math.max(1, ...pts.map((p) => p.step));
  const y = (cer: number): number => H - (H * cer) / top;
  const path = pts.map((p, i) => `${i ? 'L' : 'M'}${((W * p.step) / maxStep).toFixed(1)},${y(p.cer).toFixed(1)}`).join(' ');
  return (
    <svg className="train-curve" width={W} height={H} role="img" aria-label={t.trainCurve(pts.length ? pts[pts.length - 1]!.cer : null)}>
      {run.before !== null && <line x1={0} x2={W} y1={y(run.before)} y2={y(run.before)} className="train-curve-base" strokeDasharray="4 3" />}
      <path d={path} className="train-curve-line" fill="none" />
      {pts.map((p) => (
        <circle key={p.step} cx={(W * p.step) / maxStep} cy={y(p.cer)} r={2.5} className="train-curve-dot" />
      ))}
    </svg>
  );
}

export function TrainPanel({ service, events, recognizers, busy, pageId, recognizer, careful, takeReplaceCorrected, onTrained, onRecognizePage, onApplyResult, onNotice }: Props) {
  const [open, setOpen] = useState(false);
  const [setup, setSetup] = useState<TrainingSetup | null>(null);
  const [pages, setPages] = useState<ReadonlySet<string>>(new Set());
  const [base, setBase] = useState<string>('');
  const [minutes, setMinutes] = useState('10');
  const [name, setName] = useState(defaultName);
  const [run, setRunState] = useState<Run | null>(current);
  const [trained, setTrained] = useState(lastTrained);
  const [others, setOthers] = useState<readonly string[]>([]);
  const [pages2, setPagesJobState] = useState<PagesJob | null>(pagesJob);
  const setRun = useCallback((r: Run | null) => setRunState((current = r)), []);
  const setPagesJob = useCallback((j: PagesJob | null) => setPagesJobState((pagesJob = j)), []);
  const cb = useRef({ onTrained, onNotice, onApplyResult, pageId });
  cb.current = { onTrained, onNotice, onApplyResult, pageId };

  // The pages a new model could read next: every page not used for its training.
  useEffect(() => {
    if (!trained) return setOthers([]);
    let live = true;
    void service.listPages().then((all) => live && setOthers(all.filter((p) => p.imagePath && !trained.pageIds.includes(p.id)).map((p) => p.id)), () => undefined);
    return () => {
      live = false;
    };
  }, [service, trained]);

  useEffect(
    () =>
      events.subscribe((e) => {
        const j = pagesJob;
        if (!j || (j.jobId !== null && j.jobId !== e.jobId)) return;
        if (e.type === 'progress') setPagesJob({ ...j, jobId: e.jobId, done: e.done, total: e.total });
        else if (e.type === 'page-result') {
          if (e.pageId === cb.current.pageId) cb.current.onApplyResult(e.xml);
          else deferResult(e.pageId, e.xml);
        } else if (e.type === 'finished') {
          setPagesJob(null);
          cb.current.onNotice(e.status === 'failed' ? 'error' : 'info', e.status === 'done' ? t.jobDone(e.message) : e.status === 'cancelled' ? t.jobCancelled : t.jobFailed(e.message));
        }
      }),
    [events, setPagesJob],
  );

  const recognizeOthers = (): void => {
    if (pagesJob || !others.length) return;
    setPagesJob({ jobId: null, done: 0, total: 0, cancelling: false });
    service.recognizePages({ pageIds: [...others], modelId: recognizer, beam: careful ? CAREFUL_BEAM : null, replaceCorrected: takeReplaceCorrected() }).then(
      ({ jobId }) => {
        if (pagesJob && pagesJob.jobId === null) setPagesJob({ ...pagesJob, jobId });
        if (pagesJob?.cancelling) void service.cancelJob(jobId);
      },
      (e: Error) => {
        setPagesJob(null);
        onNotice('error', t.jobFailed(e.message));
      },
    );
  };

  useEffect(
    () =>
      events.subscribe((e) => {
        const r = current;
        if (!r || (r.jobId !== null && r.jobId !== e.jobId)) return;
        if (e.type === 'training') {
          const ev = e.event;
          if (ev.event === 'start') setRun({ ...r, jobId: e.jobId, before: ev.before_val_cer });
          else if (ev.event === 'eval') setRun({ ...r, jobId: e.jobId, curve: ev.val_cer === null ? r.curve : [...r.curve, { step: ev.step, cer: ev.val_cer }], minutesLeft: ev.minutes_left });
          else if (ev.event === 'step') setRun({ ...r, jobId: e.jobId, minutesLeft: ev.minutes_left });
        } else if (e.type === 'finished') {
          setRun(null);
          // Cancelled keeps the best model so far: it is installed too.
          if (e.status !== 'failed') {
            setTrained((lastTrained = { name: r.name, pageIds: r.pageIds }));
            cb.current.onTrained(r.name);
          }
          cb.current.onNotice(e.status === 'failed' ? 'error' : 'info', e.status === 'done' ? t.trainDone(e.message) : e.status === 'cancelled' ? t.trainCancelled(r.name) : t.trainFailed(e.message));
        }
      }),
    [events, setRun],
  );

  const openForm = (): void => {
    setOpen(true);
    setSetup(null);
    void service.trainingSetup().then(
      (s) => {
        setSetup(s);
        setPages(new Set(s.pages.map((p) => p.id)));
      },
      (e: Error) => onNotice('error', t.trainFailed(e.message)),
    );
  };

  const start = (): void => {
    const mins = Number(minutes);
    if (!(mins > 0)) return onNotice('error', t.trainMinutesInvalid);
    const r: Run = { jobId: null, name, minutes: mins, before: null, curve: [], minutesLeft: mins, cancelling: false, pageIds: [...pages] };
    setRun(r);
    setOpen(false);
    service.startTraining({ pageIds: [...pages], baseModelId: base || null, minutes: mins, name }).then(
      ({ jobId }) => {
        if (current && current.jobId === null) setRun({ ...current, jobId });
        if (current?.cancelling) void service.cancelJob(jobId);
      },
      (e: Error) => {
        setRun(null);
        onNotice('error', t.trainFailed(e.message));
      },
    );
  };

  const cancel = (): void => {
    if (!current || current.cancelling) return;
    setRun({ ...current, cancelling: true });
    if (current.jobId) void service.cancelJob(current.jobId);
  };

  const totalLines = setup?.pages.filter((p) => pages.has(p.id)).reduce((a, p) => a + p.lines, 0) ?? 0;
  return (
    <div className="train">
      {!open && !run && (
        <button type="button" className="ghost-button small" onClick={openForm} disabled={busy}>
          {t.trainOpen}
        </button>
      )}
      {open && !run && (
        <form
          className="train-form"
          aria-label={t.trainTitle}
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          {!setup && <p className="train-note">{t.trainChecking}</p>}
          {setup?.unavailable && <p className="train-note train-unavailable" role="alert">{setup.unavailable}</p>}
          {setup && !setup.unavailable && (
            <>
              <fieldset className="train-pages">
                <legend>{t.trainPages(pages.size, totalLines)}</legend>
                {!setup.pages.length && <p className="train-note">{t.trainNoPages}</p>}
                {setup.pages.map((p) => (
                  <label key={p.id} className="check-field">
                    <input
                      type="checkbox"
                      checked={pages.has(p.id)}
                      onChange={(e) => {
                        const next = new Set(pages);
                        if (e.target.checked) next.add(p.id);
                        else next.delete(p.id);
                        setPages(next);
                      }}
                    />
                    <span>{t.trainPage(p.name, p.lines)}</span>
                  </label>
                ))}
              </fieldset>
              <label className="field">
                <span className="field-label">{t.trainBase}</span>
                <select value={base} onChange={(e) => setBase(e.target.value)} aria-label={t.trainBase}>
                  <option value="">{t.trainBaseDefault}</option>
                  {recognizers.filter((m) => m.family === 'crnn-ctc').map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field-label">{t.trainMinutes}</span>
                <input type="number" min={0.1} step="any" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-label={t.trainMinutes} />
              </label>
              <label className="field">
                <span className="field-label">{t.trainName}</span>
                <input type="text" value={name} pattern="\w[\w.\-]*" onChange={(e) => setName(e.target.value)} aria-label={t.trainName} />
              </label>
            </>
          )}
          <div className="jobs-buttons">
            <button type="submit" className="primary-button small" disabled={!setup || !!setup.unavailable || !pages.size || !name}>
              {t.trainStart}
            </button>
            <button type="button" className="ghost-button small" onClick={() => setOpen(false)}>
              {t.cancel}
            </button>
          </div>
        </form>
      )}
      {run && (
        <div className="job-progress" role="group" aria-label={t.trainRunning}>
          <div className="job-progress-head">
            <span className="job-label">{run.cancelling ? t.trainStopping : t.trainProgress(run.name, run.curve.length ? run.curve[run.curve.length - 1]!.cer : null, run.before)}</span>
            <span className="job-pct">{run.minutesLeft === null ? '' : t.minutesLeft(run.minutesLeft)}</span>
          </div>
          <progress className="job-bar" max={run.minutes} value={Math.max(0, run.minutes - (run.minutesLeft ?? run.minutes))} aria-label={t.jobProgress} />
          <CerCurve run={run} />
          <button type="button" className="ghost-button small job-cancel" onClick={cancel} disabled={run.cancelling}>
            {t.cancel}
          </button>
        </div>
      )}
      {pages2 && (
        <div className="job-progress" role="group" aria-label={t.pagesRunning}>
          <div className="job-progress-head">
            <span className="job-label">{pages2.cancelling ? t.cancelling : t.pagesRecognizing}</span>
            <span className="job-pct">{pages2.total ? `${Math.round((100 * pages2.done) / pages2.total)}%` : ''}</span>
          </div>
          <progress className="job-bar" max={Math.max(1, pages2.total)} value={pages2.done} aria-label={t.jobProgress} />
          <button
            type="button"
            className="ghost-button small job-cancel"
            disabled={pages2.cancelling}
            onClick={() => {
              setPagesJob({ ...pages2, cancelling: true });
              if (pages2.jobId) void service.cancelJob(pages2.jobId);
            }}
          >
            {t.cancel}
          </button>
        </div>
      )}
      {trained && !run && !open && !pages2 && (
        <div className="train-offer">
          <span>{t.trainOffer(trained.name)}</span>
          <button type="button" className="primary-button small" disabled={busy} onClick={onRecognizePage}>
            {t.trainRecognizePage}
          </button>
          {others.length > 0 && (
            <button type="button" className="ghost-button small" disabled={busy} onClick={recognizeOthers} title={t.trainRecognizeOthersHint}>
              {t.trainRecognizeOthers(others.length)}
            </button>
          )}
          <button type="button" className="ghost-button small" onClick={() => setTrained((lastTrained = null))} aria-label={t.dismiss}>
            {t.dismiss}
          </button>
        </div>
      )}
    </div>
  );
}
