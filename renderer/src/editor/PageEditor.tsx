/**
 * One open page: the editor state (document, history, selection), the canvas,
 * the panels, keyboard shortcuts and saving. Mounted afresh for every page.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import type { ExportFormat, ImageInfo, JobEventSource, JobScope, OpenedPage, StudioService } from '../../../electron/common/api/service.js';
import { downloadText } from './download.js';
import type { MenuCommand, StudioBridge } from '../../../electron/common/api/bridge.js';
import type { PageDocument, TextLine } from '../../../electron/common/model/types.js';
import { findLine, findRegion } from '../../../electron/common/model/ops.js';
import { personLineCount } from '../../../electron/common/model/merge.js';
import { redoLabel, undoLabel } from '../../../electron/common/model/history.js';
import { bbox } from '../../../electron/common/model/points.js';
import { readDocument, writeDocument } from '../../../electron/common/formats/document-io.js';
import { strings as t } from '../i18n/strings.js';
import { createEditorStore } from './core/editor-store.js';
import { createEditorCommands } from './core/editor-commands.js';
import { routeKey } from './core/editor-keys.js';
import { PageSaver } from './core/page-saver.js';
import { currentPerson } from './person.js';
import { normalizeStored } from './text-settings.js';
import { lineText, linesInReadingOrder, topRegionOf, topRegionsInOrder } from './reading.js';
import { nextUncertainChar, nextUncertainLine, uncertainRunEnd } from '../../../electron/common/transcription/review.js';
import { charConfidences } from '../../../electron/common/model/provenance.js';
import { PageCanvas, type Tool } from '../canvas/PageCanvas.js';
import { PALETTES, type Theme } from '../canvas/palette.js';
import { ensureVisible, fitView, minScale, panBy, zoomAt, type Size, type View } from '../canvas/view.js';
import type { CanvasIntent } from '../canvas/shapes.js';
import { Toolbar, type ToolbarProps } from '../panels/Toolbar.js';
import { ReadingOrderList } from '../panels/ReadingOrderList.js';
import { TranscriptionPanel } from '../panels/TranscriptionPanel.js';
import { StatusBar } from '../panels/StatusBar.js';
import { ShortcutsDialog } from '../panels/ShortcutsDialog.js';
import { JobsPanel } from '../panels/JobsPanel.js';
import { TrainPanel } from '../panels/TrainPanel.js';
import { takeResult } from './pending-results.js';
import { PropertiesPanel } from '../panels/PropertiesPanel.js';
import { CheckPanel } from '../panels/CheckPanel.js';
import { CommandPalette } from '../panels/CommandPalette.js';
import { DEFAULT_LAYERS, type Layers } from '../canvas/layers.js';
import { useJobs } from './use-jobs.js';
import { useSaveConflict } from './use-save-conflict.js';
import { SaveConflictBar } from '../panels/SaveConflictBar.js';
import { JournalBar } from '../panels/JournalBar.js';
import { FindReplace } from '../panels/FindReplace.js';
import { RepairsBar } from '../panels/RepairsBar.js';
import type { Clip } from './drawing.js';

const UNCERTAIN_KEY = 'htr-studio-uncertain-below';
/** Lines whose text a model gave a confidence below this are "uncertain" (F8); the person may change it. */
const DEFAULT_UNCERTAIN_BELOW = 0.8;
function readThreshold(): number {
  const v = Number(localStorage.getItem(UNCERTAIN_KEY));
  return v > 0 && v <= 1 ? v : DEFAULT_UNCERTAIN_BELOW;
}

