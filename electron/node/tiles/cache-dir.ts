/** Where derived files (tile pyramids) are cached: the OS per-user cache folder (electron/node/paths.ts), never the project (it may be read-only). */
import os from 'node:os';
import { tileCacheDir } from '../paths.js';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  return tileCacheDir({ env, platform, home });
}
