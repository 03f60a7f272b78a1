/**
 * The application: connects to the engine, lists the project's pages and opens
 * one at a time in a PageEditor; with no project open, the start screen. Keeps the theme.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ImageInfo, OpenedPage, PageStatus, PageSummary, ProjectInfo } from '../../electron/common/api/service.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { connect } from './api/connect.js';
import { strings as t } from './i18n/strings.js';
import { PageEditor } from './editor/PageEditor.js';
import { PageList } from './panels/PageList.js';
import { AccuracyReportDialog } from './panels/AccuracyReportDialog.js';
import { LanguagesDialog } from './panels/LanguagesDialog.js';
import { ExportProjectDialog } from './panels/ExportProjectDialog.js';
import { ImportDialog } from './panels/ImportDialog.js';
import { StartScreen } from './panels/StartScreen.js';
import { setTextNormalization, type TextNormalization } from './editor/text-settings.js';
import { icons } from './panels/icons.js';
import type { Theme } from './canvas/palette.js';

interface OpenPage {
  readonly id: string;
  readonly name: string;
  readonly doc: PageDocument;
  readonly revision: string | null;
  readonly image: ImageInfo | null;
  readonly notice: string | null;
  /** A line to select when it opens (a find hit). */
  readonly line?: string;
  /** Put the caret in that line's text (the review went on from the text field on the page before). */
  readonly edit?: boolean;
  /** Unsaved edits the journal kept from a session that stopped before saving them. */
  readonly journal: OpenedPage['journal'];
  /** Changes on every open, so reopening the same page starts a fresh editor. */
  readonly serial: number;
}

const THEME_KEY = 'htr-studio-theme';

function initialTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function App() {
  const conn = useMemo(connect, []);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [project, setProject] = useState<ProjectInfo | null | undefined>(undefined);
  const [pages, setPages] = useState<PageSummary[]>([]);
  const [open, setOpen] = useState<OpenPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reportOpen, setReportOpen] = useState(false);
  const [languagesOpen, setLanguagesOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const dirty = useRef(false);
  const [dirtyShown, setDirtyShown] = useState(false);
  const serial = useRef(0);
  /** Saves the open page's unsaved edits (set by the editor): pages are saved, not discarded, when leaving them. */
  const flush = useRef<(() => Promise<boolean>) | null>(null);
  const onFlush = useCallback((f: (() => Promise<boolean>) | null) => (flush.current = f), []);
  /** True when the open page has nothing unsaved: saved now, or the user chose to discard what could not be saved. */
  const leavePage = useCallback(async (): Promise<boolean> => {
    if (!dirty.current) return true;
    if (flush.current && (await flush.current())) return true;
    return window.confirm(t.discardChanges);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  const toggleTheme = useCallback(() => setTheme((th) => (th === 'dark' ? 'light' : 'dark')), []);

  const service = conn.mode === 'no-token' ? null : conn.service;
  const bridge = conn.mode === 'desktop' ? conn.bridge : undefined;

  const openPage = useCallback(
    async (id: string, list: readonly PageSummary[] = pages, line?: string, edit = false) => {
      if (!service) return;
      if (!(await leavePage())) return;
      setLoading(true);
      try {
        const opened = await service.openPage(id);
        const { doc, warnings } = readDocument(opened.xml);
        if (warnings.length) console.warn(`${id}:\n${warnings.join('\n')}`);
        const summary = list.find((p) => p.id === id);
        dirty.current = false;
        setDirtyShown(false);
        setOpen({ id, name: summary?.name ?? id, doc, revision: opened.revision, image: opened.image, notice: warnings.length ? t.readWarnings(warnings.length) : null, journal: opened.journal, ...(line && { line }), ...(line && edit && { edit }), serial: ++serial.current });
        setError(null);
        sessionStorage.setItem('htr-studio-last-page', id);
      } catch (e) {
        setError(t.openFailed((e as Error).message));
      } finally {
        setLoading(false);
      }
    },
    [service, pages, leavePage],
  );

  const loadProject = useCallback(async () => {
    if (!service) return;
    try {
      const info = await service.getProject();
      setProject(info);
      if (!info) return;
      setTextNormalization(info.textNormalization);
      const list = await service.listPages();
      setPages(list);
      const last = sessionStorage.getItem('htr-studio-last-page');
      const first = list.find((p) => p.id === last) ?? list[0];
      if (first) await openPage(first.id, list);
    } catch (e) {
      setError(t.connectFailed((e as Error).message));
    }
  }, [service, openPage]);

  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void loadProject();
  }, [loadProject]);

  const chooseProject = useCallback(async () => {
    if (!service) return;
    if (!(await leavePage())) return;
    const info = await service.chooseProject().catch((e: Error) => (setError(e.message), null));
    if (info) {
      dirty.current = false;
      setOpen(null);
      await loadProject();
    }
  }, [service, loadProject, leavePage]);

  /** The start screen opened a project: the editor shows it (its last page is another project's). */
  const projectOpened = useCallback(async () => {
    dirty.current = false;
    setOpen(null);
    setError(null);
    sessionStorage.removeItem('htr-studio-last-page');
    await loadProject();
  }, [loadProject]);

  /** "Projects…": back to the start screen, the open page saved first (the engine keeps the project until another opens). */
  const showStart = useCallback(async () => {
    if (!(await leavePage())) return;
    dirty.current = false;
    setOpen(null);
    setPages([]);
    setProject(null);
  }, [leavePage]);

  // "Open folder" from the desktop menu works even before a page is open.
  useEffect(() => bridge?.onCommand((c) => c === 'open-project' && void chooseProject()), [bridge, chooseProject]);
  // File › Import… (the editor's own button is under the page list).
  useEffect(() => bridge?.onCommand((c) => c === 'import' && setImportOpen(true)), [bridge]);

  const stepPage = useCallback(
    (step: -1 | 1) => {
      const i = pages.findIndex((p) => p.id === open?.id);
      const next = pages[i + step];
      if (next) void openPage(next.id);
    },
    [pages, open, openPage],
  );

  const refreshPages = useCallback(() => {
    void service?.listPages().then(setPages);
  }, [service]);

  if (conn.mode === 'no-token') return <Message title={t.appName} body={t.noToken} />;
  if (project === undefined && !error) return <Message title={t.appName} body={t.loading} busy />;
  if (project === null || (project === undefined && service)) {
    return (
      <>
        <StartScreen
          service={service!}
          desktop={!!bridge}
          onChooseFolder={() => void chooseProject()}
          onImport={() => setImportOpen(true)}
          onOpened={() => void projectOpened()}
          error={error}
        />
        {service && (
          <ImportDialog
            service={service}
            events={conn.events}
            open={importOpen}
            newProject
            desktop={!!bridge}
            onClose={() => setImportOpen(false)}
            onImported={() => {
              setImportOpen(false);
              void projectOpened();
            }}
          />
        )}
      </>
    );
  }

  const setStatus = (id: string, status: PageStatus): void => {
    // Shown at once; the list is read again from the engine either way.
    setPages((ps) => ps.map((p) => (p.id === id ? { ...p, status } : p)));
    void service?.setPageStatus(id, status).then(refreshPages, (e: Error) => {
      refreshPages();
      setError(e.message);
    });
  };
  const movePage = (id: string, step: -1 | 1): void => {
    const ids = pages.map((p) => p.id);
    const from = ids.indexOf(id);
    const to = from + step;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    // The engine keeps the order (htr-studio.json, mets.xml) and answers the list as it now stands.
    void service?.reorderPages(ids).then(setPages, (e: Error) => {
      refreshPages();
      setError(e.message);
    });
  };
  const setNormalization = (form: TextNormalization): void => {
    void service?.setTextNormalization(form).then(() => {
      setTextNormalization(form);
      setProject((p) => (p ? { ...p, textNormalization: form } : p));
    }, (e: Error) => setError(e.message));
  };
  const pagesPanel = (
    <PageList
      pages={pages}
      current={open?.id ?? null}
      dirty={dirtyShown}
      onOpen={(id) => void openPage(id)}
      onStatus={setStatus}
      onMove={movePage}
      onReport={() => setReportOpen(true)}
      onLanguages={() => setLanguagesOpen(true)}
      onExport={() => setExportOpen(true)}
      onImport={() => setImportOpen(true)}
      textNormalization={project?.textNormalization ?? 'NFC'}
      onTextNormalization={setNormalization}
    />
  );
  return (
    <div className="app" aria-busy={loading}>
      <header className="titlebar">
        <span className="brand" aria-hidden="true">
          <span className="brand-mark">H</span>
        </span>
        <h1 className="app-title">{t.appName}</h1>
        {project && <span className="project-name" title={project.dir}>{project.name}</span>}
        {open && <span className="crumb">{open.name}</span>}
        <span className="tb-spacer" />
        <button type="button" className="ghost-button" title={t.startBackToStartTitle} onClick={() => void showStart()}>
          {t.startBackToStart}
        </button>
        {bridge && (
          <button type="button" className="ghost-button" onClick={() => void chooseProject()}>
            {icons.folder} {t.openFolder}
          </button>
        )}
      </header>
      {error && (
        <div className="banner is-error" role="alert">
          {error}
        </div>
      )}
      {open ? (
        <PageEditor
          key={open.serial}
          service={service!}
          events={conn.events}
          bridge={bridge}
          pageId={open.id}
          pageName={open.name}
          doc={open.doc}
          revision={open.revision}
          image={open.image}
          theme={theme}
          onToggleTheme={toggleTheme}
          onDirty={(d) => {
            dirty.current = d;
            setDirtyShown(d);
          }}
          onSaved={refreshPages}
          onStepPage={stepPage}
          pagesPanel={pagesPanel}
          markedGroundTruth={pages.find((p) => p.id === open.id)?.status === 'ground-truth'}
          {...(bridge && { onOpenProject: () => void chooseProject() })}
          onImport={() => setImportOpen(true)}
          initialNotice={open.notice}
          journal={open.journal}
          {...(open.line && { initialLine: open.line })}
          {...(open.edit && { initialEdit: true })}
          onOpenPageAt={(id, line, edit) => void openPage(id, pages, line, edit)}
          onFlush={onFlush}
        />
      ) : (
        <div className="layout layout-empty">
          <aside className="sidebar sidebar-left">
            <section className="panel panel-pages">
              <h2 className="panel-title">{t.pages}</h2>
              {pagesPanel}
            </section>
          </aside>
          <main className="workspace workspace-empty">{loading ? <p className="empty-note">{t.loading}</p> : null}</main>
        </div>
      )}
      {service && <ExportProjectDialog service={service} open={exportOpen} onClose={() => setExportOpen(false)} />}
      {service && <ImportDialog service={service} events={conn.events} open={importOpen} desktop={!!bridge} onClose={() => setImportOpen(false)} onImported={refreshPages} />}
      {service && (
        <LanguagesDialog
          service={service}
          open={languagesOpen}
          onClose={() => setLanguagesOpen(false)}
          onOpenPage={(id) => {
            setLanguagesOpen(false);
            void openPage(id);
          }}
        />
      )}
      {service && (
        <AccuracyReportDialog
          service={service}
          open={reportOpen}
          onClose={() => setReportOpen(false)}
          onOpenPage={(id) => {
            setReportOpen(false);
            void openPage(id);
          }}
        />
      )}
    </div>
  );
}

function Message({ title, body, busy, children }: { readonly title: string; readonly body: string; readonly busy?: boolean; readonly children?: ReactNode }) {
  return (
    <div className="message-screen" aria-busy={busy}>
      <div className="message-card">
        <span className="brand-mark big" aria-hidden="true">
          H
        </span>
        <h1>{title}</h1>
        <p>{body}</p>
        {children}
      </div>
    </div>
  );
}
