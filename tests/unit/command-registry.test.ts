/**
 * One definition per command (electron/common/commands/registry.ts): the desktop
 * menu, the `?` help, the palette and the editor's keys all come from it, so the
 * shortcut one shows is the shortcut the others use.
 */
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS } from '../../electron/common/api/bridge.js';
import { COMMANDS, commandForKey, GESTURES, helpRows, matchCommands, menuAccelerator, typesText } from '../../electron/common/commands/registry.js';
import { menuTemplate } from '../../electron/main/menu.js';

const all = (t: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => t.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? all(m.submenu) : [])]);
const state = { undoLabel: null, redoLabel: null, canSave: true, title: 'x' };
const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('the command registry', () => {
  it('defines every command the editor and the menu send, once', () => {
    expect(COMMANDS.map((c) => c.id).sort()).toEqual([...MENU_COMMANDS].sort());
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    // No key stands for two commands.
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    it(`is what the ${platform} menu shows: each command once, its label and its shortcut`, () => {
      const sent: string[] = [];
      const items = all(menuTemplate(state, (c) => sent.push(c), platform)).filter((i) => typeof i.click === 'function' && !i.role && i.label !== 'Developer Tools');
      for (const i of items) (i.click as () => void)();
      expect(sent.sort()).toEqual(COMMANDS.filter((c) => c.menu).map((c) => c.id).sort());
      for (const def of COMMANDS.filter((c) => c.menu)) {
        const shown = items.find((x) => x.label === (def.menuLabel ?? def.label) || (def.id === 'undo' && x.label === 'Undo') || (def.id === 'redo' && x.label === 'Redo'));
        expect(shown, def.id).toBeDefined();
        const acc = menuAccelerator(def, platform);
        expect(shown!.accelerator, def.id).toBe(acc?.accelerator);
        // Single keys are shown, never registered: typing in a transcription must not fire them.
        expect(shown!.registerAccelerator, def.id).toBe(acc && !acc.register ? false : undefined);
      }
    });
  }

  it('is what the help lists: every command with keys, with the keys the menu shows', () => {
    const rows = helpRows();
    for (const def of COMMANDS.filter((c) => c.keys.length)) {
      const row = rows.find(([, what]) => what === def.label);
      expect(row, def.id).toBeDefined();
      expect(row![0]).toBe(def.keys.join(' / '));
      const acc = menuAccelerator(def, 'linux')!;
      const shownInMenu = acc.accelerator.replace(/^CmdOrCtrl\+/, 'Ctrl+').replace('Shift+/', '?');
      if (def.id !== 'redo') expect(def.keys, def.id).toContain(shownInMenu);
    }
    expect(rows.slice(-GESTURES.length)).toEqual([...GESTURES]);
  });

  it('maps key presses to commands as the editor handles them', () => {
    expect(commandForKey(press('v'))?.id).toBe('tool-select');
    expect(commandForKey(press('O', { shiftKey: true }))?.id).toBe('tool-order');
    expect(commandForKey(press('o'))?.id).toBe('toggle-order');
    expect(commandForKey(press('+', { shiftKey: true }))?.id).toBe('zoom-in');
    expect(commandForKey(press('=', { ctrlKey: true }))?.id).toBe('zoom-in');
    expect(commandForKey(press('?', { shiftKey: true }))?.id).toBe('shortcuts');
    expect(commandForKey(press('s', { metaKey: true }))?.id).toBe('save');
    expect(commandForKey(press('s'))?.id).toBe('tool-split');
    expect(commandForKey(press('Z', { ctrlKey: true, shiftKey: true }))?.id).toBe('redo');
    expect(commandForKey(press('P', { ctrlKey: true, shiftKey: true }))?.id).toBe('command-palette');
    expect(commandForKey(press('F8'))?.id).toBe('next-uncertain');
    expect(commandForKey(press('F8', { shiftKey: true }))?.id).toBe('previous-uncertain');
    // Delete belongs to the canvas (a list row must not delete the selection); unknown keys are nothing.
    expect(commandForKey(press('Delete'))).toBeUndefined();
    expect(commandForKey(press('q'))).toBeUndefined();
    expect(commandForKey(press('v', { altKey: true }))).toBeUndefined();
    expect(typesText(press('v'))).toBe(true);
    expect(typesText(press('F8'))).toBe(false);
    expect(typesText(press('s', { ctrlKey: true }))).toBe(false);
  });

  it('finds commands in the palette by a few letters of their name', () => {
    expect(matchCommands('fit')[0]!.id).toBe('zoom-fit');
    expect(matchCommands('rec pa')[0]!.id).toBe('recognize-page');
    expect(matchCommands('uncertain').slice(0, 2).map((c) => c.id).sort()).toEqual(['next-uncertain', 'previous-uncertain']);
    expect(matchCommands('zzqx')).toEqual([]);
    expect(matchCommands('')).toHaveLength(COMMANDS.length);
  });
});
