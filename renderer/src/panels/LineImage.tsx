/**
 * The selected line's image, cut by the engine along its outline and
 * straightened along its baseline, shown above its text so a transcriber reads
 * the line without looking across to the canvas. Images are cached per outline:
 * stepping back to a line shows it at once.
 */
import { useEffect, useState } from 'react';
import type { StudioService } from '../../../electron/common/api/service.js';
import type { Point, TextLine } from '../../../electron/common/model/types.js';
import { strings as t } from '../i18n/strings.js';

const cache = new Map<string, Promise<string>>();
const MAX_CACHED = 200;

/** The outline to cut along: the line's own, else a band around its baseline (as the engine's recogniser does). */
function outline(line: TextLine): Point[] | null {
  const c = line.coords?.points;
  if (c && c.length >= 3) return [...c];
  const b = line.baseline?.points;
  if (!b || b.length < 2) return null;
  return [...b.map((p) => ({ x: p.x, y: Math.max(0, p.y - 40) })), ...[...b].reverse().map((p) => ({ x: p.x, y: p.y + 12 }))];
}

const flatten = (pts: readonly Point[]): number[] => pts.flatMap((p) => [p.x, p.y]);

function lineImage(service: StudioService, pageId: string, poly: number[], base: number[]): Promise<string> {
  const key = JSON.stringify([pageId, poly, base]);
  let hit = cache.get(key);
  if (!hit) {
    hit = service.getLineImage(pageId, poly, base);
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
    for (const k of cache.keys()) {
      if (cache.size <= MAX_CACHED) break;
      cache.delete(k);
    }
  }
  return hit;
}

export function LineImage({ service, pageId, line, index }: { readonly service: StudioService; readonly pageId: string; readonly line: TextLine; readonly index: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const poly = outline(line);
  const key = poly ? JSON.stringify([poly, line.baseline?.points]) : '';
  useEffect(() => {
    if (!poly) return;
    let live = true;
    setFailed(false);
    lineImage(service, pageId, flatten(poly), flatten(line.baseline?.points ?? [])).then(
      (url) => live && setSrc(url),
      () => live && (setSrc(null), setFailed(true)),
    );
    return () => {
      live = false;
    };
    // The key stands for the line's geometry; the arrays themselves change identity on every edit.
  }, [service, pageId, key]);
  if (!poly || failed) return <div className="line-image is-empty">{t.lineImageFailed}</div>;
  return <div className="line-image">{src ? <img src={src} alt={t.lineImageAlt(index)} draggable={false} /> : null}</div>;
}
