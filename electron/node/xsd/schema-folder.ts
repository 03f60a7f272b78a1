/**
 * Which folder of official XSDs HTR Studio checks against, and the check of a file it
 * is about to write. The schemas are third-party files: the build copies them into the
 * app (build/schemas.mjs); a user may also put them in <user data>/schemas, or name a
 * folder (--schemas, HTR_STUDIO_SCHEMAS).
 */
import fs from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentFormat } from '../../common/model/types.js';
import { DEFAULT_LIMITS } from '../../common/xml/xml-parse.js';
import { validateXmlStream, XsdStreamCheck } from '../../common/xsd/xsd-stream.js';
import { readXmlPieces } from '../io/files.js';
import { runtimePaths } from '../paths.js';
import { compiledSchemaFor } from './xsd-compiled.js';
import { validateAgainstXsd, type XsdResult } from './xsd-validate.js';

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
 * Above this a schema the streaming validator does not read (a user's own folder) is not
 * checked (with the reason): libxml2 in WebAssembly holds the whole tree in at most 2 GiB,
 * and a file this big would be refused for want of memory, not for being invalid. The
 * built-in XSDs are read by the streaming validator, which checks a file of any size.
 */
export const MAX_XSD_CHECK_BYTES = 64 * 1024 * 1024;

/** A file HTR Studio wrote, checked where it lies (read in pieces, never one string). */
export interface WrittenFile {
  readonly file: string;
}

/**
 * The XSD check of `xml` (a text, or a file read in pieces) against the schema of `format`
 * in `folder`: the streaming validator (xsd-stream.ts) where it reads the schema and the
 * file, else libxml2 (xsd-validate.ts) up to MAX_XSD_CHECK_BYTES. `skipped`: why it was not checked.
 */
export async function checkAgainstSchema(xml: string | WrittenFile, format: DocumentFormat, folder: string): Promise<XsdResult | { skipped: string }> {
  const compiled = await compiledSchemaFor(folder, format);
  if (compiled) {
    const r = validateXmlStream(typeof xml === 'string' ? [xml] : readXmlPieces(xml.file), compiled.schema, DEFAULT_LIMITS);
    if (r) return { valid: r.valid, schema: compiled.file, errors: r.errors };
  }
  const size = typeof xml === 'string' ? xml.length : (await stat(xml.file)).size;
  if (size > MAX_XSD_CHECK_BYTES) {
    return { skipped: `${(size / 1024 / 1024).toFixed(1)} MB is above the ${MAX_XSD_CHECK_BYTES / 1024 / 1024} MB libxml2 reads, and the XSD in ${folder} is not one the streaming check reads (check it with xmllint)` };
  }
  // The file's bytes as they are (written as UTF-8, declared so): not a second copy of it as a string.
  return validateAgainstXsd(typeof xml === 'string' ? xml : await readFile(xml.file), folder, format);
}

/**
 * Checks XML HTR Studio is about to write (its text, or the temporary file it was written
 * to) against the XSD of `format`; throws SchemaInvalidError naming `what` and the first
 * schema error when it fails. Returns undefined when checked, else why it was not (no
 * schema folder, a schema only libxml2 reads and a file too big for it), for a warning.
 */
export async function assertSchemaValid(xml: string | WrittenFile, format: DocumentFormat, what: string, folder: string | undefined): Promise<string | undefined> {
  if (!folder) return NO_FOLDER;
  const r = await checkAgainstSchema(xml, format, folder);
  if ('skipped' in r) return r.skipped;
  assertValid(r, what);
  return undefined;
}

const NO_FOLDER = 'no schema folder (see validate --help)';

function assertValid(r: XsdResult, what: string): void {
  if (!r.valid) throw new SchemaInvalidError(`${what} would not be valid against ${path.basename(r.schema) || 'its schema'} (${r.errors.length} error(s); first: ${r.errors[0] ?? '?'}); nothing written`);
}

/** The XSD check of a file as it is written (schemaCheckAsWritten). */
export interface CheckAsWritten {
  /** Each chunk, as it is written. */
  feed(chunk: string): void;
  /** As assertSchemaValid, once the file is written to `tmp` (read back only where the streaming check could not judge it). */
  assertValid(tmp: string): Promise<string | undefined>;
}

/**
 * The check of a file HTR Studio writes in chunks (convert --to of a big PAGE file),
 * judged as the chunks go by: the file is not read a second time, and what the check
 * holds is the elements open at the chunk's end.
 */
export async function schemaCheckAsWritten(format: DocumentFormat, what: string, folder: string | undefined): Promise<CheckAsWritten> {
  const compiled = folder ? await compiledSchemaFor(folder, format) : undefined;
  const check = compiled && new XsdStreamCheck(compiled.schema, DEFAULT_LIMITS);
  return {
    feed: (chunk) => void check?.feed(chunk),
    async assertValid(tmp) {
      if (!folder) return NO_FOLDER;
      const r = check?.end();
      if (!r) return assertSchemaValid({ file: tmp }, format, what, folder);
      assertValid({ ...r, schema: compiled!.file }, what);
      return undefined;
    },
  };
}
