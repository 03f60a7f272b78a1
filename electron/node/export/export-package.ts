/**
 * Where an export goes and what comes with it: a folder, or one zip (`-o NAME.zip`,
 * or `--zip`, which adds `.zip` to the name), each with export-manifest.json
 * (sources, licences, split, counts). A zip is written as the folder would be, in a
 * hidden staging folder beside it, then zipped atomically (zip-folder.ts) and the
 * staging folder removed: the zip holds exactly the folder export's files, and a
 * failed, refused or interrupted export never leaves a zip under the final name.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { exportGroundTruth, type GtExportOptions, type GtExportResult } from './gt-export.js';
import { writeExportManifest } from './export-manifest.js';
import { done, partialName, zipFolderAtomic } from './zip-folder.js';

export interface ExportDestination {
  /** The folder, or the zip file. */
  readonly path: string;
  readonly zip: boolean;
}

const ZIP = /\.zip$/i;

/** `-o NAME.zip` is a zip; `--zip` makes one of any name (NAME → NAME.zip); else a folder. */
export function exportDestination(output: string, zip = false): ExportDestination {
  const isZip = zip || ZIP.test(output);
  return { path: isZip && !ZIP.test(output) ? `${output}.zip` : output, zip: isZip };
}

/**
 * Runs `write` into the destination's folder: the folder itself, or for a zip a
 * staging folder that is zipped when `keep` says the export is worth keeping (not
 * refused), and removed in every case.
 */
export async function writeToDestination<T>(dest: ExportDestination, write: (dir: string) => Promise<T>, keep: (r: T) => boolean): Promise<T> {
  if (!dest.zip) return write(dest.path);
  await fsp.mkdir(path.dirname(path.resolve(dest.path)), { recursive: true });
  const stage = partialName(dest.path);
  try {
    const r = await write(stage);
    if (keep(r)) await zipFolderAtomic(stage, dest.path);
    return r;
  } finally {
    await fsp.rm(stage, { recursive: true, force: true });
    done(stage);
  }
}

export interface ProjectExportPackage {
  /** argv after the program name, for the manifest; null from the editor. */
  readonly command: readonly string[] | null;
  /** The options that shaped the export (cut, status, split…), recorded as given. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A project export (documents or trainers' layouts) into a folder or a zip, with its manifest. */
export async function exportProjectPackage(inputs: readonly string[], o: Omit<GtExportOptions, 'outDir' | 'relativeListPaths'>, dest: ExportDestination, pkg: ProjectExportPackage): Promise<GtExportResult> {
  return writeToDestination(
    dest,
    async (dir) => {
      const r = await exportGroundTruth(inputs, { ...o, outDir: dir, relativeListPaths: dest.zip });
      if (r.refused) return r;
      await writeExportManifest(dir, {
        format: o.format,
        command: pkg.command,
        options: pkg.options,
        pages: r.exported,
        pageCounts: r.pages,
        lineCounts: r.lines,
        filtered: r.filtered,
        failed: r.failed,
        skipped: r.skipped,
        split: o.split ? { ...o.split } : null,
        seed: o.split ? (o.seed ?? 0) : null,
      });
      return r;
    },
    (r) => !r.refused,
  );
}
