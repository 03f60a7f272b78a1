/**
 * Which folder of official XSDs HTR Studio checks against, and the check of a file it
 * is about to write. The schemas are third-party files: the build copies them into the
 * app (build/schemas.mjs); a user may also put them in <user data>/schemas, or name a
 * folder (--schemas, HTR_STUDIO_SCHEMAS).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentFormat } from '../../common/model/types.js';
import { runtimePaths } from '../paths.js';
import { validateAgainstXsd } from './xsd-validate.js';

function holdsXsd(dir: string, depth = 0): boolean {
  try {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.xsd')) return true;
      if (e.isDirectory() && depth < 2 && holdsXsd(path.join(dir, e.name), depth + 1)) return true;
    }
  } catch {
    // Missing or unreadable: not a schema folder.
  }
  return false;
}

/** The folder named, else the app's built-in copy, else the user's; undefined when none holds an XSD. */
export function findSchemaFolder(named?: string): string | undefined {
  if (named) return named;
  const paths = runtimePaths();
  return [process.env.HTR_STUDIO_SCHEMAS || paths.schemas, paths.userSchemas].find((d) => holdsXsd(d));
}

/** What stops a file from being written as a success: it fails the XSD of its own format. */
export class SchemaInvalidError extends Error {
  override name = 'SchemaInvalidError';
}

/**
 * Above this the check is skipped (with the reason): libxml2 in WebAssembly holds the
 * whole tree in at most 2 GiB, and a file this big would be refused for want of memory,
 * not for being invalid. xmllint on the command line checks such files.
 */
export const MAX_XSD_CHECK_BYTES = 64 * 1024 * 1024;

/** Why assertSchemaValid would not check a text of `length` characters with this folder (undefined: it would). */
export function schemaCheckSkipped(length: number, folder: string | undefined): string | undefined {
  if (!folder) return 'no schema folder (see validate --help)';
  if (length > MAX_XSD_CHECK_BYTES) return `${(length / 1024 / 1024).toFixed(1)} MB is above the ${MAX_XSD_CHECK_BYTES / 1024 / 1024} MB the built-in XSD check reads (check it with xmllint)`;
  return undefined;
}

/**
 * Checks XML HTR Studio is about to write against the XSD of `format`; throws
 * SchemaInvalidError naming `what` and the first schema error when it fails. Returns
 * undefined when checked, else why it was not (no schema folder, too big), for a warning.
 */
export async function assertSchemaValid(xml: string, format: DocumentFormat, what: string, folder: string | undefined): Promise<string | undefined> {
  const skipped = schemaCheckSkipped(xml.length, folder);
  if (skipped) return skipped;
  await assertSchemaValidBytes(xml, format, what, folder!);
  return undefined;
}

/**
 * As assertSchemaValid, where the caller asked schemaCheckSkipped first: `xml` may be the
 * UTF-8 bytes of a file HTR Studio wrote (no second copy of a big file as a string).
 */
export async function assertSchemaValidBytes(xml: string | Uint8Array, format: DocumentFormat, what: string, folder: string): Promise<void> {
  const r = await validateAgainstXsd(xml, folder, format);
  if (!r.valid) throw new SchemaInvalidError(`${what} would not be valid against ${path.basename(r.schema) || 'its schema'} (${r.errors.length} error(s); first: ${r.errors[0] ?? '?'}); nothing written`);
}
