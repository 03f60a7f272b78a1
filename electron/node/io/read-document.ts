/**
 * Reads a PAGE/ALTO file from disk: decoded once (readXmlFile), and where an ALTO page
 * has no size of its own or from its PrintSpace, the size of the image it names
 * (beside the file, as its fileName says) instead of a refusal.
 */
import path from 'node:path';
import { MissingPageSizeError, readDocument, type ReadOutcome } from '../../common/formats/document-io.js';
import { readXmlFile } from './files.js';

export interface FileReadOutcome extends ReadOutcome {
  /** The decoded text, for the schema step. */
  readonly text: string;
}

export async function readDocumentFile(file: string): Promise<FileReadOutcome> {
  const text = await readXmlFile(file);
  try {
    return { text, ...readDocument(text) };
  } catch (e) {
    if (!(e instanceof MissingPageSizeError) || !e.imageFilename) throw e;
    const image = path.resolve(path.dirname(file), e.imageFilename.replace(/^file:\/\//, ''));
    // sharp only for this case: reading a page file does not load it otherwise.
    const { default: sharp } = await import('sharp');
    const meta = await sharp(image, { limitInputPixels: false }).metadata().catch(() => undefined);
    if (!meta?.width || !meta.height) throw e;
    return { text, ...readDocument(text, { imageSize: { width: meta.width, height: meta.height } }) };
  }
}
