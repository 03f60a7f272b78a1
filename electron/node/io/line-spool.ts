/**
 * The write of a big PAGE file without its lines in memory (#17 item 8): each text line,
 * as the reader takes it (LinesReadAhead), is written at once as the write of the whole
 * model would write it (writePageLine) into a temporary file beside the output; the model
 * keeps a stand-in without words, glyphs or points; the write of the document copies each
 * line's text back in its place (PageWriteOptions.lineText). The lossless write keeps the
 * file's version; a conversion to another PAGE version (`convert --to page-2013`) first
 * repairs each line on its own (repairLineAlone) and lets the repair of the whole document
 * take its ids and warnings in their place (RepairOptions.prepared), the stand-in holding
 * the line's id and box. The file written is the one the whole model gives, to the byte
 * (tests/unit/big-page-pieces.test.ts, tests/unit/big-page-convert.test.ts).
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { tempFileBeside } from './files.js';
import type { PageVersion, TextLine } from '../../common/model/types.js';
import { bbox, boxPolygon } from '../../common/model/points.js';
import { lineStandIn, type LineKeeper } from '../../common/formats/page-read.js';
import { writePageLine, type PageWriteOptions } from '../../common/formats/page-write.js';
import { repairLineAlone, type PreparedLine } from '../../common/formats/page-repair.js';

/** Text gathered before it goes to the spool file. */
const BATCH_CHARS = 1 << 16;

interface Spooled {
  readonly at: number;
  readonly bytes: number;
  readonly depth: number;
  /** The writer's warnings for the line, each with its count. */
  readonly warnings: ReadonlyArray<readonly [string, number]>;
  /** A conversion's repair of the line (its `line` the stand-in, or undefined where the repair drops it). */
  readonly prepared?: PreparedLine;
}

/** Warnings gathered as Warnings folds them: each message once, with its count, in the order first given. */
function counting(): { add: (m: string) => void; list: () => Array<[string, number]> } {
  const counts = new Map<string, number>();
  return { add: (m) => void counts.set(m, (counts.get(m) ?? 0) + 1), list: () => [...counts] };
}

export class LineSpool {
  /** The spool file: `.NAME.lines.<12 hex>.tmp` beside the output (removeInterruptedWrites clears one a kill left). */
  readonly file: string;
  /** Opened with the first line (a file that is not PAGE, or not readable, leaves nothing). */
  private fd: number | undefined;
  private written = 0;
  private batch = '';
  private batchBytes = 0;
  private readonly lines = new WeakMap<TextLine, Spooled>();

  /**
   * Why the lines of this file cannot all be written as they are read (a conversion only:
   * an element of a line without an id, a page without a size):
   * the caller writes from the whole model instead. Lines after it are not spooled.
   */
  unfit: string | undefined;

  /** `target`: the PAGE version a conversion writes (conforming to its XSD); without it, the lossless write. */
  constructor(output: string, private readonly target?: PageVersion) {
    this.file = tempFileBeside(output, 'lines');
  }

  private open(): number {
    if (this.fd === undefined) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = openSync(this.file, 'wx+');
    }
    return this.fd;
  }

  /** For readDocument's keepLine: the line written to the spool, a stand-in kept in the model. */
  readonly keepLine: LineKeeper = (line, place) => {
    if (this.target === undefined) {
      const standIn = lineStandIn(line);
      this.spool(standIn, (depth, w) => writePageLine(line, place, { version: place.version, conform: false }, depth, w), place.depth);
      return standIn;
    }
    const target = this.target;
    if (this.unfit !== undefined) return lineStandIn(line);
    const size = place.imageSize;
    const prepared = size && repairLineAlone(line, size.width, size.height);
    if (!prepared) {
      this.unfit = size ? `an element of text line "${line.id}" has no id (generated ids are numbered over the whole document)` : 'the page has no size';
      return lineStandIn(line);
    }
    const repaired = prepared.line;
    if (!repaired) {
      const standIn = lineStandIn(line);
      this.lines.set(standIn, { at: 0, bytes: 0, depth: place.depth, warnings: [], prepared });
      return standIn;
    }
    // What the repair of the whole document takes of the line: its id, and its box for a region without Coords.
    const standIn: TextLine = { ...lineStandIn(line), coords: { points: boxPolygon(bbox(repaired.coords!.points)!) } };
    this.spool(standIn, (depth, w) => writePageLine(repaired, place, { version: target, conform: true }, depth, w), place.depth, { ...prepared, line: standIn });
    return standIn;
  };

  /** For the repair's `prepared` (RepairOptions): a conversion's stand-in's repair (undefined for any other line). */
  readonly prepared = (line: TextLine): PreparedLine | undefined => this.lines.get(line)?.prepared;

  /** The line's text (as `write` makes it at `depth`) into the spool, kept under `standIn`. */
  private spool(standIn: TextLine, write: (depth: number, warnings: { add: (m: string) => void }) => string, depth: number, prepared?: PreparedLine): void {
    const warnings = counting();
    const text = write(depth, warnings);
    const bytes = Buffer.byteLength(text, 'utf8');
    this.lines.set(standIn, { at: this.written + this.batchBytes, bytes, depth, warnings: warnings.list(), ...(prepared && { prepared }) });
    this.batch += text;
    this.batchBytes += bytes;
    if (this.batch.length > BATCH_CHARS) this.flush();
  }

  /** For the write's lineText: a stand-in's text, read back (undefined for any other line). */
  readonly lineText: NonNullable<PageWriteOptions['lineText']> = (line, depth, warnings) => {
    const got = this.lines.get(line);
    if (!got) return undefined;
    // Never a silently different file: the text was written for the depth the line is read at.
    if (got.depth !== depth) throw new Error(`text line "${line.id}" was written for depth ${got.depth}, not ${depth}`);
    this.flush();
    const buf = Buffer.allocUnsafe(got.bytes);
    let done = 0;
    while (done < got.bytes) {
      const n = readSync(this.open(), buf, done, got.bytes - done, got.at + done);
      if (n === 0) throw new Error(`the line spool ${this.file} ended early`);
      done += n;
    }
    for (const [m, n] of got.warnings) for (let i = 0; i < n; i++) warnings.add(m);
    return buf.toString('utf8');
  };

  private flush(): void {
    if (!this.batch) return;
    const fd = this.open();
    const buf = Buffer.from(this.batch, 'utf8');
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, this.written + done);
    this.written += buf.length;
    this.batch = '';
    this.batchBytes = 0;
  }

  /** Closes and removes the spool file. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.file, { force: true });
  }
}
