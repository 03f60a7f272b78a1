/** A new, empty PAGE-XML document for an image that has no transcription file yet. */
import type { PageDocument } from '../../common/model/types.js';
import { writeDocument } from '../../common/formats/document-io.js';
import { pageNamespace } from '../../common/formats/page-versions.js';

export function blankPageXml(imageFilename: string, width: number, height: number, now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')): string {
  const doc: PageDocument = {
    format: { kind: 'page', version: '2019-07-15', namespace: pageNamespace('2019-07-15') },
    metadata: { creator: 'HTR Studio', created: now, lastChange: now, items: [] },
    page: { imageFilename, imageWidth: width, imageHeight: height, alternativeImages: [], labels: [], regions: [] },
  };
  return writeDocument(doc, undefined, { now }).xml;
}
