/**
 * Training lines from page documents, for jobs that have the documents in hand
 * (the editor's training job). The pixels come from cutForInput — the one line
 * cutter, which recognition and `export --format lines --cut-as` use too — and
 * the files are laid out as that export writes them (NAME.png, NAME.gt.txt,
 * lines.tsv with the page column finetune.py counts pages by).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PageDocument } from '../../common/model/types.js';
import type { RecognitionInput } from '../../common/models/manifest.js';
import { allLines, lineText } from '../../common/model/stats.js';
import { structureOf } from '../../common/formats/alto-tags.js';
import { loadGrey } from '../images/page-image.js';
import { encodePng } from '../images/line-cut.js';
import { cutForInput } from '../recognition/recognize-page.js';
import { writeFileAtomic } from '../io/files.js';

/** Line types that are not handwriting (pre-printed form headers): left out, as `train` does with --exclude-type. */
const NOT_HANDWRITING = ['print', 'typewrit'];

export interface TrainingPage {
  readonly name: string;
  readonly doc: PageDocument;
  readonly imageFile: string;
}

/** Writes every transcribed, cuttable line of `pages` into `outDir`; returns the number written. */
export async function cutTrainingLines(pages: readonly TrainingPage[], input: RecognitionInput, outDir: string, signal?: AbortSignal): Promise<number> {
  await fs.rm(outDir, { recursive: true, force: true });
  await fs.mkdir(outDir, { recursive: true });
  const index = ['name\tpage\tline_id\ttext\ttype'];
  const used = new Set<string>();
  for (const p of pages) {
    signal?.throwIfAborted();
    const grey = await loadGrey(p.imageFile, { expectWidth: p.doc.page.imageWidth, expectHeight: p.doc.page.imageHeight });
    for (const l of allLines(p.doc.page.regions)) {
      const text = lineText(l).replace(/\s+/g, ' ').trim();
      const type = structureOf(l.custom)?.type.trim() ?? '';
      if (!text || NOT_HANDWRITING.some((w) => type.toLowerCase().includes(w))) continue;
      let img;
      try {
        img = await cutForInput(grey, l, input);
      } catch {
        continue; // no polygon or baseline, or outside the image: not a training line
      }
      let name = `${p.name}_${l.id || 'line'}`.replace(/[^\p{L}\p{N}._-]+/gu, '_');
      for (let k = 2; used.has(name); k++) name = `${name.replace(/_\d+$/, '')}_${k}`;
      used.add(name);
      await fs.writeFile(path.join(outDir, `${name}.png`), await encodePng(img));
      await fs.writeFile(path.join(outDir, `${name}.gt.txt`), text + '\n');
      index.push(`${name}\t${p.name}\t${l.id}\t${text.replace(/\t/g, ' ')}\t${type.replace(/\t/g, ' ')}`);
    }
  }
  await writeFileAtomic(path.join(outDir, 'lines.tsv'), index.join('\n') + '\n');
  return index.length - 1;
}

/** Transcribed lines of a document (what training would use), for the editor's page picker. */
export function transcribedLines(doc: PageDocument): number {
  return allLines(doc.page.regions).filter((l) => lineText(l).trim()).length;
}
