import type { DocumentFormat } from '../model/types.js';
import { ALTO_WRITE_VERSION, altoNamespace } from './alto-versions.js';
import { pageNamespace } from './page-versions.js';
import type { TargetFormat } from './document-io.js';

/** The format and version a conversion target is written in: which official XSD its output must pass. */
export function targetDocumentFormat(target: TargetFormat): DocumentFormat {
  if (target === 'alto-4') return { kind: 'alto', version: ALTO_WRITE_VERSION, namespace: altoNamespace(ALTO_WRITE_VERSION) };
  const version = target === 'page-2013' ? '2013-07-15' : '2019-07-15';
  return { kind: 'page', version, namespace: pageNamespace(version) };
}
