/**
 * Every editor command, defined once: its id (what the menu, the keys, the toolbar
 * and the palette send), its label, its keys and its place in the desktop menu.
 * The desktop menu (electron/main/menu.ts), the `?` help, the command palette and
 * the editor's key handling are all built from this list, so a shortcut shown in one
 * is the shortcut the others use.
 *
 * Keys are written as the help shows them: "V", "Shift+O", "Ctrl+S" (Cmd on macOS),
 * "F8". A command may have several; the first with Ctrl is the menu's accelerator,
 * else the first is shown in the menu without being registered there: single keys
 * belong to the editor, where a text field keeps them for typing.
 */
import type { MenuCommand } from '../api/bridge.js';

export type MenuPlace = 'file' | 'edit' | 'tools' | 'models' | 'view' | 'help';

export interface CommandDef {
  readonly id: MenuCommand;
  /** The name in the palette and the help (and the menu unless `menuLabel`). */
  readonly label: string;
  readonly keys: readonly string[];
  readonly menu?: MenuPlace;
  /** A menu submenu holding the item (File › Export Page As). */
  readonly submenu?: string;
  /** The item's name inside its menu or submenu, where shorter than `label`. */
  readonly menuLabel?: string;
  /** Items of one group sit together; a separator comes between groups. */
  readonly group?: number;
  /** Only where the app has a native dialog (the desktop app). */
  readonly desktopOnly?: boolean;
  /** Handled by the focused canvas, not the window (Delete must not delete from a list row). */
  readonly canvasOnly?: boolean;
}

