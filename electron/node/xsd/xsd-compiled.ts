/**
 * The streaming validator's schemas: the XSD for a format from a schema folder, with
 * its imports served from the same folder (never the network), compiled once per file.
 * undefined where the folder's XSD uses a construct the built-in validator does not read
 * (a user's own schema folder may hold anything): the caller then asks libxml2.
 */
import fs from 'node:fs/promises';
import type { DocumentFormat } from '../../common/model/types.js';
import { parseXml } from '../../common/xml/xml-parse.js';
import { attr, type XmlDocument } from '../../common/xml/xml-node.js';
import { compileSchema, XSD_NS } from '../../common/xsd/xsd-compile.js';
import { UnsupportedSchema } from '../../common/xsd/xsd-errors.js';
import type { CompiledSchema } from '../../common/xsd/xsd-types.js';
import { findSchema, schemaCatalog } from './xsd-validate.js';

const compiled = new Map<string, Promise<CompiledSchema | undefined>>();

async function compile(dir: string, file: string): Promise<CompiledSchema | undefined> {
  const main = parseXml(await fs.readFile(file, 'utf8'));
  // What it imports, by namespace from the folder's catalogue, read before compiling (compiling is synchronous).
  const all = await schemaCatalog(dir);
  const docs = new Map<string, XmlDocument>();
  const todo = [main];
  while (todo.length) {
    for (const c of todo.pop()!.root.children) {
      if (c.type !== 'element' || c.uri !== XSD_NS || c.local !== 'import') continue;
      const ns = attr(c, 'namespace') ?? '';
      const found = all.find((s) => s.targetNamespace === ns);
      if (docs.has(ns) || !found) continue;
      const doc = parseXml(await fs.readFile(found.file, 'utf8'));
      docs.set(ns, doc);
      todo.push(doc);
    }
  }
  try {
    return compileSchema(main, (ns) => docs.get(ns));
  } catch (e) {
    if (e instanceof UnsupportedSchema) return undefined;
    throw e;
  }
}

/** The compiled XSD of `format` in `dir`; undefined where there is none or it is not one the built-in validator reads. */
export async function compiledSchemaFor(dir: string, format: DocumentFormat): Promise<{ schema: CompiledSchema; file: string } | undefined> {
  const file = await findSchema(dir, format);
  if (!file) return undefined;
  let c = compiled.get(file);
  if (!c) {
    c = compile(dir, file);
    compiled.set(file, c);
  }
  const schema = await c;
  return schema && { schema, file };
}
