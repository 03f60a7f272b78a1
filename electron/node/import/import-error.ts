/**
 * A problem with what the person asked to import (a hostile zip, a file that is not
 * what its name says, a URL that is not HTTP(S)): reported in one line, nothing in
 * the project changed. Anything else thrown during an import is a bug or an I/O fault.
 */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** Limits that keep a hostile or mistaken source from filling the disk. */
export const IMPORT_LIMITS = {
  /** Total bytes a zip may expand to. */
  zipMaxBytes: 2 * 1024 ** 3,
  /** Expanded ÷ compressed size beyond which a zip is a bomb, not an export (text compresses ~10×). */
  zipMaxRatio: 200,
  zipMaxEntries: 100_000,
  /** One downloaded (IIIF) image. */
  downloadMaxBytes: 200 * 1024 ** 2,
  /** Pixels of one rendered or decoded page image (sharp's own default limit is ~268 M). */
  maxPixels: 268_402_689,
};
