/** METS 1.x validation against the shared corpus's XSD (offline: the XLink import served from the schema folder), with libxml2 in WebAssembly. */
import fs from 'node:fs';
import path from 'node:path';
import { validateXML, memoryPages } from 'xmllint-wasm';
import { SCHEMAS } from './corpus.js';

const XLINK_URL = 'http://www.loc.gov/standards/xlink/xlink.xsd';

/** The schema's complaints about a METS text ([] when valid). */
export async function metsXsdErrors(xml: string): Promise<string[]> {
  const xsd = fs.readFileSync(path.join(SCHEMAS, 'mets', 'mets-1.12.1.xsd'), 'utf8').split(XLINK_URL).join('xlink.xsd');
  const res = await validateXML({
    xml: [{ fileName: 'mets.xml', contents: xml }],
    schema: [{ fileName: 'mets.xsd', contents: xsd }],
    preload: [{ fileName: 'xlink.xsd', contents: fs.readFileSync(path.join(SCHEMAS, 'xlink', 'xlink.xsd'), 'utf8') }],
    initialMemoryPages: 64 * memoryPages.MiB,
    maxMemoryPages: 2 * memoryPages.GiB,
    modifyArguments: (args) => ['--nonet', ...args],
  });
  return res.valid ? [] : res.errors.map((e) => e.message);
}
