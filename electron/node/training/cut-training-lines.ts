/**
 * Training lines from page documents, for jobs that have the documents in hand
 * (the editor's training job). The pixels come from cutForInput — the one line
 * cutter, which recognition and `export --format lines --cut-as` use too — and
 * the files are written by the export's own LinePairWriter (NAME.png, NAME.gt.txt,
 * lines.tsv with the page column finetune.py counts pages by).
 */
import fs from 'node:fs/promises';
import type { PageDocument } from '../../common/model/types.js';
import type { RecognitionInput } from '../../common/model-manifest/manifest.js';
import { allLines, lineText } from '../../common/model/stats.js';
import { loadGrey } from '../images/page-image.js';
import { cutForInput } from '../recognition/recognize-page.js';
import { LinePairWriter } from '../export/line-pairs.js';

/** Line types that are not handwriting (pre-printed form headers): left out, as `train` does with --exclude-type. */
export const NOT_HANDWRITING = ['print', 'typewrit'];

export interface TrainingPage {
  readonly name: string;
  readonly doc: PageDocument;
  readonly imageFile: string;
}

/** Writes every transcribed, cuttable line of `pages` into `outDir`; returns the number written. */
export async function cutTrainingLines(pages: readonly TrainingPage[], input: RecognitionInput, outDir: string, signal?: AbortSignal): Promise<number> {
  await fs.rm(outDir, { recursive: true, force: true });
  const writer = new LinePairWriter(outDir, (grey, l) => cutForInput(grey, l, input), NOT_HANDWRITING);
  for (const p of pages) {
    signal?.throwIfAborted();
    const grey = await loadGrey(p.imageFile, { expectWidth: p.doc.page.imageWidth, expectHeight: p.doc.page.imageHeight });
    await writer.addPage(p.doc, grey, p.name, p.name, p.imageFile, signal);
  }
  await writer.finish();
  return writer.written;
}

/** Transcribed lines of a document (what training would use), for the editor's page picker. */
export function transcribedLines(doc: PageDocument): number {
  return allLines(doc.page.regions).filter((l) => lineText(l).trim()).length;
}
