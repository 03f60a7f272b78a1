// The official PAGE, ALTO and METS XSDs, for `validate` and for checking what
// `convert --to` and `export` write: copied at build time into dist/schemas (and
// from there into an installer's resources/schemas), never into the repository,
// since they are third-party files. From HTR_STUDIO_SCHEMAS_SOURCE (a folder laid
// out as page/<version>/pagecontent.xsd, alto/alto-N-M.xsd, mets/, xlink/xlink.xsd),
// else, in a checkout with the team's corpus beside it, ../shared/corpus/schemas.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const NOTICE = `Official XML schemas, unmodified, copied here when HTR Studio was built.

- page/<version>/pagecontent.xsd: PAGE content schemas, PRImA Research Lab
  (github.com/PRImA-Research-Lab/PAGE-XML), Apache License 2.0.
- alto/alto-N-M.xsd: ALTO schemas, ALTO Board / Library of Congress
  (github.com/altoxml/schema), CC BY-SA 4.0 (statement in each file's header).
- mets/*.xsd: METS schemas, METS Board (github.com/mets/METS-schema), CC0 1.0
  (statement in each file's header).
- xlink/xlink.xsd: the XLink schema as distributed with METS (imported by ALTO and
  METS 1.x; HTR Studio serves this copy instead of fetching it).
`;

/** The folder to copy from, or undefined. */
export function findSchemaSource(root, env = process.env) {
  if (env.HTR_STUDIO_SCHEMAS_SOURCE) return existsSync(env.HTR_STUDIO_SCHEMAS_SOURCE) ? env.HTR_STUDIO_SCHEMAS_SOURCE : undefined;
  const beside = path.resolve(root, '..', 'shared', 'corpus', 'schemas');
  return existsSync(beside) ? beside : undefined;
}

function copyXsds(from, to) {
  let n = 0;
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    if (e.isDirectory()) n += copyXsds(src, path.join(to, e.name));
    else if (e.name.endsWith('.xsd') && statSync(src).size < 4 * 1024 * 1024) {
      mkdirSync(to, { recursive: true });
      copyFileSync(src, path.join(to, e.name));
      n++;
    }
  }
  return n;
}

/** Copies the XSDs and a notice of their licences into `outDir`; says so when there is no source. */
export function copySchemas(root, outDir) {
  const source = findSchemaSource(root);
  if (!source) {
    console.warn('build: no official XSDs found (set HTR_STUDIO_SCHEMAS_SOURCE): validate, convert --to and export will not check against them unless given --schemas.');
    return 0;
  }
  rmSync(outDir, { recursive: true, force: true });
  const n = copyXsds(source, outDir);
  writeFileSync(path.join(outDir, 'NOTICE.txt'), NOTICE);
  return n;
}
