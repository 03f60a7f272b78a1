/**
 * The BrowserWindow options, in a plain module so tests check them without
 * Electron. The renderer gets no Node, runs sandboxed and isolated from the
 * preload, and can reach the engine only through the preload's small bridge.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowState } from './window-state.js';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function windowOptions(preloadPath: string, state: WindowState, dark: boolean): BrowserWindowConstructorOptions {
  return {
    ...(state.x !== undefined && state.y !== undefined && { x: state.x, y: state.y }),
    width: state.width,
    height: state.height,
    minWidth: 720,
    minHeight: 480,
    title: 'HTR Studio',
    // Avoids a white flash before the first paint in the dark theme.
    backgroundColor: dark ? '#16181d' : '#f6f7f9',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  };
}
