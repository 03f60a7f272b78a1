/**
 * The page view: the scan drawn from pyramid tiles on its own non-listening
 * layer, the model's shapes on another, pan and zoom. It renders the document
 * it is given and reports intents; the editor turns those into model ops.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Group, Image as KImage, Layer, Rect, Stage } from 'react-konva';
import type Konva from 'konva';
import type { ImageInfo } from '../../../electron/common/api/service.js';
import type { PageDocument, Point } from '../../../electron/common/model/types.js';
import { findLine, findRegion } from '../../../electron/common/model/ops.js';
import { TOOLS, type Tool } from './tools.js';
import { lineAt } from './hit-test.js';
import type { VertexRef } from '../editor/core/editor-state.js';
import { topRegionsInOrder } from '../editor/reading.js';
import { cursor } from '../editor/cursor-store.js';
import { levelFor, overviewLevel, tilesInView, TileStore, type TilePlacement } from './tiles.js';
import { minScale, toImage, zoomAt, type Size, type View } from './view.js';
import { DraftPolyline, DraftRect, RegionShape, SelectionHandles, type CanvasIntent, type Emit } from './shapes.js';
import { confidenceFill, type Layers } from './layers.js';
import { strings as t } from '../i18n/strings.js';
import { OrderOverlay } from './order-overlay.js';
import type { Palette } from './palette.js';

export type { Tool } from './tools.js';

export interface PageCanvasProps {
  readonly doc: PageDocument;
  readonly image: ImageInfo | null;
  readonly fetchTile: (level: number, col: number, row: number) => Promise<Uint8Array>;
  readonly selection: readonly string[];
  readonly vertex: VertexRef | null;
  readonly tool: Tool;
  readonly layers: Layers;
  readonly palette: Palette;
  readonly view: View | null;
  readonly label: string;
  readonly onView: (view: View) => void;
  readonly onViewport: (size: Size) => void;
  readonly onIntent: Emit;
  readonly onKeyDown: (e: ReactKeyboardEvent<HTMLDivElement>) => void;
}

type Gesture =
  | { readonly kind: 'pan'; readonly sx: number; readonly sy: number; readonly start: View; moved: boolean; readonly clickId: string | null }
  | { readonly kind: 'rect'; readonly from: Point; to: Point }
  | { readonly kind: 'move'; readonly ids: readonly string[]; readonly sx: number; readonly sy: number; readonly scale: number; dx: number; dy: number };

/**
 * While the view changes continuously (wheel, dragging to pan), the canvas drawn
 * at the last settled view is only moved and scaled with a CSS transform, and
 * redrawn this long after the stream of changes stops: redrawing thousands of
 * line polygons takes longer than a frame in software rendering.
 */
const SETTLE_MS = 120;

/** How near a baseline (screen pixels, each side) a click or hover still hits its line. */
const HIT_PX = 5;