export interface PageEditorProps {
  readonly service: StudioService;
  readonly events: JobEventSource;
  readonly bridge: StudioBridge | undefined;
  readonly pageId: string;
  readonly pageName: string;
  readonly doc: PageDocument;
  readonly revision: string | null;
  readonly image: ImageInfo | null;
  readonly theme: Theme;
  readonly onToggleTheme: () => void;
  readonly onDirty: (dirty: boolean) => void;
  readonly onSaved: () => void;
  readonly onStepPage: (step: -1 | 1) => void;
  /** The left column above the reading order (the page list). */
  readonly pagesPanel: ReactNode;
  /** Unsaved edits found in the journal when the page opened: offered back. */
  readonly journal?: OpenedPage['journal'];
  /** Opens another page with one of its lines selected (a find hit there). */
  readonly onOpenPageAt?: (pageId: string, lineId: string, edit?: boolean) => void;
  /** The line to select when the page opens. */
  readonly initialLine?: string;
  /** Opened by F8 from the text field of the page before: the caret goes into that line's text, at its first unsure characters. */
  readonly initialEdit?: boolean;
  /** File › Open Folder… (desktop only: the palette offers it where this is given). */
  readonly onOpenProject?: () => void;
  /** Opens the Import dialog (App holds it: it outlives the page). */
  readonly onImport?: () => void;
  /** The page is marked Ground truth (the checker then wants every line's text confirmed by a person). */
  readonly markedGroundTruth: boolean;
  readonly initialNotice: string | null;
  /** Receives a function that saves this page's unsaved edits (true: nothing left unsaved), or null when the editor goes. */
  readonly onFlush?: (flush: (() => Promise<boolean>) | null) => void;
}

const LAYERS_KEY = 'htr-studio-layers';

/** Autosave this long after the last edit; `localStorage['htr-studio-autosave-ms']` overrides it (0: off). */
const AUTOSAVE_MS = ((): number => {
  const v = Number(localStorage.getItem('htr-studio-autosave-ms') ?? '');
  return Number.isFinite(v) && localStorage.getItem('htr-studio-autosave-ms') !== null ? v : 3000;
})();

/** Unsaved edits go to the journal this long after the last change (well before the autosave). */
const JOURNAL_MS = 600;

function initialLayers(): Layers {
  try {
    return { ...DEFAULT_LAYERS, ...(JSON.parse(localStorage.getItem(LAYERS_KEY) ?? '{}') as Partial<Layers>) };
  } catch {
    return DEFAULT_LAYERS;
  }
}

/** Copied regions and lines; kept across pages, so a region can be copied onto another page. */
let clipboard: Clip | null = null;

const isTextField = (el: EventTarget | null): boolean => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLElement && el.isContentEditable);

/** The caret into the selected line's text field once it is drawn, on the line's first (step 1) or last (-1) run of unsure characters. */
function focusLineText(line: TextLine | undefined, step: 1 | -1, uncertainBelow: number): void {
  const confs = line ? charConfidences(line) : undefined;
  setTimeout(() => {
    const input = document.querySelector<HTMLTextAreaElement>('.line-input');
    if (!input) return;
    input.focus();
    const at = confs && nextUncertainChar(confs, step > 0 ? 0 : confs.length, uncertainBelow, step);
    if (confs && at !== undefined) input.setSelectionRange(at, uncertainRunEnd(confs, at, uncertainBelow));
  }, 0);
}

