/**
 * Detections to a PAGE document: zones become regions of the right PAGE type with
 * their SegmOnto label, each line goes to the text region that holds most of it,
 * lines outside every region get regions of their own (never one without Coords),
 * and the reading order is set for regions and for lines within them.
 */
import type { PageDocument, Point, Points, Region, RegionKind, TextLine } from '../model/types.js';
import { bbox, boxPolygon, pointInPolygon, unionBox, type Box } from '../model/points.js';
import { withStructureType } from '../model/custom-attr.js';
import { SEGMONTO_ZONES } from '../model/segmonto.js';
import type { Detection, LayoutResult } from './types.js';
import { orderLines, orderRegions, type Direction } from './reading-order.js';
import { settleRegions, type RegionDraft } from './settle-regions.js';

export interface ClassRule {
  readonly kind: 'region' | 'line' | 'ignore';
  readonly page?: RegionKind;
  /** SegmOnto type written to `custom` (MainZone, DefaultLine…); default: the label itself when it is SegmOnto. */
  readonly segmonto?: string;
}

const ZONE_TYPES: ReadonlySet<string> = new Set(SEGMONTO_ZONES);
const PAGE_KIND: Readonly<Record<string, RegionKind>> = {
  GraphicZone: 'GraphicRegion',
  SealZone: 'GraphicRegion',
  StampZone: 'GraphicRegion',
  DamageZone: 'NoiseRegion',
  DigitizationArtefactZone: 'NoiseRegion',
  MusicZone: 'MusicRegion',
  TableZone: 'TableRegion',
};
/** Zones whose text is read beside the main text rather than in its flow. */
export const MARGIN_ZONES = new Set(['MarginTextZone', 'NumberingZone', 'QuireMarksZone', 'StampZone', 'SealZone']);