export const COMMANDS: readonly CommandDef[] = [
  { id: 'open-project', label: 'Open Folder…', keys: ['Ctrl+O'], menu: 'file', group: 0, desktopOnly: true },
  { id: 'import', label: 'Import…', keys: [], menu: 'file', group: 0 },
  { id: 'save', label: 'Save Page', keys: ['Ctrl+S'], menu: 'file', group: 1 },
  { id: 'export-page-2019', label: 'Export Page as PAGE-XML 2019…', menuLabel: 'PAGE-XML 2019…', submenu: 'Export Page As', keys: ['Ctrl+E'], menu: 'file', group: 1 },
  { id: 'export-page-2013', label: 'Export Page as PAGE-XML 2013…', menuLabel: 'PAGE-XML 2013…', submenu: 'Export Page As', keys: [], menu: 'file', group: 1 },
  { id: 'export-alto-4', label: 'Export Page as ALTO 4…', menuLabel: 'ALTO 4…', submenu: 'Export Page As', keys: [], menu: 'file', group: 1 },
  { id: 'next-page', label: 'Next Page', keys: ['Ctrl+PageDown'], menu: 'file', group: 2 },
  { id: 'previous-page', label: 'Previous Page', keys: ['Ctrl+PageUp'], menu: 'file', group: 2 },

  { id: 'undo', label: 'Undo', keys: ['Ctrl+Z'], menu: 'edit', group: 0 },
  { id: 'redo', label: 'Redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], menu: 'edit', group: 0 },
  { id: 'delete', label: 'Delete Selection', keys: ['Delete'], menu: 'edit', group: 2, canvasOnly: true },
  { id: 'merge', label: 'Merge Lines', keys: ['M'], menu: 'edit', group: 2 },
  { id: 'move-to-region', label: 'Move Lines to Region…', keys: ['Shift+M'], menu: 'edit', group: 2 },

  { id: 'tool-select', label: 'Select and Move', keys: ['V'], menu: 'tools' },
  { id: 'tool-region', label: 'Draw Region', keys: ['R'], menu: 'tools' },
  { id: 'tool-polygon', label: 'Draw Polygon Region', keys: ['P'], menu: 'tools' },
  { id: 'tool-line', label: 'Draw Line (Baseline First)', keys: ['L'], menu: 'tools' },
  { id: 'tool-split', label: 'Split Line', keys: ['S'], menu: 'tools' },
  { id: 'tool-order', label: 'Order Regions by Clicking', keys: ['Shift+O'], menu: 'tools' },

  { id: 'detect-layout', label: 'Detect Layout on This Page', keys: [], menu: 'models', group: 0 },
  { id: 'recognize-page', label: 'Recognise This Page', keys: [], menu: 'models', group: 0 },
  { id: 'next-uncertain', label: 'Next Uncertain Line', keys: ['F8'], menu: 'models', group: 1 },
  { id: 'previous-uncertain', label: 'Previous Uncertain Line', keys: ['Shift+F8'], menu: 'models', group: 1 },

  { id: 'zoom-in', label: 'Zoom In', keys: ['+', 'Ctrl+=', '='], menu: 'view', group: 0 },
  { id: 'zoom-out', label: 'Zoom Out', keys: ['-', 'Ctrl+-'], menu: 'view', group: 0 },
  { id: 'zoom-fit', label: 'Fit Page', keys: ['0', 'Ctrl+0'], menu: 'view', group: 0 },
  { id: 'zoom-actual', label: 'Actual Size', keys: ['1', 'Ctrl+1'], menu: 'view', group: 0 },
  { id: 'toggle-order', label: 'Reading Order', keys: ['O'], menu: 'view', group: 1 },
  { id: 'toggle-confidence', label: 'Confidence Overlay', keys: ['C'], menu: 'view', group: 1 },
  { id: 'toggle-theme', label: 'Toggle Dark Theme', keys: [], menu: 'view', group: 2 },

  { id: 'command-palette', label: 'Command Palette…', keys: ['Ctrl+Shift+P'], menu: 'help', group: 0 },
  { id: 'shortcuts', label: 'Keyboard Shortcuts', keys: ['?'], menu: 'help', group: 0 },
];

/** Gestures and keys of the editor that are not commands (shown in the help after the commands). */
export const GESTURES: ReadonlyArray<readonly [string, string]> = [
  ['Enter', 'Edit the selected line\u2019s text; in the text: keep it and go to the next line'],
  ['Ctrl+Enter (in the text)', 'Verify the line: its text is right; go to the next line'],
  ['Esc (in the text)', 'Undo the typing and go back to the page'],
  ['Tab / Shift+Tab', 'Next / previous line'],
  ['Alt+↑ / Alt+↓ (line list)', 'Move the line up or down within its region'],
  ['Drag a selected element', 'Move the whole region or line'],
  ['Ctrl+C / Ctrl+V', 'Copy / paste regions and lines'],
  ['Shift+click', 'Add to selection'],
  ['Drag a point', 'Move a baseline or outline point'],
  ['Double-click outline', 'Insert a point'],
  ['Arrows', 'Pan, or move the selected point (Shift: 10 px)'],
  ['Space+drag, middle drag', 'Pan'],
  ['Esc', 'Back to select; clear selection'],
];

export function commandDef(id: MenuCommand): CommandDef {
  const def = COMMANDS.find((c) => c.id === id);
  if (!def) throw new Error(`no command ${id}`);
  return def;
}

/** The menu accelerator of a command (Electron's spelling), and whether the menu registers it. */
export function menuAccelerator(def: CommandDef, platform: string): { accelerator: string; register: boolean } | undefined {
  if (def.id === 'redo') return { accelerator: platform === 'darwin' ? 'Shift+Cmd+Z' : 'Ctrl+Y', register: true };
  const withCtrl = def.keys.find((k) => k.startsWith('Ctrl+'));
  if (withCtrl) return { accelerator: withCtrl.replace(/^Ctrl\+/, 'CmdOrCtrl+'), register: true };
  const first = def.keys[0];
  if (!first) return undefined;
  // Shown, not registered: the editor handles it where no text field has the focus.
  return { accelerator: first === '?' ? 'Shift+/' : first, register: false };
}

/** The help's rows: every command with keys, then the gestures. */
export function helpRows(): Array<readonly [string, string]> {
  return [...COMMANDS.filter((c) => c.keys.length).map((c) => [c.keys.join(' / '), c.label] as const), ...GESTURES];
}

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** One key as the registry writes it: symbols come with or without Shift (layouts differ), letters in capitals. */
function spell(k: KeyPress): string {
  const single = k.key.length === 1;
  const name = single ? k.key.toUpperCase() : k.key;
  const symbol = single && !/[\p{L}\p{N}]/u.test(k.key);
  return `${k.ctrlKey || k.metaKey ? 'Ctrl+' : ''}${k.altKey ? 'Alt+' : ''}${k.shiftKey && !symbol ? 'Shift+' : ''}${name}`;
}

/** Registry keys are written in the same form `spell` gives: Ctrl+, Alt+, Shift+ in that order, letters in capitals. */
const BY_KEY = new Map<string, CommandDef>(COMMANDS.flatMap((c) => c.keys.map((k) => [k, c] as const)));

/** The command a key press stands for, if any (canvas-only commands are the canvas's). */
export function commandForKey(k: KeyPress): CommandDef | undefined {
  const def = BY_KEY.get(spell(k));
  return def && !def.canvasOnly ? def : undefined;
}

/** Whether a key press is a plain typing key, which a text field must keep. */
export function typesText(k: KeyPress): boolean {
  return k.key.length === 1 && !k.ctrlKey && !k.metaKey && !k.altKey;
}

/**
 * Commands matching what was typed in the palette, best first: every typed
 * character in order in the label (or an id word), earlier and contiguous hits
 * scoring higher — "fit" finds Fit Page, "rec pa" Recognise This Page.
 */
export function matchCommands(query: string, commands: readonly CommandDef[] = COMMANDS): CommandDef[] {
  const q = query.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!q) return [...commands];
  const score = (text: string): number => {
    const t = text.toLowerCase();
    let at = 0;
    let s = 0;
    let last = -2;
    for (const ch of q) {
      if (ch === ' ') continue;
      const i = t.indexOf(ch, at);
      if (i < 0) return -1;
      s += (i === last + 1 ? 3 : 1) + (i === 0 || t[i - 1] === ' ' ? 2 : 0);
      last = i;
      at = i + 1;
    }
    return s - t.length / 100;
  };
  return commands
    .map((c) => ({ c, s: Math.max(score(c.label), score(c.id.replace(/-/g, ' '))) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => b.s - a.s)
    .map((x) => x.c);
}
