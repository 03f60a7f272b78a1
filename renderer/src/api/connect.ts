/** Picks the transport: the Electron preload's bridge when present, HTTP otherwise. */
import type { JobEventSource, StudioService } from '../../../electron/common/api/service.js';
import { BRIDGE_GLOBAL, type StudioBridge } from '../../../electron/common/api/bridge.js';
import { createClient } from '../../../electron/common/api/methods.js';
import { unwrap } from '../../../electron/common/api/errors.js';
import { httpService, takeToken } from './http-service.js';
import { httpEvents } from './http-events.js';

export type Connection =
  | { readonly mode: 'desktop'; readonly service: StudioService; readonly events: JobEventSource; readonly bridge: StudioBridge }
  | { readonly mode: 'browser'; readonly service: StudioService; readonly events: JobEventSource }
  | { readonly mode: 'no-token' };

export function connect(): Connection {
  const bridge = (window as unknown as Record<string, StudioBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) {
    return { mode: 'desktop', bridge, service: createClient(async (method, args) => unwrap(await bridge.call(method, args))), events: { subscribe: (l) => bridge.onJobEvent(l) } };
  }
  const token = takeToken();
  return token ? { mode: 'browser', service: httpService(token), events: httpEvents(token) } : { mode: 'no-token' };
}
