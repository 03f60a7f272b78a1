/**
 * Which command a key press anywhere in the editor window runs: one rule for
 * the registry's shortcuts, text fields and the tools' Enter and Esc. Pure, so
 * the rule ("single keys never fire in a text field, and never type into one")
 * is unit-tested without a browser.
 */
import { commandForKey, typesText, type KeyPress } from '../../../../electron/common/commands/registry.js';
import type { MenuCommand } from '../../../../electron/common/api/bridge.js';
import type { Tool } from '../../canvas/tools.js';

export interface KeyContext {
  /** The key went to a text field (the line's text, a search box, a select). */
  readonly inText: boolean;
  /** The desktop app, whose menu owns the Ctrl/Cmd accelerators. */
  readonly desktop: boolean;
  readonly tool: Tool;
}

export type KeyDecision =
  | { readonly kind: 'command'; readonly id: MenuCommand }
  /** Enter or Esc in "order by clicking": the order is kept and the select tool comes back. */
  | { readonly kind: 'end-order' }
  /** Esc: cancels a drag, leaves a drawing tool, or else clears the selection. */
  | { readonly kind: 'escape' }
  /** Not the editor's: the key does what it does where it went (typing, the field's own undo…). */
  | { readonly kind: 'pass' };

export function routeKey(k: KeyPress, ctx: KeyContext): KeyDecision {
  const mod = k.ctrlKey || k.metaKey;
  const def = commandForKey(k);
  if (def && mod) {
    // In the desktop app the menu owns these accelerators; in a text field Undo/Redo are the field's first.
    if (ctx.desktop || (ctx.inText && (def.id === 'undo' || def.id === 'redo'))) return { kind: 'pass' };
    return { kind: 'command', id: def.id };
  }
  // Typing keys never fire commands in a text field, and never type into one (F8 types nothing: it works there too).
  if (def && !(ctx.inText && typesText(k)) && !k.altKey) return { kind: 'command', id: def.id };
  if (ctx.inText || k.altKey || mod) return { kind: 'pass' };
  if (ctx.tool === 'order' && (k.key === 'Enter' || k.key === 'Escape')) return { kind: 'end-order' };
  if (k.key === 'Escape') return { kind: 'escape' };
  return { kind: 'pass' };
}
