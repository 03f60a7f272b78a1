/**
 * Line image + text pairs for training, as `export --format lines` writes them:
 * NAME.png, NAME.gt.txt and an index lines.tsv (name, page, line id, text, type,
 * source). One writer serves the command line's export and the editor's training
 * job, so both choose, name and skip lines alike; how a line is cut is the
 * caller's (`cutForInput` for a model, or the export's own options).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PageDocument, TextLine } from '../../common/model/types.js';
import { allLines, lineText } from '../../common/model/stats.js';
import { structureOf } from '../../common/formats/alto-tags.js';
import type { GreyImage } from '../images/page-image.js';
import { encodePng, type LineImage } from '../images/line-cut.js';
import { linePolygon } from '../recognition/recognize-page.js';
import { writeFileAtomic } from '../io/files.js';

export type LineCutter = (page: GreyImage, line: TextLine) => Promise<LineImage>;

/** One exported line, as lines.tsv lists it. */
export interface LinePairEntry {
  readonly name: string;
  readonly page: string;
  readonly lineId: string;
  readonly text: string;
}

/**
 * PNG encodes and file writes in flight at once: sharp encodes on its own threads and
 * the disk writes meanwhile, while the next line is cut in JavaScript; a few suffice
 * to overlap them, and the bound keeps memory flat (each holds one line image).
 */
const WRITES_IN_FLIGHT = 4;

export class LinePairWriter {
  private readonly pending = new Set<Promise<void>>();
  private writeError: Error | undefined;
  private readonly index = ['name\tpage\tline_id\ttext\ttype\tsource'];
  /** What was written, for formats that list their lines their own way (PyLaia, Loghi). */
  readonly entries: LinePairEntry[] = [];
  /** Lines to leave out (e.g. the checker's findings), each with the reason counted in `skipped`. */
  leaveOut: ReadonlyMap<string, string> = new Map();
  private readonly used = new Set<string>();
  readonly skipped = new Map<string, number>();
  written = 0;

  /** `excludeTypes`: lines whose type contains one of these words (lower case) are left out. */
  constructor(
    private readonly outDir: string,
    private readonly cut: LineCutter,
    private readonly excludeTypes: readonly string[] = [],
  ) {}

  /** Writes the page's transcribed, cuttable lines; `stem` names them, `page` and `source` go into the index. */
  async addPage(doc: PageDocument, grey: GreyImage, stem: string, page: string, source: string, signal?: AbortSignal): Promise<void> {
    await fs.mkdir(this.outDir, { recursive: true });
    for (const l of allLines(doc.page.regions)) {
      signal?.throwIfAborted();
      const text = lineText(l).replace(/\s+/g, ' ').trim();
      if (!text) {
        this.skip('no transcription');
        continue;
      }
      const why = this.leaveOut.get(l.id);
      if (why) {
        this.skip(why);
        continue;
      }
      const type = structureOf(l.custom)?.type.trim() ?? '';
      const hit = this.excludeTypes.find((w) => type.toLowerCase().includes(w));
      if (hit) {
        this.skip(`of type ${hit}`);
        continue;
      }
      if (!linePolygon(l)) {
        this.skip('no polygon or baseline');
        continue;
      }
      let img;
      try {
        img = await this.cut(grey, l);
      } catch (e) {
        this.skip((e as Error).message.replace(/\d+×\d+/, 'page'));
        continue;
      }
      let name = `${stem}_${l.id || 'line'}`.replace(/[^\p{L}\p{N}._-]+/gu, '_');
      if (this.used.has(name)) {
        let k = 2;
        while (this.used.has(`${name}_${k}`)) k++;
        name = `${name}_${k}`;
      }
      this.used.add(name);
      await this.write(name, img, text);
      this.index.push([name, page, l.id, text, type, source].map((v) => v.replace(/\t/g, ' ')).join('\t'));
      this.entries.push({ name, page, lineId: l.id, text });
      this.written++;
    }
  }

  /** Encodes and writes one pair without waiting for it, unless WRITES_IN_FLIGHT are already under way. */
  private async write(name: string, img: LineImage, text: string): Promise<void> {
    if (this.writeError) throw this.writeError;
    const job = (async () => {
      await fs.writeFile(path.join(this.outDir, `${name}.png`), await encodePng(img));
      await fs.writeFile(path.join(this.outDir, `${name}.gt.txt`), text + '\n');
    })().catch((e: Error) => {
      this.writeError ??= e;
    });
    const tracked = job.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    if (this.pending.size >= WRITES_IN_FLIGHT) await Promise.race(this.pending);
    if (this.writeError) throw this.writeError;
  }

  /** Every pair written (or the first write's error). */
  private async drain(): Promise<void> {
    await Promise.all(this.pending);
    if (this.writeError) throw this.writeError;
  }

  /** lines.tsv, written last and atomically, once every pair is on disk: a folder with an index is a finished export. */
  async finish(): Promise<void> {
    await this.drain();
    await fs.mkdir(this.outDir, { recursive: true });
    await writeFileAtomic(path.join(this.outDir, 'lines.tsv'), this.index.join('\n') + '\n');
  }

  get skippedTotal(): number {
    return [...this.skipped.values()].reduce((a, b) => a + b, 0);
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }
}
