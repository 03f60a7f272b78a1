/** The window's size and place, and the last project, remembered between runs (a small JSON file in userData). */

export interface WindowState {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
  readonly lastProject?: string;
  /**
   * Project folders opened before, most recent first, as older versions kept them;
   * now the engine's recent.json (electron/node/project/recent-projects.ts) holds them,
   * and main carries these over once.
   */
  readonly recentProjects?: readonly string[];
}

/** How many folders an older window-state.json listed. */
export const MAX_RECENT = 8;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);

/** Reads a saved state, tolerating a missing, old or hand-edited file. */
export function parseWindowState(text: string | undefined): WindowState {
  let raw: Record<string, unknown> = {};
  try {
    const v = JSON.parse(text ?? '{}') as unknown;
    if (v && typeof v === 'object') raw = v as Record<string, unknown>;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
  const width = num(raw.width);
  const height = num(raw.height);
  const x = num(raw.x);
  const y = num(raw.y);
  return {
    width: width && width >= 400 ? width : DEFAULT_WINDOW_STATE.width,
    height: height && height >= 300 ? height : DEFAULT_WINDOW_STATE.height,
    ...(x !== undefined && y !== undefined && { x, y }),
    maximized: raw.maximized === true,
    ...(typeof raw.lastProject === 'string' && raw.lastProject && { lastProject: raw.lastProject }),
    ...(Array.isArray(raw.recentProjects) && {
      recentProjects: [...new Set(raw.recentProjects.filter((d): d is string => typeof d === 'string' && d.length > 0 && d.length < 4096))].slice(0, MAX_RECENT),
    }),
  };
}

/**
 * Keeps the window reachable: if its saved place is on no current display (a
 * monitor was unplugged), it opens centred on the primary one instead.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined || workAreas.length === 0) return state;
  const visible = workAreas.some((a) => state.x! + 100 <= a.x + a.width && state.x! + state.width - 100 >= a.x && state.y! >= a.y - 10 && state.y! + 40 <= a.y + a.height);
  if (visible) return state;
  const { x: _x, y: _y, ...rest } = state;
  const primary = workAreas[0]!;
  return { ...rest, width: Math.min(state.width, primary.width), height: Math.min(state.height, primary.height) };
}
