/** Tools, edit commands, zoom and theme. Every button has an accessible name and a tooltip with its key. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ExportFormat } from '../../../electron/common/api/service.js';
import { TARGET_FORMATS } from '../../../electron/common/formats/document-io.js';
import { strings as t } from '../i18n/strings.js';
import type { Tool } from '../canvas/PageCanvas.js';
import type { Theme } from '../canvas/palette.js';
import { icons } from './icons.js';
import type { Layers } from '../canvas/layers.js';

export interface ToolbarProps {
  readonly tool: Tool;
  readonly onTool: (tool: Tool) => void;
  readonly canMerge: boolean;
  readonly canDelete: boolean;
  readonly undoLabel: string | undefined;
  readonly redoLabel: string | undefined;
  readonly dirty: boolean;
  readonly saving: boolean;
  readonly zoomPercent: number;
  readonly layers: Layers;
  readonly onLayer: (layer: keyof Layers) => void;
  readonly theme: Theme;
  readonly onCommand: (command: 'merge' | 'delete' | 'undo' | 'redo' | 'save' | 'zoom-in' | 'zoom-out' | 'zoom-fit' | 'zoom-actual' | 'toggle-order' | 'toggle-theme' | 'shortcuts') => void;
  readonly onExport: (format: ExportFormat) => void;
}

const EXPORT_FORMATS: readonly ExportFormat[] = TARGET_FORMATS;

/** "Export page as": a button opening a short menu of formats (Esc or a click elsewhere closes it). */
function ExportMenu({ onExport }: { readonly onExport: (format: ExportFormat) => void }) {
  // Where the list opens, on screen: fixed, since the toolbar scrolls and would clip it.
  const [open, setOpen] = useState<{ readonly top: number; readonly right: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent): void => {
      if (!box.current?.contains(e.target as Node)) setOpen(null);
    };
    const esc = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(null);
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', esc, { capture: true });
    box.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', esc, { capture: true });
    };
  }, [open !== null]);
  return (
    <div className="tb-menu" ref={box}>
      <button
        type="button"
        className="tb-button tb-export"
        aria-label={t.exportAs}
        title={t.exportAs}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setOpen((o) => (o ? null : { top: r.bottom + 4, right: Math.max(8, window.innerWidth - r.right) }));
        }}
      >
        {icons.exportFile}
      </button>
      {open && (
        <div className="tb-menu-list" role="menu" aria-label={t.exportAs} style={{ top: open.top, right: open.right }}>
          {EXPORT_FORMATS.map((f) => (
            <button
              key={f}
              type="button"
              role="menuitem"
              data-format={f}
              onClick={() => {
                setOpen(null);
                onExport(f);
              }}
            >
              {t.exportFormats[f]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function Button({ label, onClick, disabled, pressed, children, className }: { readonly label: string; readonly onClick: () => void; readonly disabled?: boolean; readonly pressed?: boolean; readonly children: ReactNode; readonly className?: string }) {
  return (
    <button type="button" className={`tb-button ${className ?? ''}`} aria-label={label} title={label} onClick={onClick} disabled={disabled} {...(pressed !== undefined && { 'aria-pressed': pressed })}>
      {children}
    </button>
  );
}

const layerButtons: [keyof Layers, string, ReactNode][] = [
  ['regions', t.layerRegions, icons.layerRegions],
  ['lines', t.layerLines, icons.layerLines],
  ['baselines', t.layerBaselines, icons.layerBaselines],
  ['order', t.showOrder, icons.order],
  ['confidence', t.layerConfidence, icons.confidence],
];

export function Toolbar(p: ToolbarProps) {
  const tools: [Tool, string, ReactNode][] = [
    ['select', t.toolSelect, icons.select],
    ['region', t.toolRegion, icons.region],
    ['polygon', t.toolPolygon, icons.polygon],
    ['line', t.toolLine, icons.line],
    ['split', t.toolSplit, icons.split],
    ['order', t.toolOrder, icons.order],
  ];
  return (
    <div className="toolbar" role="toolbar" aria-label={t.tools}>
      <div className="tb-group" role="radiogroup" aria-label={t.tools}>
        {tools.map(([tool, label, icon]) => (
          <button key={tool} type="button" role="radio" aria-checked={p.tool === tool} className={`tb-button ${p.tool === tool ? 'is-active' : ''}`} aria-label={label} title={label} data-tool={tool} onClick={() => p.onTool(tool)}>
            {icon}
          </button>
        ))}
      </div>
      <div className="tb-group">
        <Button label={t.mergeLines} onClick={() => p.onCommand('merge')} disabled={!p.canMerge}>
          {icons.merge}
        </Button>
        <Button label={t.deleteSelection} onClick={() => p.onCommand('delete')} disabled={!p.canDelete}>
          {icons.trash}
        </Button>
      </div>
      <div className="tb-group">
        <Button label={t.undo(p.undoLabel)} onClick={() => p.onCommand('undo')} disabled={!p.undoLabel}>
          {icons.undo}
        </Button>
        <Button label={t.redo(p.redoLabel)} onClick={() => p.onCommand('redo')} disabled={!p.redoLabel}>
          {icons.redo}
        </Button>
      </div>
      <div className="tb-group">
        <Button label={t.zoomOut} onClick={() => p.onCommand('zoom-out')}>
          {icons.zoomOut}
        </Button>
        <button type="button" className="tb-button tb-zoom" aria-label={`${t.zoomActual}: ${t.zoomLevel(p.zoomPercent)}`} title={t.zoomActual} onClick={() => p.onCommand('zoom-actual')}>
          {t.zoomLevel(p.zoomPercent)}
        </button>
        <Button label={t.zoomIn} onClick={() => p.onCommand('zoom-in')}>
          {icons.zoomIn}
        </Button>
        <Button label={t.zoomFit} onClick={() => p.onCommand('zoom-fit')}>
          {icons.fit}
        </Button>
      </div>
      <div className="tb-group" role="group" aria-label={t.layers}>
        {layerButtons.map(([layer, label, icon]) => (
          <Button key={layer} label={label} onClick={() => p.onLayer(layer)} pressed={p.layers[layer]} className={`tb-layer tb-layer-${layer}`}>
            {icon}
          </Button>
        ))}
      </div>
      <div className="tb-spacer" />
      <div className="tb-group">
        <Button label={t.shortcuts} onClick={() => p.onCommand('shortcuts')}>
          {icons.keyboard}
        </Button>
        <ExportMenu onExport={p.onExport} />
        <Button label={p.theme === 'dark' ? t.themeToLight : t.themeToDark} onClick={() => p.onCommand('toggle-theme')}>
          {p.theme === 'dark' ? icons.sun : icons.moon}
        </Button>
        <button type="button" className={`tb-save ${p.dirty ? 'is-dirty' : ''}`} aria-label={t.save} title={t.save} onClick={() => p.onCommand('save')} disabled={!p.dirty || p.saving}>
          {icons.save}
          <span>{p.dirty ? t.saveShort : t.saved}</span>
        </button>
      </div>
    </div>
  );
}
