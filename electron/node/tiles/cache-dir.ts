/** Where derived files (tile pyramids) are cached: the OS per-user cache folder, never the project (it may be read-only). */
import os from 'node:os';
import path from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.HTR_STUDIO_CACHE_DIR) return path.resolve(env.HTR_STUDIO_CACHE_DIR);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'htr-studio', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'htr-studio');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'htr-studio');
}
