/**
 * What the Electron preload exposes to the renderer as `window.htrStudio`.
 * Deliberately small: one generic call (validated in main), menu commands and
 * job events in, menu state out. No Node, no ipcRenderer, no file paths.
 */
import { bool, nullable, record, str } from './schema.js';
import type { JobEventListener } from './service.js';

export const BRIDGE_GLOBAL = 'htrStudio';

/** IPC channel names (main and preload agree on these). */
export const IPC = {
  call: 'htr-studio:call',
  command: 'htr-studio:command',
  menuState: 'htr-studio:menu-state',
  jobEvent: 'htr-studio:job-event',
} as const;

/** Menu actions the main process forwards to the renderer. */
export const MENU_COMMANDS = [
  'open-project', 'import', 'save', 'undo', 'redo', 'zoom-in', 'zoom-out', 'zoom-fit', 'zoom-actual', 'next-page', 'previous-page', 'toggle-theme',
  'delete', 'merge', 'move-to-region', 'tool-select', 'tool-region', 'tool-polygon', 'tool-line', 'tool-split', 'tool-order',
  'toggle-order', 'toggle-confidence', 'shortcuts', 'detect-layout', 'recognize-page',
  'export-page-2019', 'export-page-2013', 'export-alto-4', 'next-uncertain', 'previous-uncertain', 'command-palette',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** What the renderer tells the menu: labels for Undo/Redo, whether Save applies. */
export interface MenuState {
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  readonly canSave: boolean;
  readonly title: string;
}

export const menuStateCheck = record({
  undoLabel: nullable(str({ max: 200 })),
  redoLabel: nullable(str({ max: 200 })),
  canSave: bool(),
  title: str({ max: 300 }),
});

export interface StudioBridge {
  /** Resolves to the result envelope (see errors.ts). */
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Subscribes to menu commands; returns the unsubscribe function. */
  onCommand(listener: (command: MenuCommand) => void): () => void;
  setMenuState(state: MenuState): void;
  /** Subscribes to job progress and results; returns the unsubscribe function. */
  onJobEvent(listener: JobEventListener): () => void;
}
