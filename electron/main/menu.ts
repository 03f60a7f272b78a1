/**
 * The application menu. Editing happens in the renderer, so most items just
 * forward a command to it; Undo/Redo carry the label of the edit they undo
 * ("Undo Move baseline point"), which the renderer reports after each change.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, MenuState } from '../common/api/bridge.js';
import { COMMANDS, commandDef, menuAccelerator, type MenuPlace } from '../common/commands/registry.js';

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
  /**
   * An item for a registered command (electron/common/commands/registry.ts): its label
   * and keys come from there. Single keys (V, R, Delete…) are the editor's own
   * shortcuts, handled in the renderer where text fields keep them: the menu shows
   * them but must not register them, or typing "v" in a transcription would switch tools.
   */
  const item = (id: MenuCommand, over: { label?: string; enabled?: boolean } = {}): MenuItemConstructorOptions => {
    const def = commandDef(id);
    const acc = menuAccelerator(def, platform);
    return {
      label: over.label ?? def.menuLabel ?? def.label,
      ...(acc && { accelerator: acc.accelerator }),
      ...(acc && !acc.register && { registerAccelerator: false }),
      enabled: over.enabled ?? true,
      click: () => send(id),
    };
  };
  /** The registry's commands of one menu, in order, a separator between groups, submenus gathered where their first item is. */
  const commandsOf = (place: MenuPlace, over: Partial<Record<MenuCommand, { label?: string; enabled?: boolean }>> = {}): MenuItemConstructorOptions[] => {
    const out: MenuItemConstructorOptions[] = [];
    const subs = new Map<string, MenuItemConstructorOptions[]>();
    let group: number | undefined;
    for (const def of COMMANDS.filter((c) => c.menu === place)) {
      if (group !== undefined && def.group !== group) out.push({ type: 'separator' });
      group = def.group;
      if (def.submenu) {
        let sub = subs.get(def.submenu);
        if (!sub) {
          subs.set(def.submenu, (sub = []));
          out.push({ label: def.submenu, submenu: sub });
        }
        sub.push(item(def.id, over[def.id]));
      } else out.push(item(def.id, over[def.id]));
    }
    return out;
  };
  const recentItems: MenuItemConstructorOptions[] = recent?.dirs.length
    ? [...recent.dirs.map((dir) => ({ label: dir.replace(/&/g, '&&'), click: () => recent.open(dir) })), { type: 'separator' as const }, { label: 'Clear Recent', click: recent.clear }]
    : [{ label: 'No Recent Folders', enabled: false }];
  const [openFolder, ...fileRest] = commandsOf('file', { save: { enabled: state.canSave } });
  const edit = commandsOf('edit', {
    undo: { label: state.undoLabel ? `Undo ${state.undoLabel}` : 'Undo', enabled: state.undoLabel !== null },
    redo: { label: state.redoLabel ? `Redo ${state.redoLabel}` : 'Redo', enabled: state.redoLabel !== null },
  });
  const firstSeparator = edit.findIndex((i) => i.type === 'separator');
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [openFolder!, { label: 'Open Recent', submenu: recentItems }, { type: 'separator' }, ...fileRest, { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' }],
    },
    {
      label: '&Edit',
      // Native clipboard roles after Undo/Redo, for the transcription field.
      submenu: [...edit.slice(0, firstSeparator), { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }, ...edit.slice(firstSeparator)],
    },
    { label: '&Tools', submenu: commandsOf('tools') },
    { label: '&Models', submenu: commandsOf('models') },
    {
      label: '&View',
      submenu: [
        ...commandsOf('view'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(openDevTools ? [{ type: 'separator' as const }, { label: 'Developer Tools', accelerator: 'CmdOrCtrl+Alt+I', click: openDevTools }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [...commandsOf('help'), ...(help ? [{ type: 'separator' as const }, { label: 'Open Log Folder', click: help.openLogFolder }] : [])],
    },
  ];
}
