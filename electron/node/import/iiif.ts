/** IIIF Presentation manifests (step in progress). */
import { ImportError } from './import-error.js';
import type { PlanContext, PlannedPage } from './plan-types.js';

export function isIiifManifestText(text: string): boolean {
  return /"@context"\s*:[^]*iiif\.io\/api\/presentation/.test(text.slice(0, 4096));
}

export async function planIiif(source: string, _ctx: PlanContext): Promise<PlannedPage[]> {
  throw new ImportError(`${source}: IIIF import is not available yet`);
}

export async function fetchImage(url: string, _cacheKey: string, _ctx: PlanContext): Promise<string> {
  throw new ImportError(`${url}: IIIF import is not available yet`);
}
