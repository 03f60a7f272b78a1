/**
 * Running models from the editor: the model lists (defaults preselected), the
 * job in progress with its progress, cancelling it, and handing the open
 * page's result to the editor. The work itself runs in the engine; the
 * renderer only sends the page as it is now and listens for events.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobEventSource, JobKind, JobScope, ModelInfo, StudioService } from '../../../electron/common/api/service.js';

export interface RunningJob {
  readonly jobId: string | null;
  readonly kind: JobKind;
  readonly scope: JobScope;
  readonly done: number;
  readonly total: number;
  readonly label: string;
  readonly cancelling: boolean;
}

export interface JobsState {
  readonly recognizers: readonly ModelInfo[];
  readonly detectors: readonly ModelInfo[];
  readonly recognizer: string | null;
  readonly detector: string | null;
  readonly running: RunningJob | null;
  readonly setRecognizer: (id: string) => void;
  readonly setDetector: (id: string) => void;
  /** "Careful reading": recognise with a beam search (and the model's language model, where it has one). */
  readonly careful: boolean;
  readonly setCareful: (on: boolean) => void;
  /** "Also replace corrected text", for the next run only: by default lines people wrote keep their text. */
  readonly replaceCorrected: boolean;
  readonly setReplaceCorrected: (on: boolean) => void;
  /** The option's value for a run started elsewhere (the training panel's), which uses it up. */
  readonly takeReplaceCorrected: () => boolean;
  /** `replaceCorrected`: this run may replace a person's text (the caller decides: the option, or an explicit selection). */
  readonly start: (kind: JobKind, scope: JobScope, xml: string, lineIds: readonly string[], replaceCorrected: boolean) => void;
  readonly cancel: () => void;
  /** Lists the models again (a model was trained or installed); `select` becomes the chosen recogniser. */
  readonly reloadModels: (select?: string) => void;
}

export interface JobCallbacks {
  /** The open page's new document arrived. */
  readonly onResult: (kind: JobKind, xml: string, lineIds: readonly string[] | null) => void;
  readonly onFinished: (status: 'done' | 'cancelled' | 'failed', message: string, kind: JobKind) => void;
  /** Another page was written by a project job (the page list may show new files). */
  readonly onPageSaved: () => void;
}

/** The chosen models survive page changes (the editor is mounted per page). */
const chosen: { recognizer: string | null; detector: string | null } = { recognizer: null, detector: null };

/** Beam width of "careful reading" (measured: docs/benchmarks.md, "Character language model in beam search"). */
export const CAREFUL_BEAM = 8;
const CAREFUL_KEY = 'htr-studio-careful-reading';

export function useJobs(service: StudioService, events: JobEventSource, pageId: string, callbacks: JobCallbacks): JobsState {
  const [recognizers, setRecognizers] = useState<readonly ModelInfo[]>([]);
  const [detectors, setDetectors] = useState<readonly ModelInfo[]>([]);
  const [recognizer, setRecognizerState] = useState<string | null>(chosen.recognizer);
  const [detector, setDetectorState] = useState<string | null>(chosen.detector);
  const [running, setRunning] = useState<RunningJob | null>(null);
  // On unless turned off: in the editor accuracy matters more than the last second (a 48-line page: ≈2.5 s instead of 1 s).
  const [careful, setCarefulState] = useState(() => localStorage.getItem(CAREFUL_KEY) !== 'off');
  const setCareful = useCallback((on: boolean) => {
    localStorage.setItem(CAREFUL_KEY, on ? 'on' : 'off');
    setCarefulState(on);
  }, []);
  // Never remembered: replacing people's text is asked for run by run.
  const [replaceCorrected, setReplaceCorrected] = useState(false);
  const replaceRef = useRef(replaceCorrected);
  replaceRef.current = replaceCorrected;
  const takeReplaceCorrected = useCallback(() => {
    const on = replaceRef.current;
    setReplaceCorrected(false);
    return on;
  }, []);
  const runningRef = useRef(running);
  runningRef.current = running;
  const cb = useRef(callbacks);
  cb.current = callbacks;

  const live = useRef(true);
  const reloadModels = useCallback(
    (select?: string) => {
      if (select) chosen.recognizer = select;
      void Promise.all([service.listModels(), service.listDetectors()]).then(
        ([recs, dets]) => {
          if (!live.current) return;
          setRecognizers(recs);
          setDetectors(dets);
          const pick = (list: readonly ModelInfo[], want: string | null): string | null => (want && list.some((m) => m.id === want) ? want : (list.find((m) => m.isDefault) ?? list[0])?.id ?? null);
          setRecognizerState(pick(recs, chosen.recognizer));
          setDetectorState(pick(dets, chosen.detector));
        },
        () => undefined,
      );
    },
    [service],
  );
  useEffect(() => {
    live.current = true;
    reloadModels();
    return () => {
      live.current = false;
    };
  }, [reloadModels]);

  // Events of jobs started elsewhere (another tab) are ignored: only ours have our id.
  useEffect(
    () =>
      events.subscribe((e) => {
        const job = runningRef.current;
        if (!job || (job.jobId !== null && job.jobId !== e.jobId)) return;
        if (e.type === 'progress') setRunning({ ...job, jobId: e.jobId, done: e.done, total: e.total, label: e.label });
        else if (e.type === 'page-result' && e.pageId === pageId) cb.current.onResult(e.kind, e.xml, e.lineIds);
        else if (e.type === 'page-saved') cb.current.onPageSaved();
        else if (e.type === 'finished') {
          setRunning(null);
          cb.current.onFinished(e.status, e.message, job.kind);
        }
      }),
    [events, pageId],
  );

  const start = useCallback(
    (kind: JobKind, scope: JobScope, xml: string, lineIds: readonly string[], replace: boolean) => {
      if (runningRef.current) return;
      setReplaceCorrected(false);
      const modelId = kind === 'recognize' ? recognizer : detector;
      const job: RunningJob = { jobId: null, kind, scope, done: 0, total: 0, label: '', cancelling: false };
      runningRef.current = job;
      setRunning(job);
      service.startJob({ kind, scope, modelId, pageId, xml, lineIds, beam: kind === 'recognize' && careful ? CAREFUL_BEAM : null, replaceCorrected: replace }).then(
        ({ jobId }) => {
          const now = runningRef.current;
          if (now && now.jobId === null) setRunning((runningRef.current = { ...now, jobId }));
          if (now?.cancelling) void service.cancelJob(jobId);
        },
        (e: Error) => {
          setRunning(null);
          cb.current.onFinished('failed', e.message, kind);
        },
      );
    },
    [service, pageId, recognizer, detector, careful],
  );

  const cancel = useCallback(() => {
    const job = runningRef.current;
    if (!job || job.cancelling) return;
    setRunning((runningRef.current = { ...job, cancelling: true }));
    if (job.jobId) void service.cancelJob(job.jobId);
  }, [service]);

  return {
    recognizers,
    detectors,
    recognizer,
    detector,
    running,
    setRecognizer: (id) => setRecognizerState((chosen.recognizer = id)),
    setDetector: (id) => setDetectorState((chosen.detector = id)),
    careful,
    setCareful,
    replaceCorrected,
    setReplaceCorrected,
    takeReplaceCorrected,
    start,
    cancel,
    reloadModels,
  };
}
