/**
 * The start screen, shown while no project is open (first run, browser mode
 * started with --start-screen, or "Projects…" in the title bar): open a folder,
 * create a project, import, the recent projects, the sample in one click, where
 * models go and where the session log is. Everything is the engine's (the recent
 * list, the sample's copy, the paths); this only asks and shows. No telemetry.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ProjectInfo, RecentProject, RevealTarget, StartInfo, StudioService } from '../../../electron/common/api/service.js';
import { strings as t } from '../i18n/strings.js';
import { icons } from './icons.js';

export interface StartScreenProps {
  readonly service: StudioService;
  /** Desktop app: a native folder dialog (File › Open Folder…) and "show in the file manager"; browser mode types paths. */
  readonly desktop: boolean;
  /** The native dialog; resolves when a project was opened through it. */
  readonly onChooseFolder?: () => void;
  /** Import from other tools; absent until that dialog exists (the button then says "coming soon"). */
  readonly onImport?: () => void;
  /** A project was opened (or created): the app loads it. */
  readonly onOpened: (info: ProjectInfo) => void;
  /** A message from outside (a failed connection, a failed open before this screen). */
  readonly error?: string | null;
}

export function StartScreen({ service, desktop, onChooseFolder, onImport, onOpened, error }: StartScreenProps) {
  const [recent, setRecent] = useState<RecentProject[] | null>(null);
  const [info, setInfo] = useState<StartInfo | null>(null);
  const [openPath, setOpenPath] = useState('');
  const [newPath, setNewPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    void service.recentProjects().then(setRecent, () => setRecent([]));
    void service.startInfo().then(setInfo, () => setInfo(null));
  }, [service]);

  /** Runs one opening at a time; its failure stays on screen (a missing folder, a project open elsewhere). */
  const run = useCallback(
    async (open: () => Promise<ProjectInfo>) => {
      setBusy(true);
      setFailure(null);
      try {
        onOpened(await open());
      } catch (e) {
        setFailure((e as Error).message);
        void service.recentProjects().then(setRecent, () => undefined);
      } finally {
        setBusy(false);
      }
    },
    [service, onOpened],
  );

  const submitOpen = (e: FormEvent): void => {
    e.preventDefault();
    if (openPath.trim()) void run(() => service.openProject(openPath.trim()));
  };
  const submitNew = (e: FormEvent): void => {
    e.preventDefault();
    if (newPath.trim()) void run(() => service.createProject(newPath.trim()));
  };
  const forget = (dir: string): void => {
    void service.forgetRecentProject(dir).then(setRecent, (e: Error) => setFailure(e.message));
  };
  const reveal = (target: RevealTarget): void => {
    void service.revealPath(target).catch((e: Error) => setFailure(e.message));
  };

  const shown = failure ?? error ?? null;
  return (
    <main className="start-screen" aria-label={t.startLabel} aria-busy={busy}>
      <div className="start-card">
        <header className="start-head">
          <span className="brand-mark big" aria-hidden="true">
            H
          </span>
          <div>
            <h1>{t.appName}</h1>
            <p>{t.startIntro}</p>
          </div>
        </header>
        {shown && (
          <div className="banner is-error" role="alert">
            {shown}
          </div>
        )}
        <div className="start-columns">
          <section className="start-actions">
            <button type="button" className="primary-button start-sample" disabled={busy} onClick={() => void run(() => service.openSample())}>
              {t.startSample}
            </button>
            <p className="start-note">{t.startSampleHint}</p>

            <h2>{t.startOpen}</h2>
            {desktop && onChooseFolder ? (
              <button type="button" className="ghost-button" disabled={busy} onClick={onChooseFolder}>
                {icons.folder} {t.openFolder}
              </button>
            ) : (
              <form className="start-form" onSubmit={submitOpen}>
                <input type="text" aria-label={t.startOpenPath} placeholder="~/Documents/…" value={openPath} onChange={(e) => setOpenPath(e.target.value)} spellCheck={false} />
                <button type="submit" className="ghost-button" disabled={busy || !openPath.trim()}>
                  {t.startOpenButton}
                </button>
                <p className="start-note">{t.startOpenPathHint}</p>
              </form>
            )}

            <h2>{t.startNew}</h2>
            <form className="start-form" onSubmit={submitNew}>
              <input type="text" aria-label={t.startNewPath} placeholder="~/Documents/…" value={newPath} onChange={(e) => setNewPath(e.target.value)} spellCheck={false} />
              <button type="submit" className="ghost-button" disabled={busy || !newPath.trim()}>
                {t.startNewButton}
              </button>
              <p className="start-note">{t.startNewHint}</p>
            </form>

            {/* A disabled button shows no tooltip in every browser: the span carries it. */}
            <span className="start-import" title={onImport ? undefined : t.startImportSoon}>
              <button type="button" className="ghost-button" disabled={busy || !onImport} onClick={onImport} title={onImport ? undefined : t.startImportSoon}>
                {t.startImport}
              </button>
            </span>
          </section>

          <section className="start-recent">
            <h2>{t.startRecent}</h2>
            {recent && !recent.length && <p className="start-note">{t.startNoRecent}</p>}
            <ul className="recent-list" aria-label={t.startRecent}>
              {recent?.map((r) => (
                <li key={r.dir} className={r.exists ? 'recent-item' : 'recent-item is-missing'}>
                  <button type="button" className="recent-open" disabled={busy || !r.exists} title={r.exists ? r.dir : `${r.dir} (${t.startRecentMissing})`} onClick={() => void run(() => service.openProject(r.dir))}>
                    <span className="recent-name">{r.name}</span>
                    <span className="recent-dir">{r.exists ? r.dir : `${r.dir} · ${t.startRecentMissing}`}</span>
                  </button>
                  <button type="button" className="recent-forget" aria-label={t.startForget(r.name)} title={t.startForget(r.name)} onClick={() => forget(r.dir)}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </div>

        <footer className="start-help">
          <section>
            <h2>{t.startModels}</h2>
            <p className="start-note">{t.startModelsText}</p>
            {info && <code className="start-path">{info.userModels}</code>}
            {desktop && (
              <button type="button" className="ghost-button" onClick={() => reveal('user-models')}>
                {icons.folder} {t.startModelsReveal}
              </button>
            )}
          </section>
          <section>
            <h2>{t.startLog}</h2>
            <p className="start-note">{t.startLogText}</p>
            {info && <code className="start-path">{info.sessionLog ?? info.logsDir}</code>}
            {desktop && (
              <button type="button" className="ghost-button" onClick={() => reveal('session-log')}>
                {t.startLogOpen}
              </button>
            )}
          </section>
        </footer>
      </div>
    </main>
  );
}
