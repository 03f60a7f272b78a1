/**
 * The selected region's PAGE type and SegmOnto zone type, or the selected
 * line's SegmOnto line type (`custom="structure {type:…;}"`). Each change is
 * one undoable edit.
 */
import type { PageDocument, RegionKind } from '../../../electron/common/model/types.js';
import { REGION_KINDS } from '../../../electron/common/model/types.js';
import { findLine, findRegion } from '../../../electron/common/model/ops.js';
import { structureType } from '../../../electron/common/model/custom-attr.js';
import { strings as t } from '../i18n/strings.js';

/** SegmOnto zone and line types (https://segmonto.github.io). */
export const SEGMONTO_ZONES = [
  'MainZone', 'MarginTextZone', 'NumberingZone', 'RunningTitleZone', 'QuireMarksZone', 'TitlePageZone', 'DropCapitalZone',
  'GraphicZone', 'MusicZone', 'SealZone', 'StampZone', 'TableZone', 'DigitizationArtefactZone', 'DamageZone', 'CustomZone',
] as const;
export const SEGMONTO_LINES = ['DefaultLine', 'HeadingLine', 'DropCapitalLine', 'InterlinearLine', 'MusicLine', 'CustomLine'] as const;

interface Props {
  readonly doc: PageDocument;
  /** The one selected element, or null. */
  readonly selected: string | null;
  readonly onRegionType: (regionId: string, kind: RegionKind, zone: string | null | undefined) => void;
  readonly onLineType: (lineId: string, type: string | null) => void;
}

function TypeSelect({ label, value, options, onChange, name }: { readonly label: string; readonly value: string; readonly options: readonly string[]; readonly onChange: (v: string) => void; readonly name: string }) {
  // A type this list does not know (another tool's) is still shown, not silently replaced.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t.noType}</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PropertiesPanel({ doc, selected, onRegionType, onLineType }: Props) {
  const line = selected ? findLine(doc, selected)?.line : undefined;
  const region = selected && !line ? findRegion(doc, selected) : undefined;
  if (line) {
    return (
      <div className="properties">
        <p className="properties-what">{line.id}</p>
        <TypeSelect name="line-type" label={t.lineType} value={structureType(line.custom) ?? ''} options={SEGMONTO_LINES} onChange={(v) => onLineType(line.id, v || null)} />
      </div>
    );
  }
  if (region) {
    return (
      <div className="properties">
        <p className="properties-what">{region.id}</p>
        <label className="field">
          <span className="field-label">{t.regionKind}</span>
          <select name="region-kind" value={region.kind} onChange={(e) => onRegionType(region.id, e.target.value as RegionKind, undefined)}>
            {REGION_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <TypeSelect name="zone-type" label={t.zoneType} value={structureType(region.custom) ?? ''} options={SEGMONTO_ZONES} onChange={(v) => onRegionType(region.id, region.kind, v || null)} />
      </div>
    );
  }
  return <p className="empty-note">{t.nothingSelected}</p>;
}