/** How a detector's class maps onto PAGE: the manifest's rule, else SegmOnto conventions. */
export function classRule(label: string, rules?: Readonly<Record<string, ClassRule>>): ClassRule {
  const r = rules?.[label];
  if (r) return r;
  const base = label.split(/[:#]/)[0]!;
  if (/line$/i.test(base)) return { kind: 'line', ...(/^[A-Z]\w*Line$/.test(base) && { segmonto: base }) };
  if (ZONE_TYPES.has(base)) return { kind: 'region', page: PAGE_KIND[base] ?? 'TextRegion', segmonto: base };
  return { kind: 'region', page: 'TextRegion' };
}

export interface ToPageOptions {
  readonly imageFilename: string;
  readonly direction?: Direction;
  /** Baselines for result.lines, by index (estimated from ink by the caller). */
  readonly baselines?: readonly (Points | undefined)[];
  readonly rules?: Readonly<Record<string, ClassRule>>;
  readonly creator?: string;
  readonly now?: string;
}

function samplePoints(b: Box): Point[] {
  const pts: Point[] = [];
  for (let i = 1; i <= 5; i++) for (let j = 1; j <= 3; j++) pts.push({ x: b.minX + ((b.maxX - b.minX) * i) / 6, y: b.minY + ((b.maxY - b.minY) * j) / 4 });
  return pts;
}

/** A baseline along the bottom fifth of the box, when the caller has none. */
function fallbackBaseline(poly: Points): Points {
  const b = bbox(poly)!;
  const y = Math.round(b.maxY - (b.maxY - b.minY) * 0.2);
  return [{ x: b.minX, y }, { x: b.maxX, y }];
}

export function layoutToPage(result: LayoutResult, opts: ToPageOptions): PageDocument {
  const dir = opts.direction ?? 'ltr';
  const now = opts.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let n = 0;
  const zones = result.regions
    .map((d) => ({ d, rule: classRule(d.label, opts.rules) }))
    .filter((z) => z.rule.kind === 'region')
    .map((z) => ({ id: `r${++n}`, d: z.d, rule: z.rule, box: bbox(z.d.polygon)!, lines: [] as { line: TextLine; box: Box }[] }));
  const textZones = zones.filter((z) => (z.rule.page ?? 'TextRegion') === 'TextRegion');
  const orphans: { line: TextLine; box: Box }[] = [];
  let ln = 0;
  result.lines.forEach((d: Detection, i) => {
    const rule = classRule(d.label, opts.rules);
    if (rule.kind !== 'line' || d.polygon.length < 3) return;
    const box = bbox(d.polygon)!;
    const baseline = opts.baselines?.[i] ?? d.baseline ?? fallbackBaseline(d.polygon);
    const line: TextLine = {
      kind: 'TextLine',
      id: `l${++ln}`,
      ...(rule.segmonto && { custom: withStructureType(undefined, rule.segmonto)! }),
      coords: { points: d.polygon, conf: d.conf },
      baseline: { points: baseline },
      words: [],
      textEquivs: [],
      labels: [],
      alternativeImages: [],
    };
    // The text region holding most of the line's sample points.
    const pts = samplePoints(box);
    let best: (typeof zones)[number] | undefined;
    let bestHits = 0;
    for (const z of textZones) {
      const hits = pts.filter((p) => pointInPolygon(p, z.d.polygon)).length;
      if (hits > bestHits) {
        bestHits = hits;
        best = z;
      }
    }
    if (best && bestHits >= 4) best.lines.push({ line, box });
    else orphans.push({ line, box });
  });

  // Orphan lines: stacked lines of similar horizontal extent share a region.
  const clusters: { lines: { line: TextLine; box: Box }[]; box: Box }[] = [];
  for (const o of [...orphans].sort((a, b) => a.box.minY - b.box.minY)) {
    const h = o.box.maxY - o.box.minY;
    const c = clusters.find((k) => {
      const ov = Math.min(k.box.maxX, o.box.maxX) - Math.max(k.box.minX, o.box.minX);
      return ov > 0.3 * Math.min(k.box.maxX - k.box.minX, o.box.maxX - o.box.minX) && o.box.minY - k.box.maxY < 2.5 * h;
    });
    if (c) {
      c.lines.push(o);
      c.box = unionBox([c.box, o.box])!;
    } else clusters.push({ lines: [o], box: o.box });
  }

  const drafts: RegionDraft[] = zones.map((z) => ({
    id: z.id,
    kind: z.rule.page ?? 'TextRegion',
    polygon: z.d.polygon,
    box: z.box,
    conf: z.d.conf,
    ...(z.rule.segmonto && { segmonto: z.rule.segmonto }),
    ...(MARGIN_ZONES.has(z.rule.segmonto ?? '') && { margin: true }),
    lines: z.lines,
    detected: z.box,
  }));
  for (const c of clusters) {
    const box = { minX: Math.max(0, c.box.minX - 5), minY: Math.max(0, c.box.minY - 5), maxX: Math.min(result.width, c.box.maxX + 5), maxY: Math.min(result.height, c.box.maxY + 5) };
    drafts.push({ id: `r${++n}`, kind: 'TextRegion', polygon: boxPolygon(box), box, lines: c.lines });
  }
  const regions = new Map<string, Region>();
  const items: { id: string; box: Box; margin?: boolean }[] = [];
  for (const r of settleRegions(drafts, result.width, result.height)) {
    const lineOrder = orderLines(r.lines.map((l) => ({ id: l.line.id, box: l.box })), dir);
    const byId = new Map(r.lines.map((l) => [l.line.id, l.line]));
    regions.set(r.id, {
      kind: r.kind,
      id: r.id,
      ...(r.segmonto && { custom: withStructureType(undefined, r.segmonto)! }),
      coords: { points: r.polygon, ...(r.conf !== undefined && { conf: r.conf }) },
      alternativeImages: [],
      labels: [],
      regions: [],
      lines: lineOrder.map((l) => byId.get(l)!),
      textEquivs: [],
    });
    items.push({ id: r.id, box: r.box, ...(r.margin && { margin: true }) });
  }
  const order = orderRegions(items, dir);
  return {
    format: { kind: 'page', version: '2019-07-15', namespace: 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15' },
    metadata: { creator: opts.creator ?? `HTR Studio (${result.detector})`, created: now, lastChange: now, items: [] },
    page: {
      imageFilename: opts.imageFilename,
      imageWidth: result.width,
      imageHeight: result.height,
      alternativeImages: [],
      labels: [],
      ...(order.length && {
        readingOrder: { root: { kind: 'group', ordered: true, id: 'ro_1', caption: 'Regions reading order', labels: [], items: order.map((id, index) => ({ kind: 'ref', regionRef: id, index })) } },
      }),
      regions: order.map((id) => regions.get(id)!),
    },
  };
}
