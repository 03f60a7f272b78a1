/**
 * The canvas tools as small state objects: what a press of the main button on
 * the page does in each tool, how its drawing is finished, its cursor. The canvas
 * keeps the gestures (pan, move, rectangle) and the draft points; a tool only
 * decides. Pure, so each tool is unit-tested without a browser.
 */
import type { PageDocument, Point } from '../../../electron/common/model/types.js';
import { regionAt } from '../../../electron/common/model/ops.js';
import { lineAt } from './hit-test.js';
import type { CanvasIntent } from './intents.js';

/** `order`: "Order by clicking", each click on a region puts it next in the reading order. */
export type Tool = 'select' | 'region' | 'polygon' | 'line' | 'split' | 'order';

/** A press of the main button on the page, as a tool sees it. */
export interface Press {
  readonly doc: PageDocument;
  /** Where, in image pixels, clamped to the page. */
  readonly at: Point;
  /** Screen pixels per image pixel. */
  readonly scale: number;
  /** The click count (2 for the second press of a double-click). */
  readonly clicks: number;
  /** The id of a selected element under the press ('' when none). */
  readonly selectedUnder: string;
  /** The points of the drawing in progress. */
  readonly draft: readonly Point[];
}

/** What the canvas is to do with a press. */
export type PressOutcome =
  | { readonly kind: 'move-selection' }
  | { readonly kind: 'pan-or-click' }
  | { readonly kind: 'rectangle' }
  | { readonly kind: 'draft'; readonly points: readonly Point[] }
  | { readonly kind: 'finish' }
  | { readonly kind: 'intent'; readonly intent: CanvasIntent }
  | { readonly kind: 'nothing' };

export interface CanvasTool {
  readonly id: Tool;
  readonly cursor: string;
  /** Shapes answer the mouse (hover, handles, picking) only in a tool that selects. */
  readonly selects: boolean;
  press(p: Press): PressOutcome;
  /** Ends a drawing of clicked points: the intent it makes, or null when too few points. */
  finish?(points: readonly Point[]): CanvasIntent | null;
}

/** How near a line (screen pixels) the split and order tools still hit it. */
const TOOL_HIT_PX = 12;
/** Points closer than this on screen are one click (a double-click adds two presses). */
export const SAME_POINT_PX = 4;

/** Adds a clicked point to a drawing, or finishes it on a double-click. */
function drawPoints(p: Press): PressOutcome {
  if (p.clicks >= 2) return { kind: 'finish' };
  const q = { x: Math.round(p.at.x), y: Math.round(p.at.y) };
  const last = p.draft[p.draft.length - 1];
  if (last && Math.hypot(last.x - q.x, last.y - q.y) * p.scale <= SAME_POINT_PX) return { kind: 'nothing' };
  return { kind: 'draft', points: [...p.draft, q] };
}

const select: CanvasTool = {
  id: 'select',
  cursor: 'default',
  selects: true,
  // Dragging an element that is already selected moves it (and the rest of the selection); elsewhere a drag pans and a click selects.
  press: (p) => (p.selectedUnder ? { kind: 'move-selection' } : { kind: 'pan-or-click' }),
};

const region: CanvasTool = { id: 'region', cursor: 'crosshair', selects: false, press: () => ({ kind: 'rectangle' }) };

const line: CanvasTool = {
  id: 'line',
  cursor: 'crosshair',
  selects: false,
  press: drawPoints,
  finish: (points) => (points.length >= 2 ? { type: 'draw-line', baseline: points } : null),
};

const polygon: CanvasTool = {
  id: 'polygon',
  cursor: 'crosshair',
  selects: false,
  press: drawPoints,
  finish: (points) => (points.length >= 3 ? { type: 'draw-polygon', points } : null),
};

const split: CanvasTool = {
  id: 'split',
  cursor: 'col-resize',
  selects: false,
  press(p) {
    const id = lineAt(p.doc, p.at, TOOL_HIT_PX / p.scale);
    return id ? { kind: 'intent', intent: { type: 'split', lineId: id, x: Math.round(p.at.x) } } : { kind: 'nothing' };
  },
};

const order: CanvasTool = {
  id: 'order',
  cursor: 'pointer',
  selects: false,
  press(p) {
    const id = regionAt(p.doc, p.at)?.id ?? lineAt(p.doc, p.at, TOOL_HIT_PX / p.scale);
    return id ? { kind: 'intent', intent: { type: 'pick-region', id } } : { kind: 'nothing' };
  },
};

export const TOOLS: Readonly<Record<Tool, CanvasTool>> = { select, region, line, polygon, split, order };
