/**
 * What the canvas reports: the user's intents in image coordinates. The editor
 * turns them into model ops; the canvas never changes the document itself.
 */
import type { Point } from '../../../electron/common/model/types.js';
import type { ShapeRef } from '../../../electron/common/model/ops.js';
import type { VertexRef } from '../editor/core/editor-state.js';

export type CanvasIntent =
  | { readonly type: 'select'; readonly id: string | null; readonly additive: boolean; readonly vertex?: VertexRef | null }
  | { readonly type: 'drag-vertex'; readonly vertex: VertexRef; readonly to: Point; readonly phase: 'move' | 'end' }
  | { readonly type: 'insert-vertex'; readonly ref: ShapeRef; readonly index: number; readonly at: Point }
  | { readonly type: 'draw-region'; readonly from: Point; readonly to: Point }
  | { readonly type: 'split'; readonly lineId: string; readonly x: number }
  | { readonly type: 'draw-line'; readonly baseline: readonly Point[] }
  | { readonly type: 'draw-polygon'; readonly points: readonly Point[] }
  | { readonly type: 'move'; readonly ids: readonly string[]; readonly dx: number; readonly dy: number; readonly phase: 'move' | 'end' }
  | { readonly type: 'hover'; readonly id: string | null }
  /** "Order by clicking": the region or line under a click (the editor takes its top-level region). */
  | { readonly type: 'pick-region'; readonly id: string };

export type Emit = (intent: CanvasIntent) => void;