export function PageCanvas(props: PageCanvasProps) {
  const { doc, image, selection, vertex, tool, layers, palette, view, onIntent } = props;
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [gesture, setGesture] = useState<Gesture | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [space, setSpace] = useState(false);
  /** Points clicked so far with the line or polygon tool, and where the mouse is. */
  // Mirrored in a ref: clicks can come faster than React re-renders the handlers that read it.
  const [draft, setDraftState] = useState<Point[]>([]);
  const draftRef = useRef<Point[]>([]);
  const setDraft = useCallback((next: Point[] | ((d: Point[]) => Point[])) => {
    draftRef.current = typeof next === 'function' ? next(draftRef.current) : next;
    setDraftState(draftRef.current);
  }, []);
  const [draftHover, setDraftHover] = useState<Point | null>(null);
  const page = { width: doc.page.imageWidth || image?.width || 1, height: doc.page.imageHeight || image?.height || 1 };

  // The view the Stage is drawn at (see SETTLE_MS); `view` is where the page is on screen now.
  const [drawn, setDrawn] = useState<View | null>(view);
  /** Views this canvas itself emitted from wheel ticks or a pan drag: such views stream (React may render any of them). */
  const streamed = useRef(new WeakSet<View>());
  useEffect(() => {
    if (!view) return;
    // A single change (a key, a button, following the selection) is drawn at once, so the
    // canvas is never left transformed under the mouse; a stream is drawn after a pause.
    if (!streamed.current.has(view)) return setDrawn(view);
    const timer = setTimeout(() => setDrawn(view), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [view]);
  const shown = drawn ?? view;
  const stream = (v: View): View => (streamed.current.add(v), v);

  // Latest props for long-lived handlers (window listeners, the tile store).
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const s = { width: el.clientWidth, height: el.clientHeight };
      setSize(s);
      latest.current.onViewport(s);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const store = useMemo(() => {
    let pending = false;
    // Many tiles arrive together: redraw once per frame.
    return new TileStore(props.fetchTile, () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        setTick((n) => n + 1);
      });
    });
  }, [props.fetchTile]);
  useEffect(() => () => store.dispose(), [store]);

  /** The line under an image point, as a click would hit it: inside its outline or within a few screen pixels of its baseline. */
  const pickLine = useCallback((p: Point): string | null => {
    const v = latest.current.view;
    return v ? lineAt(latest.current.doc, p, HIT_PX / v.scale) : null;
  }, []);

  // Set while a pan moved the page, so the click that ends it does not select what is under the mouse.
  const panned = useRef(false);
  const emit: Emit = useMemo(
    () => (intent: CanvasIntent) => {
      if (intent.type === 'hover') setHovered(intent.id);
      else if (!(intent.type === 'select' && panned.current)) latest.current.onIntent(intent);
    },
    [],
  );

  // Space held = temporary pan, as in image editors.
  useEffect(() => {
    const down = (e: KeyboardEvent): void => {
      if (e.code === 'Space' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) setSpace(true);
    };
    const up = (e: KeyboardEvent): void => {
      if (e.code === 'Space') setSpace(false);
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);

  // Gestures follow the mouse outside the canvas too, and end wherever the button is released.
  useEffect(() => {
    if (!gesture) return;
    const move = (e: MouseEvent): void => {
      const v = latest.current.view;
      const rect = box.current?.getBoundingClientRect();
      if (!v || !rect) return;
      if (gesture.kind === 'pan') {
        const dx = e.clientX - gesture.sx;
        const dy = e.clientY - gesture.sy;
        if (Math.abs(dx) + Math.abs(dy) > 3) gesture.moved = panned.current = true;
        if (gesture.moved) latest.current.onView(stream({ ...gesture.start, x: gesture.start.x + dx, y: gesture.start.y + dy }));
      } else if (gesture.kind === 'move') {
        // Whole image pixels: PAGE coordinates are integers.
        const dx = Math.round((e.clientX - gesture.sx) / gesture.scale);
        const dy = Math.round((e.clientY - gesture.sy) / gesture.scale);
        if (dx === gesture.dx && dy === gesture.dy) return;
        gesture.dx = dx;
        gesture.dy = dy;
        panned.current = true;
        latest.current.onIntent({ type: 'move', ids: gesture.ids, dx, dy, phase: 'move' });
      } else {
        const p = toImage(v, e.clientX - rect.left, e.clientY - rect.top);
        setGesture({ ...gesture, to: { x: Math.max(0, Math.min(page.width, p.x)), y: Math.max(0, Math.min(page.height, p.y)) } });
      }
    };
    const up = (e: MouseEvent): void => {
      if (gesture.kind === 'pan' && !gesture.moved && gesture.clickId === null) {
        // A line can reach outside every region: then the click lands on the stage, not on a region.
        const v = latest.current.view;
        const rect = box.current?.getBoundingClientRect();
        const id = v && rect ? pickLine(toImage(v, gesture.sx - rect.left, gesture.sy - rect.top)) : null;
        latest.current.onIntent({ type: 'select', id, additive: id !== null && (e.shiftKey || e.ctrlKey || e.metaKey) });
      }
      if (gesture.kind === 'rect') latest.current.onIntent({ type: 'draw-region', from: gesture.from, to: gesture.to });
      if (gesture.kind === 'move') latest.current.onIntent({ type: 'move', ids: gesture.ids, dx: gesture.dx, dy: gesture.dy, phase: 'end' });
      setGesture(null);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up, { once: true });
    return () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
  }, [gesture, page.width, page.height, pickLine]);

  /** The mouse on the canvas box in screen pixels: with `view`, always the true image point, even while the drawn canvas is CSS-transformed. */
  const screenPoint = (evt: MouseEvent): { x: number; y: number } | null => {
    const rect = box.current?.getBoundingClientRect();
    return rect ? { x: evt.clientX - rect.left, y: evt.clientY - rect.top } : null;
  };

  const onMouseDown = (e: Konva.KonvaEventObject<MouseEvent>): void => {
    box.current?.focus({ preventScroll: true });
    panned.current = false;
    if (!view) return;
    const stage = e.target.getStage();
    const sp = screenPoint(e.evt);
    if (!sp) return;
    const target = e.target;
    if (target.name() === 'handle') return;
    const panGesture = (): void => {
      e.evt.preventDefault();
      setGesture({ kind: 'pan', sx: e.evt.clientX, sy: e.evt.clientY, start: view, moved: false, clickId: target === stage ? null : target.id() || 'shape' });
    };
    // The middle button, or Space held, pans in every tool; what the main button does is the tool's.
    if (e.evt.button === 1 || space) return panGesture();
    if (e.evt.button !== 0) return;
    const current = TOOLS[tool];
    // Unselected lines are not Konva nodes: the one under the mouse comes from the model.
    const lineUnder = current.selects && !selection.includes(target.id()) ? pickLine(toImage(view, sp.x, sp.y)) : null;
    const targetId = lineUnder ?? (target === stage ? '' : target.id());
    const p = toImage(view, sp.x, sp.y);
    const at = { x: Math.max(0, Math.min(page.width, p.x)), y: Math.max(0, Math.min(page.height, p.y)) };
    const out = current.press({ doc, at, scale: view.scale, clicks: e.evt.detail, selectedUnder: targetId && selection.includes(targetId) ? targetId : '', draft: draftRef.current });
    switch (out.kind) {
      case 'move-selection':
        e.evt.preventDefault();
        return setGesture({ kind: 'move', ids: selection, sx: e.evt.clientX, sy: e.evt.clientY, scale: view.scale, dx: 0, dy: 0 });
      case 'pan-or-click':
        return panGesture();
      case 'rectangle':
        return setGesture({ kind: 'rect', from: at, to: at });
      case 'draft':
        return setDraft([...out.points]);
      case 'finish':
        return finishDraft();
      case 'intent':
        return onIntent(out.intent);
      case 'nothing':
        return;
    }
  };

  // The line and polygon tools: a double-click or Enter finishes, Backspace takes back a point, Esc drops the drawing.
  const finishDraft = (): void => {
    const { finish } = TOOLS[tool];
    if (!finish) return;
    const intent = finish(draftRef.current);
    if (intent) onIntent(intent);
    setDraft([]);
    setDraftHover(null);
  };
  const finishRef = useRef(finishDraft);
  finishRef.current = finishDraft;
  const hasDraft = draft.length > 0;
  useEffect(() => {
    if (!hasDraft) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter') finishRef.current();
      else if (e.key === 'Escape') setDraft([]);
      else if (e.key === 'Backspace') setDraft((d) => d.slice(0, -1));
      else return;
      // Handled here: the editor's own Esc (back to the select tool) must not also run.
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [hasDraft]);
  useEffect(() => {
    setDraft([]);
    setDraftHover(null);
  }, [tool, setDraft]);

  // Wheel zoom and pan, taken in the capture phase before Konva sees the event: Konva would
  // hit-test the shapes under the mouse for every wheel tick, which costs more than a frame.
  const viewNow = useRef(view);
  viewNow.current = view;
  const pageSize = useRef({ page, size });
  pageSize.current = { page, size };
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      e.stopPropagation();
      const v = viewNow.current;
      const rect = el.getBoundingClientRect();
      if (!v) return;
      const sx = e.clientX - rect.left;
      const sy = e.clientY - rect.top;
      let next: View;
      if (e.ctrlKey || Math.abs(e.deltaY) >= Math.abs(e.deltaX)) {
        // Trackpad pinch arrives as ctrl+wheel with small deltas; a mouse wheel as ±100.
        const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
        next = zoomAt(v, factor, sx, sy, minScale(pageSize.current.page, pageSize.current.size));
      } else next = { ...v, x: v.x - e.deltaX };
      // Several ticks can arrive before the next render: each builds on the last.
      viewNow.current = next;
      latest.current.onView(stream(next));
    };
    el.addEventListener('wheel', onWheel, { capture: true, passive: false });
    return () => el.removeEventListener('wheel', onWheel, { capture: true });
  }, []);

  const onMouseMove = (e: Konva.KonvaEventObject<MouseEvent>): void => {
    const sp = screenPoint(e.evt);
    if (view && sp) {
      const p = toImage(view, sp.x, sp.y);
      cursor.set(p.x >= 0 && p.y >= 0 && p.x <= page.width && p.y <= page.height ? { x: Math.round(p.x), y: Math.round(p.y) } : null);
      // Hover comes from the model's geometry too (selected lines also report it from their nodes).
      if (TOOLS[tool].selects && !gesture) {
        const id = pickLine(p);
        if (id !== hovered) setHovered(id);
      }
      if (draft.length) setDraftHover({ x: Math.max(0, Math.min(page.width, p.x)), y: Math.max(0, Math.min(page.height, p.y)) });
    }
  };

  // Stable handler identities: react-konva redraws every layer when a Stage listener prop changes.
  const handlerRef = useRef({ down: onMouseDown, move: onMouseMove });
  handlerRef.current = { down: onMouseDown, move: onMouseMove };
  const stageHandlers = useMemo(
    () => ({
      down: (e: Konva.KonvaEventObject<MouseEvent>) => handlerRef.current.down(e),
      move: (e: Konva.KonvaEventObject<MouseEvent>) => handlerRef.current.move(e),
      leave: () => cursor.set(null),
    }),
    [],
  );

  // The one selected element gets handles.
  const selectedId = selection.length === 1 ? selection[0]! : null;
  const handlesTarget = useMemo(() => {
    if (!selectedId || !TOOLS[tool].selects) return null;
    const l = findLine(doc, selectedId)?.line;
    if (l) return { id: l.id, coords: l.coords?.points ?? [], baseline: l.baseline?.points ?? null };
    const r = findRegion(doc, selectedId);
    return r ? { id: r.id, coords: r.coords?.points ?? [], baseline: null } : null;
  }, [doc, selectedId, tool]);

  const selectedKeyOf = (regionIds: Set<string>): string => selection.filter((id) => regionIds.has(id)).join('\n');
  const idsByRegion = useMemo(() => {
    const m = new Map<string, Set<string>>();
    const collect = (r: PageDocument['page']['regions'][number], into: Set<string>): void => {
      into.add(r.id);
      for (const l of r.lines) into.add(l.id);
      for (const s of r.regions) collect(s, into);
    };
    for (const r of doc.page.regions) {
      const s = new Set<string>();
      collect(r, s);
      m.set(r.id, s);
    }
    return m;
  }, [doc]);

  const tiles: { t: TilePlacement; img: ImageBitmap }[] = [];
  /** Tiles of the sharp level still loading: 0 means the view shows the scan at full detail (tests and the bench wait for it). */
  let missing = 0;
  if (image && shown && size.width > 0) {
    void tick;
    const dpr = window.devicePixelRatio || 1;
    const overview = overviewLevel(image);
    // Tiles for the drawn view: during a zoom or pan stream no tile is fetched or drawn (the overview covers the page); the sharp level follows when it settles.
    const level = Math.max(overview, levelFor(image, page, shown.scale, dpr));
    const levels = level === overview ? [overview] : [overview, level];
    for (const lv of levels) {
      for (const t of tilesInView(image, page, lv, shown, size)) {
        const img = store.get(t);
        if (img) tiles.push({ t, img });
        else if (lv === level) missing++;
      }
    }
  }

  const cursorStyle = gesture?.kind === 'move' ? 'move' : gesture?.kind === 'pan' && gesture.moved ? 'grabbing' : space ? 'grab' : !TOOLS[tool].selects ? TOOLS[tool].cursor : hovered ? 'pointer' : 'default';
  const orderRegions = useMemo(() => topRegionsInOrder(doc), [doc]);

  return (
    <div
      ref={box}
      className="page-canvas"
      tabIndex={0}
      role="application"
      aria-label={props.label}
      aria-roledescription="page editor"
      // Lets tests (and people debugging) map image pixels to screen pixels.
      data-view={view ? `${view.scale} ${view.x} ${view.y}` : ''}
      data-tool={tool}
      data-sharp={image && view ? String(missing === 0 && shown === view) : undefined}
      style={{ cursor: cursorStyle, background: palette.surround }}
      onKeyDown={props.onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {view && shown && size.width > 0 && (
        <div className="stage-transform" style={cssTransform(shown, view)}>
        <Stage width={size.width} height={size.height} x={shown.x} y={shown.y} scaleX={shown.scale} scaleY={shown.scale} onMouseDown={stageHandlers.down} onMouseMove={stageHandlers.move} onMouseLeave={stageHandlers.leave}>
          {/* The paper and its shadow on a layer of their own: a blurred shadow is slow to draw in software, and tiles arrive often. */}
          <Layer listening={false}>
            <Rect x={0} y={0} width={page.width} height={page.height} fill="#fbfaf7" shadowColor={palette.pageShadow} shadowBlur={18} shadowOpacity={1} shadowForStrokeEnabled={false} />
          </Layer>
          <Layer listening={false}>
            {tiles.map(({ t, img }) => (
              <KImage key={t.key} image={img} x={t.x} y={t.y} width={t.width} height={t.height} />
            ))}
          </Layer>
          <Layer listening={TOOLS[tool].selects && !space && gesture?.kind !== 'move'}>
            {doc.page.regions.map((r) => (
              <RegionShape key={r.id} region={r} selectedKey={selectedKeyOf(idsByRegion.get(r.id) ?? new Set())} hoveredLine={hovered} palette={palette} layers={layers} emit={emit} pickLine={pickLine} />
            ))}
            {(layers.order || tool === 'order') && <OrderOverlay regions={orderRegions} scale={shown.scale} palette={palette} showArrows />}
            <SelectionHandles target={handlesTarget} vertex={vertex} scale={shown.scale} palette={palette} bounds={page} emit={emit} />
            {draft.length > 0 && <DraftPolyline points={draft} hover={draftHover} closed={tool === 'polygon'} scale={shown.scale} palette={palette} />}
            {gesture?.kind === 'rect' && (
              <Group listening={false}>
                <DraftRect from={gesture.from} to={gesture.to} palette={palette} />
              </Group>
            )}
          </Layer>
        </Stage>
        </div>
      )}
      {layers.confidence && (
        <div className="confidence-legend" aria-hidden="true">
          <span>{t.confidenceLegend}</span>
          <span>0</span>
          <span className="scale" />
          <span>1</span>
          <span className="swatch" style={{ background: confidenceFill(undefined) }} title={t.confidenceNone} />
        </div>
      )}
    </div>
  );
}

/** Moves the canvas drawn at `drawn` to where `view` puts the page, until it is redrawn. */
function cssTransform(drawn: View, view: View): CSSProperties | undefined {
  if (drawn === view) return undefined;
  const k = view.scale / drawn.scale;
  return { transform: `translate(${view.x - drawn.x * k}px, ${view.y - drawn.y * k}px) scale(${k})`, transformOrigin: '0 0' };
}
