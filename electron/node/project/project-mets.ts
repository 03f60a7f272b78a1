/**
 * The project's `mets.xml`, kept in step with its pages so OCR-D tools (and any METS
 * reader, HTR Studio's import included) read the project as a workspace: the images
 * (OCR-D-IMG) and transcriptions (OCR-D-GT-SEG-LINE, ALTO) where they lie, by relative
 * path, in the project's page order.
 *
 * Written when the page set or order changes (an import, a page's first save, a
 * reorder) and refreshed when the page list is read and differs — never on a text
 * save, which changes no file's name. Only a mets.xml HTR Studio wrote and nobody
 * added to is rewritten (metsOwnership): one from an OCR-D workspace, a Transkribus
 * export or an OCR-D processor run on the project is left as it is.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ALTO_MIMETYPE, imageMimetype, metsOwnership, PAGE_MIMETYPE, writeMets, type MetsPage } from '../../common/formats/mets-write.js';
import { writeFileAtomic } from '../io/files.js';
import { withFileLock } from '../io/file-lock.js';
import { scanProject, type ScannedPage } from './scan.js';
import { setPageOrder } from './project-manifest.js';

export const PROJECT_METS = 'mets.xml';

export type MetsSync = 'written' | 'unchanged' | 'absent' | 'foreign';

export interface MetsSyncOptions {
  /** Write one when the project has none (an import, a first save); else only refresh HTR Studio's own. */
  readonly create: boolean;
  /** The project's pages, when the caller has just scanned them. */
  readonly pages?: readonly ScannedPage[];
}

function metsPages(pages: readonly ScannedPage[]): MetsPage[] {
  return pages.map((p) => {
    const mime = p.imagePath ? imageMimetype(p.imagePath) : undefined;
    return {
      label: p.name,
      ...(p.imagePath && mime && { image: { href: p.imagePath, mimetype: mime } }),
      ...(p.xmlPath && { transcription: { href: p.xmlPath, mimetype: p.alto ? ALTO_MIMETYPE : PAGE_MIMETYPE } }),
    };
  }).filter((p) => p.image || p.transcription);
}

/** Brings the project's mets.xml in step with its pages (see the file comment for when it is left alone). */
export async function syncProjectMets(root: string, opts: MetsSyncOptions): Promise<MetsSync> {
  const file = path.join(root, PROJECT_METS);
  const pages = opts.pages ?? (await scanProject(root));
  return withFileLock(file, async () => {
    const before = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (before === undefined && !opts.create) return 'absent';
    const owner = before === undefined ? undefined : metsOwnership(before);
    if (owner && !owner.ours) return 'foreign';
    // The creation date stays: an unchanged page list gives the same bytes, and nothing is written.
    const text = writeMets(metsPages(pages), { created: owner?.created ?? new Date().toISOString(), note: 'kept in step with the project by HTR Studio' });
    if (text === before) return 'unchanged';
    await writeFileAtomic(file, text);
    return 'written';
  });
}

/** Puts the project's pages in this order (page ids; those left out follow by name) and mets.xml with them. */
export async function reorderPages(root: string, ids: readonly string[]): Promise<MetsSync> {
  await setPageOrder(root, ids);
  return syncProjectMets(root, { create: true });
}
