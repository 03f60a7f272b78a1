/**
 * Regions, lines, baselines and the selected element's vertex handles, drawn
 * from the model. Shapes only report what the user did (intents); they never
 * change the document. Components are memoised on the immutable model objects,
 * so a drag redraws only the element being edited.
 */
import { memo } from 'react';
import { Circle, Group, Line, Rect } from 'react-konva';
import type Konva from 'konva';
import type { Point, Points, Region, TextLine } from '../../../electron/common/model/types.js';
import type { ShapeRef } from '../../../electron/common/model/ops.js';
import type { VertexRef } from '../editor/core/editor-state.js';
import type { Palette } from './palette.js';
import { confidenceFill, type Layers } from './layers.js';
import { lineConf } from '../../../electron/common/model/stats.js';
import { LinesBulk } from './lines-bulk.js';
import type { Emit } from './intents.js';

export type { CanvasIntent, Emit } from './intents.js';

export const flat = (pts: Points): number[] => pts.flatMap((p) => [p.x, p.y]);

/** The index to insert a point at so it lands on the segment nearest to `p`. */
export function insertIndex(pts: Points, p: Point, closed: boolean): number {
  let best = pts.length;
  let bestD = Infinity;
  const n = closed ? pts.length : pts.length - 1;
  for (let i = 0; i < n; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = dx * dx + dy * dy || 1;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
    const d = (a.x + t * dx - p.x) ** 2 + (a.y + t * dy - p.y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i + 1;
    }
  }
  return best;
}

function pointerOf(e: Konva.KonvaEventObject<MouseEvent>): Point | null {
  const layer = e.target.getLayer();
  const p = layer?.getRelativePointerPosition();
  return p ? { x: p.x, y: p.y } : null;
}

function medianSpacing(pts: Points): number {
  const d: number[] = [];
  for (let i = 1; i < pts.length; i++) d.push(Math.hypot(pts[i]!.x - pts[i - 1]!.x, pts[i]!.y - pts[i - 1]!.y));
  d.sort((a, b) => a - b);
  return d.length ? d[d.length >> 1]! : Infinity;
}

interface HandlesProps {
  readonly refId: string;
  readonly shape: ShapeRef['shape'];
  readonly points: Points;
  readonly scale: number;
  readonly palette: Palette;
  readonly activeIndex: number | null;
  readonly bounds: { readonly width: number; readonly height: number };
  readonly emit: Emit;
}

/** Draggable vertex handles; radius and stroke stay the same on screen at every zoom. */
const Handles = memo(function Handles({ refId, shape, points, scale, palette, activeIndex, bounds, emit }: HandlesProps) {
  // Dense point lists (eScriptorium writes a baseline point every 30 px) would
  // bury the line under handles when zoomed out: shrink handles to fit their spacing.
  const spacing = medianSpacing(points) * scale;
  const r = Math.max(2, Math.min(shape === 'baseline' ? 5.5 : 4.5, spacing / 4)) / scale;
  const snap = (node: Konva.Node): Point => {
    // PAGE coordinates are whole, non-negative pixels inside the image.
    const p = { x: Math.round(Math.max(0, Math.min(bounds.width, node.x()))), y: Math.round(Math.max(0, Math.min(bounds.height, node.y()))) };
    node.position(p);
    return p;
  };
  return (
    <Group>
      {points.map((p, index) => {
        const vertex: VertexRef = { ref: { id: refId, shape }, index };
        const active = index === activeIndex;
        return (
          <Circle
            key={index}
            name="handle"
            x={p.x}
            y={p.y}
            radius={active ? r * 1.3 : r}
            fill={active ? palette.handleActive : palette.handle}
            stroke={shape === 'baseline' ? palette.baseline : palette.handleStroke}
            strokeWidth={1.5}
            strokeScaleEnabled={false}
            hitStrokeWidth={8}
            draggable
            onMouseDown={(e) => {
              e.cancelBubble = true;
              emit({ type: 'select', id: refId, additive: false, vertex });
            }}
            onMouseEnter={(e) => {
              const c = e.target.getStage()?.container();
              if (c) c.style.cursor = 'move';
            }}
            onMouseLeave={(e) => {
              const c = e.target.getStage()?.container();
              if (c) c.style.cursor = '';
            }}
            onDragMove={(e) => emit({ type: 'drag-vertex', vertex, to: snap(e.target), phase: 'move' })}
            onDragEnd={(e) => emit({ type: 'drag-vertex', vertex, to: snap(e.target), phase: 'end' })}
          />
        );
      })}
    </Group>
  );
});

