/**
 * The SegmOnto vocabulary (https://segmonto.github.io), in one place: the YOLO
 * export's fixed class order, the layout mapping, the properties panel and the
 * per-class scores all read it from here. The order is the export's class order,
 * so it must only ever grow at the end.
 */
import { structureOf } from '../formats/alto-tags.js';

export const SEGMONTO_LINES = ['DefaultLine', 'HeadingLine', 'DropCapitalLine', 'InterlinearLine', 'MusicLine', 'CustomLine'] as const;
export const SEGMONTO_ZONES = [
  'MainZone', 'MarginTextZone', 'DropCapitalZone', 'NumberingZone', 'RunningTitleZone', 'QuireMarksZone', 'StampZone', 'GraphicZone',
  'MusicZone', 'TableZone', 'DamageZone', 'DigitizationArtefactZone', 'SealZone', 'TitlePageZone', 'CustomZone',
] as const;

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
