/**
 * The selected region's PAGE type and SegmOnto zone type, or the selected
 * line's SegmOnto line type (`custom="structure {type:…;}"`), and for selected
 * lines "Move to region…". Each change is one undoable edit.
 */
import { useState } from 'react';
import type { PageDocument, Region, RegionKind } from '../../../electron/common/model/types.js';
import { REGION_KINDS } from '../../../electron/common/model/types.js';
import { findLine, findRegion, regionsInReadingOrder, TEXT_REGION_TYPES } from '../../../electron/common/model/ops.js';
import { structureType } from '../../../electron/common/model/custom-attr.js';
import { textTags } from '../../../electron/common/model/custom-tags.js';
import { lineText } from '../../../electron/common/model/stats.js';
import { SEGMONTO_LINES, SEGMONTO_ZONES } from '../../../electron/common/model/segmonto.js';
import { strings as t } from '../i18n/strings.js';
import { LineHistory } from './LineHistory.js';

interface Props {
  readonly doc: PageDocument;
  /** The one selected element, or null. */
  readonly selected: string | null;
  readonly onRegionType: (regionId: string, kind: RegionKind, zone: string | null | undefined) => void;
  readonly onLineType: (lineId: string, type: string | null) => void;
  readonly onRegionSubtype: (regionId: string, type: string | null) => void;
  /** Every selected line id (one or many). */
  readonly selectedLines: readonly string[];
  readonly onMoveLines: (regionId: string) => void;
  readonly onRestoreVersion: (lineId: string, text: string) => void;
}

/** Text regions (any depth) in reading order: where lines can go. */
function textRegions(doc: PageDocument): Region[] {
  return regionsInReadingOrder(doc).flatMap((id) => {
    const r = findRegion(doc, id);
    return r && (r.kind === 'TextRegion' || r.kind === 'TableCell') ? [r] : [];
  });
}

/** A list of the page's text regions and a Move button; Enter in the list moves too (the keyboard path: Shift+M focuses it). */
function MoveToRegion({ doc, lineIds, onMove }: { readonly doc: PageDocument; readonly lineIds: readonly string[]; readonly onMove: (regionId: string) => void }) {
  const homes = new Set(lineIds.map((id) => findLine(doc, id)?.region.id));
  const all = textRegions(doc);
  // Regions the lines could go to: all but the one region every selected line is already in.
  const targets = homes.size === 1 ? all.filter((r) => !homes.has(r.id)) : all;
  const [choice, setChoice] = useState<string>('');
  const value = targets.some((r) => r.id === choice) ? choice : (targets[0]?.id ?? '');
  if (!targets.length) return <p className="empty-note move-to-region-none">{t.noOtherRegion}</p>;
  const move = (): void => {
    if (value) onMove(value);
  };
  return (
    <div className="move-to-region">
      <label className="field">
        <span className="field-label">{t.moveToRegion}</span>
        <select
          name="move-to-region"
          aria-label={t.moveToRegionLabel(lineIds.length)}
          title={t.moveToRegionLabel(lineIds.length)}
          value={value}
          onChange={(e) => setChoice(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            move();
          }}
        >
          {targets.map((r) => (
            <option key={r.id} value={r.id}>
              {t.regionOption(all.indexOf(r) + 1, r.id, r.lines.length)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="ghost-button small move-to-region-button" onClick={move}>
        {t.moveToRegionButton}
      </button>
    </div>
  );
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

/** The line's text tags (abbreviations, unclear passages, names…), each with the characters it marks. */
function LineTags({ custom, text }: { readonly custom: string | undefined; readonly text: string }) {
  const tags = textTags(custom, text);
  if (!tags.length) return null;
  return (
    <div className="line-tags">
      <span className="field-label">{t.lineTags}</span>
      <ul aria-label={t.lineTags}>
        {tags.map((tag, i) => (
          <li key={i} className="line-tag">
            <span className="line-tag-name">{tag.name}</span> <q dir="auto">{tag.text}</q>
            {Object.entries(tag.props).map(([k, v]) => (
              <span key={k} className="line-tag-prop">
                {' '}
                {k}: {v.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PropertiesPanel({ doc, selected, onRegionType, onLineType, onRegionSubtype, selectedLines, onMoveLines, onRestoreVersion }: Props) {
  const line = selected ? findLine(doc, selected)?.line : undefined;
  const region = selected && !line ? findRegion(doc, selected) : undefined;
  if (line) {
    return (
      <div className="properties">
        <p className="properties-what">{line.id}</p>
        <TypeSelect name="line-type" label={t.lineType} value={structureType(line.custom) ?? ''} options={SEGMONTO_LINES} onChange={(v) => onLineType(line.id, v || null)} />
        <LineTags custom={line.custom} text={lineText(line)} />
        <MoveToRegion doc={doc} lineIds={[line.id]} onMove={onMoveLines} />
        <LineHistory line={line} format={doc.format} onRestore={onRestoreVersion} />
      </div>
    );
  }
  if (!selected && selectedLines.length > 1) {
    return (
      <div className="properties">
        <p className="properties-what">{t.selectionCount(selectedLines.length)}</p>
        <MoveToRegion doc={doc} lineIds={selectedLines} onMove={onMoveLines} />
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
        {region.kind === 'TextRegion' && (
          <TypeSelect name="text-type" label={t.textType} value={region.type ?? ''} options={TEXT_REGION_TYPES} onChange={(v) => onRegionSubtype(region.id, v || null)} />
        )}
        <TypeSelect name="zone-type" label={t.zoneType} value={structureType(region.custom) ?? ''} options={SEGMONTO_ZONES} onChange={(v) => onRegionType(region.id, region.kind, v || null)} />
      </div>
    );
  }
  return <p className="empty-note">{t.nothingSelected}</p>;
}