export function PageEditor(props: PageEditorProps) {
  const { service, bridge, pageId, image, theme } = props;
  // The plain controller (store + commands); React only renders its state.
  const store = useMemo(() => createEditorStore(props.doc), []);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const dispatch = store.dispatch;
  // Opened at a line (a find hit on this page): select it once.
  useEffect(() => {
    if (props.initialLine) dispatch({ type: 'select', ids: [props.initialLine] });
    if (props.initialLine && props.initialEdit) focusLineText(findLine(store.getState().doc, props.initialLine)?.line, 1, readThreshold());
  }, []);
  const cmd = useMemo(() => createEditorCommands(store, { author: currentPerson, now: () => new Date().toISOString(), normalize: normalizeStored }), [store]);
  const jobs = useJobs(service, props.events, pageId, {
    onResult: (kind, xml, lineIds) => {
      try {
        cmd.applyResult(kind, readDocument(xml).doc, lineIds);
      } catch (e) {
        dispatch({ type: 'notice', kind: 'error', text: t.jobFailed((e as Error).message) });
      }
    },
    onFinished: (status, message) => {
      if (status === 'done') dispatch({ type: 'notice', kind: 'info', text: t.jobDone(message) });
      else if (status === 'cancelled') dispatch({ type: 'notice', kind: 'info', text: t.jobCancelled });
      else dispatch({ type: 'notice', kind: 'error', text: t.jobFailed(message) });
    },
    onPageSaved: () => props.onSaved(),
  });
  const runJob = useCallback(
    (kind: 'recognize' | 'detect', scope: JobScope) => {
      // A person's text is replaced only when asked for in this run: the option, lines picked
      // one by one, or a layout detection of this page confirmed (it is undoable here).
      let replace = jobs.replaceCorrected || scope === 'lines';
      if (scope === 'project' && !window.confirm(t.projectJobConfirm(replace))) return;
      if (kind === 'detect' && scope === 'page' && !replace) {
        const corrected = personLineCount(state.doc);
        if (corrected && !window.confirm(t.detectReplacesCorrected(corrected))) return;
        replace = true;
      }
      const lineIds = scope === 'lines' ? state.selection.filter((id) => findLine(state.doc, id)) : [];
      // The page as it is now, unsaved edits included: the job works on what the user sees.
      jobs.start(kind, scope, writeDocument(state.doc).xml, lineIds, replace);
    },
    [jobs, state.doc, state.selection],
  );
  const [tool, setTool] = useState<Tool>('select');
  /** "Order by clicking": the top-level regions clicked so far, in order. */
  const picked = useRef<readonly string[]>([]);
  // Every tool change goes through here: leaving "order by clicking" makes its one edit.
  const chooseTool = useCallback(
    (next: Tool) => {
      if (tool === 'order' && next !== 'order') cmd.finishOrder(picked.current);
      if (next === 'order' && tool !== 'order') {
        picked.current = [];
        dispatch({ type: 'notice', kind: 'info', text: t.orderHint });
      }
      setTool(next);
    },
    [tool, cmd],
  );
  const [view, setView] = useState<View | null>(null);
  const [viewport, setViewport] = useState<Size>({ width: 0, height: 0 });
  const [layers, setLayers] = useState<Layers>(initialLayers);
  const toggleLayer = useCallback((layer: keyof Layers) => setLayers((l) => ({ ...l, [layer]: !l[layer] })), []);
  useEffect(() => localStorage.setItem(LAYERS_KEY, JSON.stringify(layers)), [layers]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const revision = useRef(props.revision);
  // Edits a stopped session left unsaved: while they are offered, nothing overwrites them (no journal, no autosave).
  const [journalOffer, setJournalOffer] = useState(props.journal ?? null);
  const { doc } = state;
  const dirty = doc !== state.saved;
  const page = useMemo(() => ({ width: doc.page.imageWidth || image?.width || 1, height: doc.page.imageHeight || image?.height || 1 }), [doc.page.imageWidth, doc.page.imageHeight, image]);

  useEffect(() => props.onDirty(dirty), [dirty]);
  // A result recognised while this page was closed (RecognizePagesRequest): one undoable edit now.
  useEffect(() => {
    const xml = takeResult(pageId);
    if (!xml) return;
    try {
      cmd.applyResult('recognize', readDocument(xml).doc, null);
      dispatch({ type: 'notice', kind: 'info', text: t.pendingApplied });
    } catch (e) {
      dispatch({ type: 'notice', kind: 'error', text: t.jobFailed((e as Error).message) });
    }
    // once, when the page opens (cmd is stable enough: applyResult only dispatches)
  }, [pageId]);
  useEffect(() => {
    if (props.initialNotice) dispatch({ type: 'notice', kind: 'info', text: props.initialNotice });
  }, [props.initialNotice]);

  // A scan whose header reads but whose pixels do not (truncated, damaged) opens without its
  // image; say so once, instead of leaving the page blank without a word. The edits still work.
  const tileErrorShown = useRef(false);
  const fetchTile = useCallback(
    (level: number, col: number, row: number) =>
      service.getTile(pageId, level, col, row).catch((e: Error) => {
        if (!tileErrorShown.current && !/^no tile /.test(e.message)) {
          tileErrorShown.current = true;
          dispatch({ type: 'notice', kind: 'error', text: t.imageFailed(e.message) });
        }
        throw e;
      }),
    [service, pageId],
  );

  // A page shown whole stays whole when the window or a panel changes size; a view the
  // person zoomed or panned is left where they put it.
  const lastViewport = useRef<Size>({ width: 0, height: 0 });
  const onViewport = useCallback(
    (size: Size) => {
      const before = lastViewport.current;
      lastViewport.current = size;
      setViewport(size);
      if (size.width <= 0 || size.height <= 0) return;
      setView((v) => {
        if (!v) return fitView(page, size);
        if (before.width <= 0 || before.height <= 0) return v;
        const wasFit = fitView(page, before);
        const same = Math.abs(v.scale - wasFit.scale) < 1e-9 && Math.abs(v.x - wasFit.x) < 0.5 && Math.abs(v.y - wasFit.y) < 0.5;
        return same ? fitView(page, size) : v;
      });
    },
    [page],
  );

  const zoom = useCallback(
    (how: 'in' | 'out' | 'fit' | 'actual') => {
      setView((v) => {
        if (!v || viewport.width === 0) return v;
        const cx = viewport.width / 2;
        const cy = viewport.height / 2;
        if (how === 'fit') return fitView(page, viewport);
        if (how === 'actual') return zoomAt(v, 1 / v.scale, cx, cy, 0);
        return zoomAt(v, how === 'in' ? 1.25 : 0.8, cx, cy, minScale(page, viewport));
      });
    },
    [page, viewport],
  );

  // Saving (core/page-saver.ts): by hand, a while after the last edit, when leaving the page or closing the window.
  const propsRef = useRef(props);
  propsRef.current = props;
  // A refused save (saved elsewhere meanwhile) waits for the person's choice; autosave stops till then.
  const [saveSoon, setSaveSoon] = useState(0);
  const conflict = useSaveConflict(service, pageId, dispatch, revision, useCallback(() => setSaveSoon((n) => n + 1), []));
  const conflictRef = useRef(conflict);
  conflictRef.current = conflict;
  const saver = useMemo(
    () =>
      new PageSaver(store, service, pageId, revision, {
        blocked: () => conflictRef.current.conflict !== null,
        refused: (base, ours) => conflictRef.current.refused(base, ours),
        onBusy: setSaving,
        onError: setSaveError,
        onSaved: () => propsRef.current.onSaved(),
      }),
    [store, service, pageId],
  );
  const save = useCallback((how: 'manual' | 'auto') => saver.save(how), [saver]);
  // After a conflict is resolved: saved once the chosen document is in the state.
  useEffect(() => {
    if (saveSoon) void save('manual');
  }, [saveSoon]);

  useEffect(() => {
    if (!dirty || state.gestureStart || AUTOSAVE_MS <= 0 || journalOffer) return;
    const timer = setTimeout(() => void save('auto'), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [state.doc, state.gestureStart, dirty, save, journalOffer]);

  // The journal: a moment after each change the unsaved page goes to the engine, so a crash
  // before the save loses nothing; back at the saved state, the journal is cleared.
  const journaled = useRef(false);
  useEffect(() => {
    if (journalOffer) return;
    if (!dirty) {
      if (!journaled.current) return;
      journaled.current = false;
      void service.journalPage(pageId, null, revision.current).catch(() => undefined);
      return;
    }
    const timer = setTimeout(() => {
      journaled.current = true;
      void service.journalPage(pageId, writeDocument(state.doc).xml, revision.current).catch(() => undefined);
    }, JOURNAL_MS);
    return () => clearTimeout(timer);
  }, [state.doc, dirty, service, pageId, journalOffer]);
  const restoreJournal = useCallback(() => {
    const offer = journalOffer;
    setJournalOffer(null);
    if (!offer) return;
    try {
      const restored = readDocument(offer.xml).doc;
      dispatch({ type: 'edit', label: t.editRestoreJournal, edit: () => restored });
    } catch (e) {
      dispatch({ type: 'notice', kind: 'error', text: (e as Error).message });
    }
  }, [journalOffer]);
  const discardJournal = useCallback(() => {
    setJournalOffer(null);
    void service.journalPage(pageId, null, revision.current).catch(() => undefined);
  }, [service, pageId]);

  // The app saves this page before it opens another (or another project).
  useEffect(() => {
    props.onFlush?.(() => save('auto'));
    return () => props.onFlush?.(null);
  }, [save]);

  const onIntent = useCallback(
    (i: CanvasIntent) => {
      switch (i.type) {
        case 'select':
          return cmd.select(i.id, i.additive, i.vertex);
        case 'drag-vertex':
          return cmd.dragVertex(i.vertex, i.to, i.phase);
        case 'insert-vertex':
          return cmd.insertVertex(i.ref, i.index, i.at);
        case 'draw-region':
          return cmd.drawRegion(i.from, i.to, view ? 6 / view.scale : 4);
        case 'split':
          return cmd.splitLine(i.lineId, i.x);
        case 'draw-line':
          return cmd.drawLine(i.baseline);
        case 'draw-polygon':
          return cmd.drawPolygon(i.points);
        case 'move':
          return cmd.moveElements(i.ids, i.dx, i.dy, i.phase);
        case 'pick-region': {
          const top = topRegionOf(store.getState().gestureStart ?? store.getState().doc, i.id);
          if (tool !== 'order' || !top || picked.current.includes(top)) return undefined;
          picked.current = [...picked.current, top];
          cmd.previewOrder(picked.current);
          return dispatch({ type: 'notice', kind: 'info', text: t.orderPicked(picked.current.length, top) });
        }
        default:
          return undefined;
      }
    },
    [cmd, view, tool],
  );

  /** The last export's repairs, shown until closed. */
  const [repairs, setRepairs] = useState<{ fileName: string; warnings: readonly string[] } | null>(null);
  // Export: the page as the editor has it now. The desktop app asks where to save it; a browser downloads it.
  const exportAs = useCallback(
    async (format: ExportFormat) => {
      try {
        const r = await service.exportPage(pageId, writeDocument(store.getState().doc).xml, format);
        if (r.cancelled) return;
        setRepairs(r.warnings.length ? { fileName: r.fileName, warnings: r.warnings } : null);
        if (r.text !== null && !r.savedTo) downloadText(r.fileName, r.text);
        dispatch({ type: 'notice', kind: 'info', text: t.exported(r.savedTo ?? r.fileName, r.warnings.length) });
      } catch (e) {
        dispatch({ type: 'notice', kind: 'error', text: t.exportFailed((e as Error).message) });
      }
    },
    [service, pageId],
  );

  // Commands shared by toolbar, keys and the desktop menu.
  /** Whether the focus is in the line's text field with nothing typed since the line was opened. */
  const lineFieldIdle = (): boolean => {
    const el = document.activeElement;
    if (!(el instanceof HTMLTextAreaElement) || !el.classList.contains('line-input')) return false;
    const { doc: now, selection } = store.getState();
    const line = selection.length === 1 ? findLine(now, selection[0]!)?.line : undefined;
    return line !== undefined && el.value === lineText(line);
  };
  // Confidence-driven review: F8 / Shift+F8 go to the next / previous line whose machine text is less sure than this.
  const [uncertainBelow, setUncertainBelowState] = useState(() => readThreshold());
  const setUncertainBelow = useCallback((v: number) => {
    localStorage.setItem(UNCERTAIN_KEY, String(v));
    setUncertainBelowState(v);
  }, []);
  // Past this page's last uncertain line the review goes on to the next page that has one (the
  // project's saved pages, asked of the engine), and wraps round this page only when none has.
  const jumpUncertain = useCallback(
    async (step: 1 | -1) => {
      const { doc: now, selection } = store.getState();
      const field = document.activeElement instanceof HTMLTextAreaElement && document.activeElement.classList.contains('line-input') ? document.activeElement : null;
      const inField = isTextField(document.activeElement);
      // In the line's text, untouched machine text: first the characters the model was unsure of, run by run.
      const current = selection.length === 1 ? findLine(now, selection[0]!)?.line : undefined;
      const confs = current && field && field.value === lineText(current) ? charConfidences(current) : undefined;
      if (field && confs) {
        const at = nextUncertainChar(confs, step > 0 ? field.selectionEnd : field.selectionStart, uncertainBelow, step);
        if (at !== undefined) return field.setSelectionRange(at, uncertainRunEnd(confs, at, uncertainBelow));
      }
      const lines = linesInReadingOrder(now).map((l) => l.line);
      const from = selection[0] ?? null;
      let id = nextUncertainLine(lines, from, uncertainBelow, step, false);
      if (!id && props.onOpenPageAt) {
        const there = await service.nextUncertainLine(pageId, uncertainBelow, step).catch(() => null);
        if (there) return props.onOpenPageAt(there.pageId, there.lineId, inField);
      }
      id ??= nextUncertainLine(lines, from, uncertainBelow, step);
      if (!id) return dispatch({ type: 'notice', kind: 'info', text: t.noUncertainLine(Math.round(uncertainBelow * 100)) });
      cmd.select(id, false);
      // Correcting goes on in the text field when that is where the person was, at the line's first (last) unsure characters.
      if (inField) focusLineText(findLine(store.getState().doc, id)?.line, step, uncertainBelow);
    },
    [cmd, uncertainBelow, service, pageId, props.onOpenPageAt],
  );
  const run = useCallback(
    (c: Parameters<ToolbarProps['onCommand']>[0] | MenuCommand) => {
      switch (c) {
        case 'merge':
          return cmd.mergeSelected();
        case 'delete':
          return cmd.deleteSelection();
        // In a text field with typing pending, the field's own undo; otherwise the page's
        // (the line field with nothing typed reaches earlier edits, earlier lines included).
        case 'undo':
          return isTextField(document.activeElement) && !lineFieldIdle() ? void document.execCommand('undo') : cmd.undo();
        case 'redo':
          return isTextField(document.activeElement) && !lineFieldIdle() ? void document.execCommand('redo') : cmd.redo();
        case 'save':
          return void save('manual');
        case 'zoom-in':
          return zoom('in');
        case 'zoom-out':
          return zoom('out');
        case 'zoom-fit':
          return zoom('fit');
        case 'zoom-actual':
          return zoom('actual');
        case 'toggle-order':
          return toggleLayer('order');
        case 'toggle-theme':
          return props.onToggleTheme();
        case 'shortcuts':
          return setShortcutsOpen(true);
        case 'next-page':
          return props.onStepPage(1);
        case 'previous-page':
          return props.onStepPage(-1);
        case 'move-to-region': {
          // The list in the properties panel; arrows choose, Enter moves.
          const list = document.querySelector<HTMLSelectElement>('select[name="move-to-region"]');
          if (list) return list.focus();
          const s = store.getState();
          return dispatch({ type: 'notice', kind: 'error', text: s.selection.some((id) => findLine(s.doc, id)) ? t.noOtherRegion : t.moveNeedsLines });
        }
        case 'tool-select':
          return chooseTool('select');
        case 'tool-region':
          return chooseTool('region');
        case 'tool-polygon':
          return chooseTool('polygon');
        case 'tool-line':
          return chooseTool('line');
        case 'tool-split':
          return chooseTool('split');
        case 'tool-order':
          return chooseTool(tool === 'order' ? 'select' : 'order');
        case 'toggle-confidence':
          return toggleLayer('confidence');
        case 'export-page-2019':
          return void exportAs('page-2019');
        case 'export-page-2013':
          return void exportAs('page-2013');
        case 'export-alto-4':
          return void exportAs('alto-4');
        case 'detect-layout':
          return runJob('detect', 'page');
        case 'recognize-page':
          return runJob('recognize', 'page');
        case 'next-uncertain':
          return void jumpUncertain(1);
        case 'previous-uncertain':
          return void jumpUncertain(-1);
        case 'command-palette':
          return setPaletteOpen(true);
        default:
          return undefined;
      }
    },
    [cmd, save, zoom, props, toggleLayer, chooseTool, runJob, tool, exportAs, jumpUncertain],
  );

  // Desktop: the menu sends commands and shows Undo/Redo labels.
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => bridge?.onCommand((c) => runRef.current(c)), [bridge]);
  const uLabel = undoLabel(state.history);
  const rLabel = redoLabel(state.history);
  useEffect(() => {
    const title = `${dirty ? '\u2022 ' : ''}${props.pageName} \u2014 ${t.appName}`;
    document.title = title;
    bridge?.setMenuState({ undoLabel: uLabel ?? null, redoLabel: rLabel ?? null, canSave: dirty, title });
  }, [bridge, uLabel, rLabel, dirty, props.pageName]);

  // Closing the window or tab: save now, and ask the browser to wait while there are unsaved edits.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent): void => {
      void save('auto');
      e.preventDefault();
    };
    const hidden = (): void => {
      if (document.visibilityState === 'hidden') void save('auto');
    };
    window.addEventListener('beforeunload', warn);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [dirty, save]);

  // Keys that work anywhere in the window, from the one command registry (text fields keep their own editing keys).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (shortcutsOpen || paletteOpen || e.defaultPrevented) return;
      const what = routeKey(e, { inText: isTextField(e.target), desktop: bridge !== undefined, tool });
      if (what.kind === 'pass') return;
      if (what.kind === 'command') run(what.id);
      else if (what.kind === 'end-order') chooseTool('select');
      else {
        dispatch({ type: 'cancel' });
        if (tool !== 'select') chooseTool('select');
        else cmd.select(null, false);
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bridge, run, cmd, tool, shortcutsOpen, paletteOpen, chooseTool]);

  // Copy and paste of regions and lines. DOM clipboard events, so Ctrl+C/V and the
  // desktop menu's Copy/Paste (which fire the same events) both work; text fields keep theirs.
  useEffect(() => {
    const onCopy = (e: ClipboardEvent): void => {
      if (isTextField(document.activeElement) || (window.getSelection()?.toString() ?? '') !== '') return;
      const clip = cmd.copy();
      if (!clip) return;
      clipboard = clip;
      const texts = [...clip.lines.map((l) => l.line), ...clip.regions.flatMap((r) => r.lines)].map(lineText);
      e.clipboardData?.setData('text/plain', texts.join('\n'));
      e.preventDefault();
      dispatch({ type: 'notice', kind: 'info', text: t.copied(clip.regions.length + clip.lines.length) });
    };
    const onPaste = (e: ClipboardEvent): void => {
      if (isTextField(document.activeElement) || !clipboard) return;
      e.preventDefault();
      cmd.paste(clipboard);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [cmd]);

  const onTextHistory = useCallback((kind: 'undo' | 'redo') => (kind === 'undo' ? cmd.undo() : cmd.redo()), [cmd]);
  const leaveText = useCallback(() => document.querySelector<HTMLElement>('.page-canvas')?.focus(), []);

  // Keys for the focused canvas: panning, nudging the selected point, moving between lines.
  const onCanvasKey = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 10 : 1;
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const dir = arrows[e.key];
    if (dir && state.vertex) cmd.nudgeVertex(dir[0] * step, dir[1] * step);
    else if (dir && view) setView(panBy(view, -dir[0] * 60 * step, -dir[1] * 60 * step));
    else if (e.key === 'Tab') cmd.stepLine(e.shiftKey ? -1 : 1);
    else if (e.key === 'Delete' || e.key === 'Backspace') cmd.deleteSelection();
    else if (e.key === 'Enter' && tool === 'order') chooseTool('select');
    else if (e.key === 'Enter') document.querySelector<HTMLTextAreaElement>('.line-input')?.focus();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // Keep the selected element in sight when it was chosen from a list or by keys.
  const selected = state.selection.length === 1 ? state.selection[0]! : null;
  useEffect(() => {
    if (!selected || viewport.width === 0) return;
    const el = findLine(doc, selected)?.line ?? findRegion(doc, selected);
    const b = bbox(el?.coords?.points ?? (el && 'baseline' in el ? el.baseline?.points : undefined) ?? []);
    if (b) setView((v) => (v ? ensureVisible(v, viewport, b) : v));
  }, [selected]);

  const lines = useMemo(() => linesInReadingOrder(doc), [doc]);
  const lineRecords = useMemo(() => lines.map((l) => l.line), [lines]);
  // Stable, so the memoised panels that list lines do not redraw on every pan frame.
  const goToLine = useCallback((id: string) => cmd.select(id, false), [cmd]);
  const goToPageLine = useCallback((page: string, line: string) => props.onOpenPageAt?.(page, line), [props.onOpenPageAt]);
  const regions = useMemo(() => topRegionsInOrder(doc), [doc]);
  const selectedLine = selected && findLine(doc, selected) ? selected : null;
  const selectedLines = useMemo(() => state.selection.filter((id) => findLine(doc, id)), [state.selection, doc]);
  const canMerge = selectedLines.length >= 2;
  const regionCount = useMemo(() => {
    let n = 0;
    const walk = (rs: PageDocument['page']['regions']): void => rs.forEach((r) => ((n += 1), walk(r.regions)));
    walk(doc.page.regions);
    return n;
  }, [doc]);

  return (
    <div className="layout">
      <aside className="sidebar sidebar-left" aria-label={`${t.pages} / ${t.readingOrder}`}>
        <section className="panel panel-pages">
          <h2 className="panel-title">{t.pages}</h2>
          {props.pagesPanel}
        </section>
        <section className="panel panel-order">
          <h2 className="panel-title">{t.readingOrder}</h2>
          <ReadingOrderList regions={regions} selection={state.selection} onSelect={cmd.select} onMove={cmd.moveRegion} />
        </section>
      </aside>
      <main className="workspace">
        <Toolbar
          tool={tool}
          onTool={chooseTool}
          canMerge={canMerge}
          canDelete={state.selection.length > 0 || state.vertex !== null}
          undoLabel={uLabel}
          redoLabel={rLabel}
          dirty={dirty}
          saving={saving}
          zoomPercent={Math.round((view?.scale ?? 1) * 100)}
          layers={layers}
          onLayer={toggleLayer}
          theme={theme}
          onCommand={run}
          onExport={exportAs}
        />
        <PageCanvas
          doc={doc}
          image={image}
          fetchTile={fetchTile}
          selection={state.selection}
          vertex={state.vertex}
          tool={tool}
          layers={layers}
          palette={PALETTES[theme]}
          view={view}
          label={t.canvasLabel(props.pageName)}
          onView={setView}
          onViewport={onViewport}
          onIntent={onIntent}
          onKeyDown={onCanvasKey}
        />
        {conflict.conflict && <SaveConflictBar conflict={conflict.conflict} onChoose={conflict.choose} />}
        {journalOffer && <JournalBar savedAt={journalOffer.savedAt} onRestore={restoreJournal} onDiscard={discardJournal} />}
        {repairs && <RepairsBar fileName={repairs.fileName} warnings={repairs.warnings} onClose={() => setRepairs(null)} />}
        <StatusBar pageName={props.pageName} width={page.width} height={page.height} regions={regionCount} lines={lines.length} selected={state.selection.length} notice={state.notice} save={{ state: saving ? 'saving' : saveError && dirty ? 'error' : dirty ? 'dirty' : 'saved', error: saveError }} />
      </main>
      <aside className="sidebar sidebar-right">
        <section className="panel panel-jobs" aria-label={t.models}>
          <h2 className="panel-title">{t.models}</h2>
          <JobsPanel jobs={jobs} selectedLines={state.selection.filter((id) => findLine(doc, id)).length} pageLines={lines.length} onRun={runJob} />
          <TrainPanel
            service={service}
            events={props.events}
            recognizers={jobs.recognizers}
            busy={jobs.running !== null}
            onTrained={jobs.reloadModels}
            pageId={pageId}
            careful={jobs.careful}
            takeReplaceCorrected={jobs.takeReplaceCorrected}
            recognizer={jobs.recognizer}
            onRecognizePage={() => runJob('recognize', 'page')}
            onApplyResult={(xml) => cmd.applyResult('recognize', readDocument(xml).doc, null)}
            onNotice={(kind, text) => dispatch({ type: 'notice', kind, text })}
          />
        </section>
        <section className="panel panel-properties" aria-label={t.properties}>
          <h2 className="panel-title">{t.properties}</h2>
          <PropertiesPanel doc={doc} selected={selected} onRegionType={cmd.setRegionType} onLineType={cmd.setLineType} onRegionSubtype={cmd.setRegionSubtype} selectedLines={selectedLines} onMoveLines={cmd.moveLinesToRegion} onRestoreVersion={cmd.restoreVersion} />
        </section>
        <section className="panel panel-transcription">
          <h2 className="panel-title">{t.transcription}</h2>
          <TranscriptionPanel service={service} pageId={pageId} hasImage={image !== null} lines={lines} selectedLine={selectedLine} selection={state.selection} onSelect={cmd.select} onCommit={cmd.commitText} onVerify={cmd.verifyLine} onHistory={onTextHistory} onLeave={leaveText} onMoveLine={cmd.moveLineInRegion} uncertainBelow={uncertainBelow} onUncertainBelow={setUncertainBelow} onNextUncertain={jumpUncertain} />
          <FindReplace service={service} pageId={pageId} lines={lineRecords} onGo={goToLine} onReplaceAll={cmd.replaceAll} onGoToPage={goToPageLine} onUndoHere={cmd.undo} onPagesChanged={props.onSaved} />
          <CheckPanel doc={doc} markedGroundTruth={props.markedGroundTruth} onGo={goToLine} onFix={cmd.fixProblems} />
        </section>
      </aside>
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      <CommandPalette open={paletteOpen} desktop={bridge !== undefined} onClose={() => setPaletteOpen(false)} onRun={(id) => (id === 'open-project' ? props.onOpenProject?.() : id === 'import' ? props.onImport?.() : run(id))} />
    </div>
  );
}
