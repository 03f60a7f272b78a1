/**
 * The application menu. Editing happens in the renderer, so most items just
 * forward a command to it; Undo/Redo carry the label of the edit they undo
 * ("Undo Move baseline point"), which the renderer reports after each change.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, MenuState } from '../common/api/bridge.js';

export const INITIAL_MENU_STATE: MenuState = { undoLabel: null, redoLabel: null, canSave: false, title: 'HTR Studio' };

export function menuTemplate(state: MenuState, send: (command: MenuCommand) => void, platform: NodeJS.Platform, openDevTools?: () => void): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string, enabled = true): MenuItemConstructorOptions => ({
    label,
    ...(accelerator && { accelerator }),
    enabled,
    click: () => send(command),
  });
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Open Folder…', 'open-project', 'CmdOrCtrl+O'),
        { type: 'separator' },
        item('Save Page', 'save', 'CmdOrCtrl+S', state.canSave),
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
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Zoom In', 'zoom-in', 'CmdOrCtrl+='),
        item('Zoom Out', 'zoom-out', 'CmdOrCtrl+-'),
        item('Fit Page', 'zoom-fit', 'CmdOrCtrl+0'),
        item('Actual Size', 'zoom-actual', 'CmdOrCtrl+1'),
        { type: 'separator' },
        item('Toggle Dark Theme', 'toggle-theme'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(openDevTools ? [{ type: 'separator' as const }, { label: 'Developer Tools', accelerator: 'CmdOrCtrl+Alt+I', click: openDevTools }] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
}
