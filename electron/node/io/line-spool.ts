/**
 * The lossless write of a big PAGE file without its lines in memory (#17 item 8): each
 * text line, as the reader takes it (LinesReadAhead), is written at once as the lossless
 * write would write it (writePageLine) into a temporary file beside the output; the model
 * keeps a stand-in without words, glyphs or points; the write of the document copies
 * each line's text back in its place (PageWriteOptions.lineText). The file written is the
 * one writing the whole model would give, to the byte (tests/unit/big-page.test.ts).
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { tempFileBeside } from './files.js';
import type { TextLine } from '../../common/model/types.js';
import { lineStandIn, type LineKeeper } from '../../common/formats/page-read.js';
import { writePageLine, type PageWriteOptions } from '../../common/formats/page-write.js';

/** Text gathered before it goes to the spool file. */
const BATCH_CHARS = 1 << 16;

interface Spooled {
  readonly at: number;
  readonly bytes: number;
  readonly depth: number;
  readonly warnings: readonly string[];
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

  constructor(output: string) {
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
    const warnings: string[] = [];
    const text = writePageLine(line, place, { version: place.version, conform: false }, place.depth, { add: (m) => warnings.push(m) });
    const bytes = Buffer.byteLength(text, 'utf8');
    const standIn = lineStandIn(line);
    this.lines.set(standIn, { at: this.written + this.batchBytes, bytes, depth: place.depth, warnings });
    this.batch += text;
    this.batchBytes += bytes;
    if (this.batch.length > BATCH_CHARS) this.flush();
    return standIn;
  };

  /** For the lossless write's lineText: a stand-in's text, read back (undefined for any other line). */
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
    for (const m of got.warnings) warnings.add(m);
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
