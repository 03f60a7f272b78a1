/**
 * The only bridge between the sandboxed renderer and the engine: a generic,
 * schema-checked `call`, menu commands and job events in, menu state out. No Node API and no
 * ipcRenderer object ever reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC, MENU_COMMANDS, type MenuCommand, type MenuState, type StudioBridge } from '../common/api/bridge.js';
import { isJobEvent } from '../common/api/job-events.js';

const bridge: StudioBridge = {
  call: (method, args) => ipcRenderer.invoke(IPC.call, String(method), Array.isArray(args) ? args : []),
  onCommand: (listener) => {
    const wrapped = (_e: IpcRendererEvent, command: unknown): void => {
      if ((MENU_COMMANDS as readonly unknown[]).includes(command)) listener(command as MenuCommand);
    };
    ipcRenderer.on(IPC.command, wrapped);
    return () => ipcRenderer.off(IPC.command, wrapped);
  },
  setMenuState: (state: MenuState) => ipcRenderer.send(IPC.menuState, state),
  onJobEvent: (listener) => {
    const wrapped = (_e: IpcRendererEvent, event: unknown): void => {
      if (isJobEvent(event)) listener(event);
    };
    ipcRenderer.on(IPC.jobEvent, wrapped);
    return () => ipcRenderer.off(IPC.jobEvent, wrapped);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
