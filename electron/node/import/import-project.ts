/**
 * Imports sources into a project: plan (read the sources), stage (write the pages
 * into `.htr-studio/import-…/` inside the project), place (link them into the project
 * in one step, undone on failure), record (the manifest's `imports`). A failure or a
 * cancel at any point leaves the project as it was; only IIIF downloads are kept,
 * in `.htr-studio/downloads/`, so a rerun of the same manifest resumes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { recordImport } from '../project/project-manifest.js';
import { relativeId, scanProject } from '../project/scan.js';
import { syncProjectMets } from '../project/project-mets.js';
import { planSources } from './plan.js';
import { stagePages, placeStaged, isProjectImage } from './stage.js';
import { closePdfs } from './pdf.js';
import { removeDownloads } from './iiif.js';
import { ImportError } from './import-error.js';
import type { ImportOptions, PlanContext } from './plan-types.js';

export { ImportError } from './import-error.js';
export type { ImportOptions, ImportProgress } from './plan-types.js';

export interface ImportedPage {
  /** The page's id in the project (its image path, else its PAGE path). */
  readonly id: string;
  readonly name: string;
  readonly imagePath: string | null;
  readonly xmlPath: string | null;
}

export interface ImportResult {
  readonly pages: readonly ImportedPage[];
  readonly warnings: readonly string[];
}

export const STAGING_DIR = '.htr-studio';

export async function importSources(project: string, sources: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const root = path.resolve(project);
  const st = await fs.stat(root).catch(() => undefined);
  if (st && !st.isDirectory()) throw new ImportError(`${project} is a file, not a project folder`);
  const made = !st;
  await fs.mkdir(root, { recursive: true });
  const stagingRoot = path.join(root, STAGING_DIR);
  const work = path.join(stagingRoot, `import-${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(3).toString('hex')}`);
  const warnings: string[] = [];
  let scratchN = 0;
  const ctx: PlanContext = {
    options,
    projectRoot: root,
    stagingRoot,
    warn: (m) => warnings.push(m),
    scratch: async () => {
      const d = path.join(work, `source-${++scratchN}`);
      await fs.mkdir(d, { recursive: true });
      return d;
    },
  };
  const madeStaging = !(await fs.stat(stagingRoot).catch(() => undefined));
  try {
    options.onProgress?.({ phase: 'reading', done: 0, total: sources.length, message: sources.join(', ') });
    const planned = await planSources(sources, ctx);
    const staged = await stagePages(planned, root, path.join(work, 'stage'), ctx);
    options.signal?.throwIfAborted();
    options.onProgress?.({ phase: 'finishing', done: 0, total: 1, message: '' });
    // The pages there were, in the project's order: the new ones follow them.
    const before = (await scanProject(root)).map((p) => p.id);
    await placeStaged(staged, root, path.join(work, 'stage'));
    const pages: ImportedPage[] = staged.map((s) => ({
      id: s.image && isProjectImage(s.image) ? s.image : (s.xml ?? s.image ?? s.name),
      name: s.name,
      imagePath: s.image,
      xmlPath: s.xml,
    }));
    const shownSource = (src: string): string => (/^https?:/i.test(src) ? src : relativeOrAbsolute(root, src));
    // One document per source, its pages in the source's order.
    const documents = new Map<string, string[]>();
    pages.forEach((p, i) => {
      const name = planned[i]?.document ?? path.basename(root);
      documents.set(name, [...(documents.get(name) ?? []), p.id]);
    });
    await recordImport(root, {
      at: new Date().toISOString(),
      sources: sources.map(shownSource),
      pages: pages.map((p) => p.id),
      ...(options.reference && { referenced: true }),
    }, {
      order: [...before, ...pages.map((p) => p.id)],
      documents: [...documents].map(([name, ids]) => ({ name, pages: ids })),
    });
    // The pages are in: a mets.xml that cannot be written is worth a warning, not undoing the import.
    await syncProjectMets(root, { create: true }).then(
      (r) => r === 'foreign' && warnings.push(`${path.join(root, 'mets.xml')} was written by another program; it is left as it is and does not list the imported pages`),
      (e: Error) => warnings.push(`mets.xml not updated: ${e.message}`),
    );
    await removeDownloads(stagingRoot, planned.flatMap((p) => (p.image?.kind === 'url' ? [p.image.cacheKey] : [])));
    return { pages, warnings };
  } catch (e) {
    // What was made goes, except IIIF downloads: kept for a rerun to resume (in a new project too, which then holds only them).
    const keep = await hasDownloads(stagingRoot);
    if (made && !keep) await fs.rm(root, { recursive: true, force: true });
    else if (madeStaging && !keep) await fs.rm(stagingRoot, { recursive: true, force: true });
    throw e;
  } finally {
    await closePdfs();
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function hasDownloads(stagingRoot: string): Promise<boolean> {
  return (await fs.readdir(path.join(stagingRoot, 'downloads')).catch(() => [])).length > 0;
}

function relativeOrAbsolute(root: string, file: string): string {
  const abs = path.resolve(file);
  const rel = relativeId(root, abs);
  return rel.startsWith('..') ? abs : rel;
}
