/**
 * The fixed class lists of `export --format yolo`. They are the whole SegmOnto
 * vocabulary, not the types a particular export happens to contain, so that class
 * indices never change between exports and a model trained on one export reads
 * another's labels. Line classes come first: DefaultLine is class 0 whenever lines
 * are exported.
 */
import { structureOf } from '../../common/formats/alto-tags.js';

export const SEGMONTO_LINES = ['DefaultLine', 'HeadingLine', 'DropCapitalLine', 'InterlinearLine', 'MusicLine', 'CustomLine'] as const;
export const SEGMONTO_ZONES = [
  'MainZone', 'MarginTextZone', 'DropCapitalZone', 'NumberingZone', 'RunningTitleZone', 'QuireMarksZone', 'StampZone', 'GraphicZone',
  'MusicZone', 'TableZone', 'DamageZone', 'DigitizationArtefactZone', 'SealZone', 'TitlePageZone', 'CustomZone',
] as const;

export const CLASS_SETS = ['lines', 'regions', 'both'] as const;
export type ClassSet = (typeof CLASS_SETS)[number];

export function yoloClassNames(set: ClassSet): string[] {
  if (set === 'lines') return [...SEGMONTO_LINES];
  if (set === 'regions') return [...SEGMONTO_ZONES];
  return [...SEGMONTO_LINES, ...SEGMONTO_ZONES];
}

const byLowerName = (names: readonly string[]): Map<string, string> => new Map(names.map((n) => [n.toLowerCase(), n]));
const LINES = byLowerName(SEGMONTO_LINES);
const ZONES = byLowerName(SEGMONTO_ZONES);

/**
 * The SegmOnto type of a `custom` attribute, subtype dropped ("HeadingLine:rubric"
 * → HeadingLine). Case is ignored and the suffix may be missing, because
 * eScriptorium's own defaults are spelled "default" (lines) and projects write
 * "Main" or "Numbering" for zones; anything else ("text", "printed") is not SegmOnto.
 */
export function segmontoType(custom: string | undefined, kind: 'line' | 'zone'): string | undefined {
  const t = structureOf(custom)?.type.trim().toLowerCase();
  if (!t) return undefined;
  const table = kind === 'line' ? LINES : ZONES;
  return table.get(t) ?? table.get(t + kind);
}
