/**
 * Which line a point on the page hits, as a click or the split and order tools
 * see it. Pure geometry on the model, so the tools are tested without a canvas.
 */
import type { PageDocument, Point } from '../../../electron/common/model/types.js';
import { pointInPolygon } from '../../../electron/common/model/points.js';

/** The line under an image point: inside its outline, else nearest baseline within `tolerance`. */
export function lineAt(doc: PageDocument, p: Point, tolerance: number): string | null {
  let best: { id: string; d: number } | null = null;
  const visit = (regions: PageDocument['page']['regions']): void => {
    for (const r of regions) {
      for (const l of r.lines) {
        if (l.coords && l.coords.points.length >= 3 && pointInPolygon(p, l.coords.points)) best = { id: l.id, d: 0 };
        const b = l.baseline?.points ?? [];
        for (let i = 0; i + 1 < b.length && best?.d !== 0; i++) {
          const a = b[i]!;
          const c = b[i + 1]!;
          if (p.x < Math.min(a.x, c.x) || p.x > Math.max(a.x, c.x)) continue;
          const y = a.x === c.x ? a.y : a.y + ((p.x - a.x) / (c.x - a.x)) * (c.y - a.y);
          const d = Math.abs(y - p.y);
          if (d <= tolerance && (!best || d < best.d)) best = { id: l.id, d };
        }
      }
      visit(r.regions);
    }
  };
  visit(doc.page.regions);
  return (best as { id: string } | null)?.id ?? null;
}

