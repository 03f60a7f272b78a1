/**
 * The fixed class lists of `export --format yolo`. They are the whole SegmOnto
 * vocabulary, not the types a particular export happens to contain, so that class
 * indices never change between exports and a model trained on one export reads
 * another's labels. Line classes come first: DefaultLine is class 0 whenever lines
 * are exported.
 */
import { SEGMONTO_LINES, SEGMONTO_ZONES } from '../../common/model/segmonto.js';

export { SEGMONTO_LINES, SEGMONTO_ZONES, segmontoType } from '../../common/model/segmonto.js';

export const CLASS_SETS = ['lines', 'regions', 'both'] as const;
export type ClassSet = (typeof CLASS_SETS)[number];

export function yoloClassNames(set: ClassSet): string[] {
  if (set === 'lines') return [...SEGMONTO_LINES];
  if (set === 'regions') return [...SEGMONTO_ZONES];
  return [...SEGMONTO_LINES, ...SEGMONTO_ZONES];
}
