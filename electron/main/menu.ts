/**
 * The application menu. Editing happens in the renderer, so most items just
 * forward a command to it; Undo/Redo carry the label of the edit they undo
 * ("Undo Move baseline point"), which the renderer reports after each change.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, MenuState } from '../common/api/bridge.js';

export const INITIAL_MENU_STATE: MenuState = { undoLabel: null, redoLabel: null, canSave: false, title: 'HTR Studio' };

/** File › Open Recent: the folders, and what choosing one (or clearing the list) does. */
export interface RecentMenu {
  readonly dirs: readonly string[];
  readonly open: (dir: string) => void;
  readonly clear: () => void;
}

/** Help items main handles itself (not editor commands). */
export interface HelpMenu {
  /** Shows the folder of the session logs (the user data folder's logs/) in the file manager. */
  readonly openLogFolder: () => void;
}

export function menuTemplate(state: MenuState, send: (command: MenuCommand) => void, platform: NodeJS.Platform, openDevTools?: () => void, recent?: RecentMenu, help?: HelpMenu): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string, enabled = true): MenuItemConstructorOptions => ({
    label,
    ...(accelerator && { accelerator }),
    enabled,
    click: () => send(command),
  });
  /**
   * Single keys (V, R, Delete…) are the editor's own shortcuts, handled in the
   * renderer where text fields keep them: the menu shows them but must not
   * register them, or typing "v" in a transcription would switch tools.
   */
  const keyItem = (label: string, command: MenuCommand, key: string): MenuItemConstructorOptions => ({ ...item(label, command, key), registerAccelerator: false });
  const recentItems: MenuItemConstructorOptions[] = recent?.dirs.length
    ? [...recent.dirs.map((dir) => ({ label: dir.replace(/&/g, '&&'), click: () => recent.open(dir) })), { type: 'separator' as const }, { label: 'Clear Recent', click: recent.clear }]
    : [{ label: 'No Recent Folders', enabled: false }];
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Open Folder…', 'open-project', 'CmdOrCtrl+O'),
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        item('Save Page', 'save', 'CmdOrCtrl+S', state.canSave),
        {
          label: 'Export Page As',
          submenu: [item('PAGE-XML 2019…', 'export-page-2019', 'CmdOrCtrl+E'), item('PAGE-XML 2013…', 'export-page-2013'), item('ALTO 4…', 'export-alto-4')],
        },
        { type: 'separator' },
        item('Next Page', 'next-page', 'CmdOrCtrl+PageDown'),
        item('Previous Page', 'previous-page', 'CmdOrCtrl+PageUp'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item(state.undoLabel ? `Undo ${state.undoLabel}` : 'Undo', 'undo', 'CmdOrCtrl+Z', state.undoLabel !== null),
        item(state.redoLabel ? `Redo ${state.redoLabel}` : 'Redo', 'redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y', state.redoLabel !== null),
        { type: 'separator' },
        // Native clipboard roles, for the transcription field.
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        keyItem('Delete Selection', 'delete', 'Delete'),
        keyItem('Merge Lines', 'merge', 'M'),
        keyItem('Move Lines to Region…', 'move-to-region', 'Shift+M'),
      ],
    },
    {
      label: '&Tools',
      submenu: [
        keyItem('Select and Move', 'tool-select', 'V'),
        keyItem('Draw Region', 'tool-region', 'R'),
        keyItem('Draw Polygon Region', 'tool-polygon', 'P'),
        keyItem('Draw Line (Baseline First)', 'tool-line', 'L'),
        keyItem('Split Line', 'tool-split', 'S'),
        keyItem('Order Regions by Clicking', 'tool-order', 'Shift+O'),
      ],
    },
    {
      label: '&Models',
      submenu: [item('Detect Layout on This Page', 'detect-layout'), item('Recognise This Page', 'recognize-page')],
    },
    {
      label: '&View',
      submenu: [
        item('Zoom In', 'zoom-in', 'CmdOrCtrl+='),
        item('Zoom Out', 'zoom-out', 'CmdOrCtrl+-'),
        item('Fit Page', 'zoom-fit', 'CmdOrCtrl+0'),
        item('Actual Size', 'zoom-actual', 'CmdOrCtrl+1'),
        { type: 'separator' },
        keyItem('Reading Order', 'toggle-order', 'O'),
        keyItem('Confidence Overlay', 'toggle-confidence', 'C'),
        { type: 'separator' },
        item('Toggle Dark Theme', 'toggle-theme'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(openDevTools ? [{ type: 'separator' as const }, { label: 'Developer Tools', accelerator: 'CmdOrCtrl+Alt+I', click: openDevTools }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        keyItem('Keyboard Shortcuts', 'shortcuts', 'Shift+/'),
        ...(help ? [{ type: 'separator' as const }, { label: 'Open Log Folder', click: help.openLogFolder }] : []),
      ],
    },
  ];
}
