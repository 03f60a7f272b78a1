/**
 * The lines of one region that are not selected, drawn as a single canvas shape.
 * A register page has thousands of lines: one Konva node each (plus a baseline
 * node and a group) cost seconds to create and a full hit-canvas redraw per
 * change. Here they are a few cached Path2D objects filled and stroked in one
 * go, and take no part in Konva's hit testing: PageCanvas finds the line under
 * the mouse from the model's geometry (`lineAt`). Selected lines stay separate,
 * interactive nodes (LineShape) with their handles.
 */
import { memo, useMemo } from 'react';
import { Shape } from 'react-konva';
import type Konva from 'konva';
import type { Points, TextLine } from '../../../electron/common/model/types.js';
import type { Palette } from './palette.js';
import { confidenceFill, type Layers } from './layers.js';
import { lineConf } from '../../../electron/common/model/stats.js';

interface BulkPaths {
  /** Every drawn outline, for one stroke. */
  readonly outlines: Path2D;
  /** Outlines by fill colour (only with the confidence overlay: otherwise lines are unfilled). */
  readonly fills: ReadonlyMap<string, Path2D>;
  readonly baselines: Path2D;
  /** Outline of each line, to wash the hovered one. */
  readonly byId: ReadonlyMap<string, Points>;
}

function addPolygon(path: Path2D, pts: Points): void {
  path.moveTo(pts[0]!.x, pts[0]!.y);
  for (let i = 1; i < pts.length; i++) path.lineTo(pts[i]!.x, pts[i]!.y);
  path.closePath();
}

function buildPaths(lines: readonly TextLine[], skip: ReadonlySet<string>, confidence: boolean): BulkPaths {
  const outlines = new Path2D();
  const fills = new Map<string, Path2D>();
  const baselines = new Path2D();
  const byId = new Map<string, Points>();
  for (const l of lines) {
    if (skip.has(l.id)) continue;
    const c = l.coords?.points ?? [];
    if (c.length >= 3) {
      addPolygon(outlines, c);
      byId.set(l.id, c);
      if (confidence) {
        const fill = confidenceFill(lineConf(l));
        let p = fills.get(fill);
        if (!p) fills.set(fill, (p = new Path2D()));
        addPolygon(p, c);
      }
    }
    const b = l.baseline?.points ?? [];
    if (b.length >= 2) {
      baselines.moveTo(b[0]!.x, b[0]!.y);
      for (let i = 1; i < b.length; i++) baselines.lineTo(b[i]!.x, b[i]!.y);
    }
  }
  return { outlines, fills, baselines, byId };
}

export interface LinesBulkProps {
  readonly lines: readonly TextLine[];
  /** Ids drawn elsewhere (the selected lines), joined by newlines: a string keeps memo comparisons cheap. */
  readonly skipKey: string;
  readonly hovered: string | null;
  readonly palette: Palette;
  readonly layers: Layers;
}

export const LinesBulk = memo(function LinesBulk({ lines, skipKey, hovered, palette, layers }: LinesBulkProps) {
  const paths = useMemo(() => buildPaths(lines, new Set(skipKey ? skipKey.split('\n') : []), layers.confidence), [lines, skipKey, layers.confidence]);
  const showOutlines = layers.lines || layers.confidence;
  const draw = (context: Konva.Context, shape: Konva.Shape): void => {
    // Native drawing on Konva's context: the stage transform is already applied.
    const ctx = context._context;
    const px = 1 / (shape.getAbsoluteScale().x || 1); // one screen pixel in page units
    if (showOutlines) {
      for (const [fill, p] of paths.fills) {
        ctx.fillStyle = fill;
        ctx.fill(p);
      }
      const h = hovered ? paths.byId.get(hovered) : undefined;
      if (h) {
        const p = new Path2D();
        addPolygon(p, h);
        ctx.fillStyle = palette.lineHoverFill;
        ctx.fill(p);
      }
      if (layers.lines) {
        ctx.strokeStyle = palette.line;
        ctx.lineWidth = px;
        ctx.stroke(paths.outlines);
      }
    }
    if (layers.baselines) {
      ctx.strokeStyle = palette.baseline;
      ctx.lineWidth = 1.75 * px;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.stroke(paths.baselines);
    }
  };
  return <Shape listening={false} perfectDrawEnabled={false} sceneFunc={draw} />;
});