interface LineShapeProps {
  readonly line: TextLine;
  readonly selected: boolean;
  readonly hovered: boolean;
  readonly palette: Palette;
  readonly layers: Layers;
  readonly emit: Emit;
}

const LineShape = memo(function LineShape({ line, selected, hovered, palette, layers, emit }: LineShapeProps) {
  const select = (e: Konva.KonvaEventObject<MouseEvent>): void => {
    if (e.evt.button !== 0) return;
    e.cancelBubble = true;
    emit({ type: 'select', id: line.id, additive: e.evt.shiftKey || e.evt.ctrlKey || e.evt.metaKey });
  };
  const insert = (shape: ShapeRef['shape'], pts: Points, closed: boolean) => (e: Konva.KonvaEventObject<MouseEvent>): void => {
    const p = pointerOf(e);
    if (!p || !selected) return;
    e.cancelBubble = true;
    emit({ type: 'insert-vertex', ref: { id: line.id, shape }, index: insertIndex(pts, p, closed), at: { x: Math.round(p.x), y: Math.round(p.y) } });
  };
  const hover = (id: string | null) => () => emit({ type: 'hover', id });
  const coords = line.coords?.points ?? [];
  const base = line.baseline?.points ?? [];
  return (
    <Group>
      {coords.length >= 3 && (layers.lines || layers.confidence || selected) && (
        <Line
          id={line.id}
          points={flat(coords)}
          closed
          stroke={selected ? palette.selected : layers.lines ? palette.line : undefined}
          strokeWidth={selected ? 1.5 : 1}
          strokeScaleEnabled={false}
          // No offscreen buffer for fill + stroke: thousands of lines must draw in one frame.
          perfectDrawEnabled={false}
          fill={selected ? palette.lineSelectedFill : hovered ? palette.lineHoverFill : layers.confidence ? confidenceFill(lineConf(line)) : palette.lineFill}
          onClick={select}
          onDblClick={insert('coords', coords, true)}
          onMouseEnter={hover(line.id)}
          onMouseLeave={hover(null)}
        />
      )}
      {base.length >= 2 && (layers.baselines || selected) && (
        <Line
          id={line.id}
          points={flat(base)}
          perfectDrawEnabled={false}
          stroke={palette.baseline}
          strokeWidth={selected ? 2.5 : 1.75}
          strokeScaleEnabled={false}
          hitStrokeWidth={10}
          lineCap="round"
          lineJoin="round"
          onClick={select}
          onDblClick={insert('baseline', base, false)}
          onMouseEnter={hover(line.id)}
          onMouseLeave={hover(null)}
        />
      )}
    </Group>
  );
});

interface RegionShapeProps {
  readonly region: Region;
  /** Selected ids inside this region, joined (a string keeps memo comparisons cheap). */
  readonly selectedKey: string;
  readonly hoveredLine: string | null;
  readonly palette: Palette;
  readonly layers: Layers;
  readonly emit: Emit;
  /** The line under an image point (from the model's geometry: unselected lines are not Konva nodes). Stable. */
  readonly pickLine: (p: Point) => string | null;
}

