/**
 * Reads a PAGE/ALTO file from disk: decoded once (readXmlFile), and where an ALTO page
 * has no size of its own or from its PrintSpace, the size of the image it names
 * (beside the file, as its fileName says) instead of a refusal.
 */
import path from 'node:path';
import { MissingPageSizeError, readDocument, type ReadOptions, type ReadOutcome } from '../../common/formats/document-io.js';
import { readXmlFile, readXmlPieces } from './files.js';

export interface FileReadOutcome extends ReadOutcome {
  /** The decoded text, for the schema step. */
  readonly text: string;
}

export async function readDocumentFile(file: string): Promise<FileReadOutcome> {
  const text = await readXmlFile(file);
  return { text, ...(await withImageSize(file, (opts) => readDocument(text, opts))) };
}

/**
 * As readDocumentFile, the file read and parsed in pieces (readXmlPieces) and its text
 * not kept: a big file is never one string. `keepLine`, `keepPoints`: what the model keeps
 * of each PAGE line and of a big outline's points (ReadOptions).
 */
export async function readDocumentPieces(file: string, opts: Pick<ReadOptions, 'keepLine' | 'keepPoints'> = {}): Promise<ReadOutcome> {
  return withImageSize(file, (more) => readDocument(readXmlPieces(file), { ...opts, ...more }));
}

/** `read`, again with the size of the image the file names where an ALTO page has none of its own. */
async function withImageSize(file: string, read: (opts: ReadOptions) => ReadOutcome): Promise<ReadOutcome> {
  try {
    return read({});
  } catch (e) {
    if (!(e instanceof MissingPageSizeError) || !e.imageFilename) throw e;
    const image = path.resolve(path.dirname(file), e.imageFilename.replace(/^file:\/\//, ''));
    // sharp only for this case: reading a page file does not load it otherwise.
    const { default: sharp } = await import('sharp');
    const meta = await sharp(image, { limitInputPixels: false }).metadata().catch(() => undefined);
    if (!meta?.width || !meta.height) throw e;
    return read({ imageSize: { width: meta.width, height: meta.height } });
  }
}
