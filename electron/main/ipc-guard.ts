/**
 * Checks every IPC message before the engine sees it: it must come from the
 * app's own top-level page (not an iframe, not a page the window was tricked
 * into loading), and its arguments must match the method's schema.
 */
import type { StudioService } from '../common/api/service.js';
import { dispatch } from '../common/api/methods.js';
import type { Envelope } from '../common/api/errors.js';
import { menuStateCheck, type MenuState } from '../common/api/bridge.js';
import { isAppUrl } from './app-origin.js';

/** What main knows about the sender of an IPC message (from event.senderFrame). */
export interface SenderInfo {
  readonly url: string | undefined;
  /** The frame is the main frame of one of our windows. */
  readonly isMainFrame: boolean;
}

export function isTrustedSender(sender: SenderInfo): boolean {
  return sender.isMainFrame && isAppUrl(sender.url);
}

export async function handleApiCall(service: StudioService, sender: SenderInfo, method: unknown, args: unknown): Promise<Envelope> {
  if (!isTrustedSender(sender)) return { ok: false, error: { code: 'bad-request', message: 'refused: the request did not come from HTR Studio' } };
  return dispatch(service, method, args);
}

/** The renderer's menu state, or undefined when the message is not trusted or malformed. */
export function checkMenuState(sender: SenderInfo, state: unknown): MenuState | undefined {
  if (!isTrustedSender(sender)) return undefined;
  try {
    return menuStateCheck(state, 'menuState');
  } catch {
    return undefined;
  }
}
