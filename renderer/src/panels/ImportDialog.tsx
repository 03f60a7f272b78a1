/**
 * "Import…": brings images, PDFs, PAGE/ALTO, METS exports, zips and IIIF manifests
 * into the open project, as `htr-studio import` does (the engine runs it as a job:
 * progress, cancel; nothing in the project changes unless it all succeeds). Sources
 * are typed or pasted one per line — paths on this computer or manifest URLs — since
 * the editor has no file system of its own. The start screen opens it with
 * `newProject`: it then asks for a folder too, and creates the project there first.
 */
import { useEffect, useRef, useState } from 'react';
import type { JobEvent, JobEventSource, StudioService } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';

export interface ImportDialogProps {
  readonly service: StudioService;
  readonly events: JobEventSource;
  readonly open: boolean;
  readonly onClose: () => void;
  /** After a successful import: the page list has new pages (with `newProject`: the project to load). */
  readonly onImported: () => void;
  /** No project is open (the start screen): ask for a folder and create the project there before importing. */
  readonly newProject?: boolean;
  /** The desktop app: native dialogs add files or a folder to the list. */
  readonly desktop?: boolean;
}

interface Running {
  readonly jobId: string | null;
  readonly done: number;
  readonly total: number;
  readonly label: string;
  readonly cancelling: boolean;
}

/** One source per line; blank lines and surrounding quotes (a path copied from a file manager) dropped. */
export function parseSources(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim().replace(/^(["'])(.*)\1$/, '$2')).filter(Boolean);
}

export function ImportDialog({ service, events, open, onClose, onImported, newProject = false, desktop = false }: ImportDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [sources, setSources] = useState('');
  const [folder, setFolder] = useState('');
  const [reference, setReference] = useState(false);
  const [dpi, setDpi] = useState('300');
  const [groups, setGroups] = useState('');
  const [running, setRunning] = useState<Running | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const jobRef = useRef<string | null>(null);
  // Events that arrive before the job's id is known (a fast transport) wait here.
  const early = useRef<JobEvent[]>([]);

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

  // The job's events: progress, then one "finished".
  const handle = useRef<(e: JobEvent) => void>(() => undefined);
  handle.current = (e) => {
    if (e.type === 'progress') setRunning((r) => r && { ...r, done: e.done, total: e.total, label: e.label });
    if (e.type !== 'finished') return;
    jobRef.current = null;
    setRunning(null);
    if (e.status === 'done') {
      setResult(t.importDone(e.message));
      onImported();
    } else if (e.status === 'cancelled') setResult(t.importCancelled);
    else setError(e.message);
  };
  const waiting = useRef(false);
  useEffect(
    () =>
      events.subscribe((e) => {
        if (jobRef.current === null) {
          if (waiting.current) early.current.push(e);
        } else if (e.jobId === jobRef.current) handle.current(e);
      }),
    [events],
  );

  const run = (): void => {
    const list = parseSources(sources);
    if (!list.length) {
      setError(t.importNothing);
      return;
    }
    if (newProject && !folder.trim()) {
      setError(t.importNeedsFolder);
      return;
    }
    const n = Number(dpi);
    setError(null);
    setResult(null);
    early.current = [];
    waiting.current = true;
    setRunning({ jobId: null, done: 0, total: 0, label: '', cancelling: false });
    // From the start screen the project is made first (an empty folder with its htr-studio.json, then open in the engine).
    (newProject ? service.createProject(folder.trim()) : Promise.resolve(null))
      .then(() => service.importSources({ sources: list, reference, dpi: Number.isInteger(n) && n >= 30 && n <= 1200 ? n : null, fileGroups: groups.split(',').map((g) => g.trim()).filter(Boolean) }))
      .then(
        ({ jobId }) => {
          waiting.current = false;
          jobRef.current = jobId;
          setRunning((r) => r && { ...r, jobId });
          const pending = early.current.filter((e) => e.jobId === jobId);
          early.current = [];
          for (const e of pending) if (jobRef.current === jobId) handle.current(e);
        },
        (e: Error) => {
          waiting.current = false;
          setRunning(null);
          setError(e.message);
        },
      );
  };

  const add = (kind: 'files' | 'folder'): void => {
    service.chooseImportSources(kind).then(
      (paths) => paths.length && setSources((s) => [...parseSources(s), ...paths].join('\n')),
      (e: Error) => setError(e.message),
    );
  };

  const cancel = (): void => {
    const id = jobRef.current;
    if (!id) return;
    setRunning((r) => r && { ...r, cancelling: true });
    void service.cancelJob(id);
  };

  const pct = running && running.total ? Math.round((100 * running.done) / running.total) : null;
  return (
    <dialog ref={ref} className="shortcuts accuracy-report import-dialog" aria-labelledby="import-title" onClose={onClose}>
      <h2 id="import-title">{newProject ? t.importNewTitle : t.importTitle}</h2>
      {newProject && (
        <label className="field">
          <span className="field-label">{t.startNewPath}</span>
          <input type="text" value={folder} placeholder="~/Documents/…" spellCheck={false} onChange={(e) => setFolder(e.target.value)} disabled={running !== null} />
        </label>
      )}
      <label className="field">
        <span className="field-label">{t.importSources}</span>
        <textarea className="import-sources" rows={4} style={{ width: '100%', fontFamily: 'inherit', resize: 'vertical' }} value={sources} placeholder={t.importSourcesPlaceholder} spellCheck={false} onChange={(e) => setSources(e.target.value)} disabled={running !== null} />
      </label>
      {desktop && (
        <div className="save-conflict-buttons">
          <button type="button" className="ghost-button small" disabled={running !== null} onClick={() => add('files')}>
            {t.importAddFiles}
          </button>
          <button type="button" className="ghost-button small" disabled={running !== null} onClick={() => add('folder')}>
            {t.importAddFolder}
          </button>
        </div>
      )}
      <p className="empty-note">{t.importHint}</p>
      <div className="properties">
        <label className="field">
          <span className="field-label">{t.importDpi}</span>
          <input type="number" min={30} max={1200} step={1} value={dpi} onChange={(e) => setDpi(e.target.value)} disabled={running !== null} />
        </label>
        <label className="field">
          <span className="field-label">{t.importFileGroups}</span>
          <input type="text" value={groups} placeholder="OCR-D-GT-SEG-PAGE" onChange={(e) => setGroups(e.target.value)} disabled={running !== null} />
        </label>
      </div>
      <label className="check-field">
        <input type="checkbox" checked={reference} onChange={(e) => setReference(e.target.checked)} disabled={running !== null} />
        <span>{t.importReference}</span>
      </label>
      {running && (
        <div className="job-progress" role="group" aria-label={t.importRunning}>
          <div className="job-progress-head">
            <span className="job-label import-label">{running.cancelling ? t.cancelling : running.label || t.importRunning}</span>
            <span className="job-pct">{pct === null ? '' : `${pct}%`}</span>
          </div>
          <progress className="job-bar" max={100} {...(pct !== null && { value: pct })} aria-label={t.jobProgress} />
          <button type="button" className="ghost-button small job-cancel" onClick={cancel} disabled={running.cancelling || !running.jobId}>
            {t.cancel}
          </button>
        </div>
      )}
      <div className="save-conflict-buttons">
        <button type="button" className="primary-button small" disabled={running !== null} onClick={run}>
          {t.importRun}
        </button>
        <button type="button" className="dialog-close" onClick={onClose}>
          {t.close}
        </button>
      </div>
      {error && (
        <p role="alert" className="import-error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" className="import-result">
          {result}
        </p>
      )}
    </dialog>
  );
}