export const RegionShape = memo(function RegionShape({ region, selectedKey, hoveredLine, palette, layers, emit, pickLine }: RegionShapeProps) {
  const selected = new Set(selectedKey ? selectedKey.split('\n') : []);
  const isSelected = selected.has(region.id);
  const pts = region.coords?.points ?? [];
  return (
    <Group>
      {pts.length >= 3 && (layers.regions || isSelected) && (
        <Line
          id={region.id}
          points={flat(pts)}
          closed
          perfectDrawEnabled={false}
          stroke={isSelected ? palette.selected : palette.region}
          strokeWidth={isSelected ? 2.5 : 1.5}
          strokeScaleEnabled={false}
          dash={isSelected ? undefined : [6, 4]}
          fill={isSelected ? palette.regionSelectedFill : palette.regionFill}
          onClick={(e) => {
            if (e.evt.button !== 0) return;
            e.cancelBubble = true;
            // A click on one of the region's (unselected, bulk-drawn) lines selects the line.
            const p = pointerOf(e);
            const id = (p && pickLine(p)) || region.id;
            emit({ type: 'select', id, additive: e.evt.shiftKey || e.evt.ctrlKey || e.evt.metaKey });
          }}
          onDblClick={(e) => {
            const p = pointerOf(e);
            if (!p || !isSelected) return;
            e.cancelBubble = true;
            emit({ type: 'insert-vertex', ref: { id: region.id, shape: 'coords' }, index: insertIndex(pts, p, true), at: { x: Math.round(p.x), y: Math.round(p.y) } });
          }}
        />
      )}
      {/* Only this region's hovered line: hovering elsewhere must not redraw its lines. */}
      <LinesBulk lines={region.lines} skipKey={selectedKey} hovered={hoveredLine !== null && region.lines.some((l) => l.id === hoveredLine) ? hoveredLine : null} palette={palette} layers={layers} />
      {region.lines.filter((l) => selected.has(l.id)).map((l) => (
        <LineShape key={l.id} line={l} selected hovered={hoveredLine === l.id} palette={palette} layers={layers} emit={emit} />
      ))}
      {region.regions.map((r) => (
        <RegionShape key={r.id} region={r} selectedKey={selectedKey} hoveredLine={hoveredLine} palette={palette} layers={layers} emit={emit} pickLine={pickLine} />
      ))}
    </Group>
  );
});

export interface SelectionHandlesProps {
  readonly target: { readonly id: string; readonly coords: Points; readonly baseline: Points | null } | null;
  readonly vertex: VertexRef | null;
  readonly scale: number;
  readonly palette: Palette;
  readonly bounds: { readonly width: number; readonly height: number };
  readonly emit: Emit;
}

/** Handles of the one selected element: outline points, and baseline points (drawn last, on top). */
export function SelectionHandles({ target, vertex, scale, palette, bounds, emit }: SelectionHandlesProps) {
  if (!target) return null;
  const active = (shape: ShapeRef['shape']): number | null => (vertex && vertex.ref.id === target.id && vertex.ref.shape === shape ? vertex.index : null);
  return (
    <Group>
      <Handles refId={target.id} shape="coords" points={target.coords} scale={scale} palette={palette} activeIndex={active('coords')} bounds={bounds} emit={emit} />
      {target.baseline && <Handles refId={target.id} shape="baseline" points={target.baseline} scale={scale} palette={palette} activeIndex={active('baseline')} bounds={bounds} emit={emit} />}
    </Group>
  );
}

/** The rectangle being drawn with the region tool. */
export function DraftRect({ from, to, palette }: { readonly from: Point; readonly to: Point; readonly palette: Palette }) {
  return (
    <Rect
      x={Math.min(from.x, to.x)}
      y={Math.min(from.y, to.y)}
      width={Math.abs(to.x - from.x)}
      height={Math.abs(to.y - from.y)}
      stroke={palette.draft}
      strokeWidth={1.5}
      strokeScaleEnabled={false}
      dash={[6, 4]}
      fill={palette.draftFill}
      listening={false}
    />
  );
}

/** The polyline being drawn with the line or polygon tool, with a rubber band to the mouse. */
export function DraftPolyline({ points, hover, closed, scale, palette }: { readonly points: readonly Point[]; readonly hover: Point | null; readonly closed: boolean; readonly scale: number; readonly palette: Palette }) {
  const all = hover ? [...points, hover] : points;
  return (
    <Group listening={false}>
      <Line points={flat(all)} closed={closed && all.length >= 3} stroke={closed ? palette.draft : palette.baseline} strokeWidth={2} strokeScaleEnabled={false} dash={[6, 4]} fill={closed ? palette.draftFill : undefined} />
      {points.map((p, i) => (
        <Circle key={i} x={p.x} y={p.y} radius={4 / scale} fill={palette.handle} stroke={closed ? palette.draft : palette.baseline} strokeWidth={1.5} strokeScaleEnabled={false} />
      ))}
    </Group>
  );
}
