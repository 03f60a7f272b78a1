/**
 * Validation against the official XSDs, from a folder the user names (the
 * schemas are third-party files: HTR Studio does not ship them). Uses libxml2
 * compiled to WebAssembly, so it works the same on Windows, macOS and Linux.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DocumentFormat } from '../../common/model/types.js';

export interface XsdResult {
  readonly valid: boolean;
  readonly schema: string;
  readonly errors: string[];
}

export interface SchemaInfo {
  readonly file: string;
  readonly targetNamespace: string;
}

const XLINK_URL = 'http://www.loc.gov/standards/xlink/xlink.xsd';

async function listXsd(dir: string, out: string[] = []): Promise<string[]> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await listXsd(p, out);
    else if (e.name.endsWith('.xsd')) out.push(p);
  }
  return out;
}

const catalogs = new Map<string, Promise<SchemaInfo[]>>();

/** The XSDs of a folder, each with its target namespace (read once per folder). */
export async function schemaCatalog(dir: string): Promise<SchemaInfo[]> {
  let c = catalogs.get(dir);
  if (!c) {
    c = (async () => {
      const files = await listXsd(dir).catch(() => {
        throw new Error(`cannot read the schema folder ${dir}`);
      });
      return Promise.all(
        files.map(async (file) => {
          const head = await fs.readFile(file, 'utf8');
          return { file, targetNamespace: /targetNamespace="([^"]*)"/.exec(head)?.[1] ?? '' };
        }),
      );
    })();
    catalogs.set(dir, c);
  }
  return c;
}

/** The XSD for a document's declared format and version, or undefined. */
export async function findSchema(dir: string, format: DocumentFormat): Promise<string | undefined> {
  const all = await schemaCatalog(dir);
  const sameNs = all.filter((s) => s.targetNamespace === format.namespace);
  if (format.kind === 'page') return sameNs[0]?.file;
  // ALTO 4.x share one namespace; the minor version picks the file.
  const want = `alto-${format.version.replace('.', '-')}.xsd`;
  const want2 = `alto-v${format.version}.xsd`;
  const exact = sameNs.find((s) => path.basename(s.file) === want || path.basename(s.file) === want2);
  return (exact ?? sameNs.sort((a, b) => b.file.localeCompare(a.file))[0])?.file;
}

/**
 * The text as the schema step reads it: already decoded (readXmlFile handles a BOM and
 * UTF-16), handed over as UTF-8 — so a declaration that names another encoding must
 * say UTF-8 now, or libxml2 decodes the bytes a second time and misreads them.
 */
function asUtf8Declared(xml: string): string {
  const text = xml.replace(/^\uFEFF/, '');
  return text.replace(/^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
}

/** `xml`: text, or UTF-8 bytes whose declaration (if any) says UTF-8 (a file HTR Studio wrote), handed over as they are. */
export async function validateAgainstXsd(xml: string | Uint8Array, dir: string, format: DocumentFormat): Promise<XsdResult> {
  const schema = await findSchema(dir, format);
  if (!schema) {
    return { valid: false, schema: '', errors: [`no XSD in ${dir} declares the namespace ${format.namespace}`] };
  }
  let xsd = await fs.readFile(schema, 'utf8');
  const preload: { fileName: string; contents: string }[] = [];
  if (xsd.includes(XLINK_URL)) {
    // ALTO imports XLink by URL: serve the folder's copy instead, never the network.
    const all = await schemaCatalog(dir);
    const xlink = all.find((s) => s.targetNamespace === 'http://www.w3.org/1999/xlink');
    if (xlink) {
      preload.push({ fileName: 'xlink.xsd', contents: await fs.readFile(xlink.file, 'utf8') });
      xsd = xsd.split(XLINK_URL).join('xlink.xsd');
    }
  }
  // Loaded here, not at start: the commands that never validate do not pay for it.
  const { validateXML, memoryPages } = await import('xmllint-wasm');
  const res = await validateXML({
    xml: [{ fileName: 'document.xml', contents: typeof xml === 'string' ? asUtf8Declared(xml) : xml }],
    schema: [{ fileName: 'schema.xsd', contents: xsd }],
    preload,
    initialMemoryPages: 64 * memoryPages.MiB,
    maxMemoryPages: 2 * memoryPages.GiB,
    // --huge: a polygon of millions of points is one attribute longer than libxml2's default 10 MB limit.
    modifyArguments: (args) => ['--nonet', '--huge', ...args],
  });
  return {
    valid: res.valid,
    schema,
    errors: res.errors.map((e) => (e.loc ? `line ${e.loc.lineNumber}: ${e.message}` : e.message)),
  };
}
