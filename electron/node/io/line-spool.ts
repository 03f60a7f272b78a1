/**
 * The write of a big PAGE file without its lines in memory (#17 item 8): each text line,
 * as the reader takes it (LinesReadAhead), is written at once as the write of the whole
 * model would write it (writePageLine) into a temporary file beside the output; the model
 * keeps a stand-in without words, glyphs or points; the write of the document copies each
 * line's text back in its place (PageWriteOptions.lineText). The lossless write keeps the
 * file's version; a conversion (`convert --to page-2013|page-2019|alto-4`) first repairs
 * each line on its own (repairLineAlone), writes it for the target (writePageLine,
 * writeAltoLine) and lets the repair and the write of the whole document take its ids and
 * warnings in their place (RepairOptions.prepared, AltoWriteOptions.prepared), the stand-in
 * holding the line's id, box and custom. The file written is the one the whole model gives, to the byte
 * (tests/unit/big-page-pieces.test.ts, tests/unit/big-page-convert.test.ts).
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { tempFileBeside } from './files.js';
import type { PageVersion, Points, TextLine } from '../../common/model/types.js';
import { bbox, boxPolygon } from '../../common/model/points.js';
import { lineStandIn, type LineKeeper, type PointsKeeper } from '../../common/formats/page-read.js';
import { BigPoints } from '../../common/formats/big-points.js';
import { writePageLine } from '../../common/formats/page-write.js';
import { PreparedLineConflict, repairLineAlone, type PreparedLine } from '../../common/formats/page-repair.js';
import { writeAltoLine } from '../../common/formats/alto-write-layout.js';
import type { AltoWriteOptions } from '../../common/formats/alto-write.js';
import { ALTO_WRITE_VERSION } from '../../common/formats/alto-versions.js';
import { structureOf } from '../../common/formats/alto-tags.js';
import { Warnings } from '../../common/formats/format-error.js';
import { CHUNK_CHARS } from '../../common/formats/xml-out.js';


interface Spooled {
  readonly at: number;
  readonly bytes: number;
  readonly depth: number;
  /** The writer's warnings for the line, each with its count (Warnings.counted). */
  readonly warnings: ReadonlyArray<readonly [string, number]>;
  /** A conversion's repair of the line (its `line` the stand-in, or undefined where the repair drops it). */
  readonly prepared?: PreparedLine;
  /** ALTO: the line was written with the spool's mark for its TAGREFS (a structure tag, whose ID the whole write gives). */
  readonly marked?: boolean;
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
  /** Stands for a line's TAGREFS in ALTO text written before the tags are numbered. */
  private readonly mark = `tagrefs_${randomBytes(8).toString('hex')}`;

  /**
   * Why the lines of this file cannot all be written as they are read (a conversion only:
   * an element of a line without an id where the target needs one, a page without a size):
   * the caller writes from the whole model instead. Lines after it are not spooled.
   */
  unfit: string | undefined;

  /**
   * `target`: what a conversion writes, conforming to its XSD: a PAGE version, or ALTO
   * (ALTO_WRITE_VERSION); without it, the lossless write.
   */
  /** Big outlines kept as text, not as points (BigPoints): readDocument's keepPoints, the write's pointsText. */
  readonly bigPoints: BigPoints;
  readonly keepPoints: PointsKeeper;
  readonly pointsText: (points: Points) => string | undefined;

  constructor(output: string, private readonly target?: PageVersion | 'alto') {
    this.file = tempFileBeside(output, 'lines');
    this.bigPoints = new BigPoints(target);
    this.keepPoints = this.bigPoints.keep;
    this.pointsText = this.bigPoints.text;
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
    const target = this.target;
    if (target === undefined) {
      const standIn = lineStandIn(line);
      this.spool(standIn, (depth, w) => writePageLine(line, place, { version: place.version, conform: false }, depth, w), place.depth);
      return standIn;
    }
    if (this.unfit !== undefined) return lineStandIn(line);
    const size = place.imageSize;
    const prepared = size && repairLineAlone(line, size.width, size.height, { target: target === 'alto' ? 'alto' : 'page' });
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
    // What the write of the whole document takes of the line: its id, its box (for a region
    // without Coords), its custom (ALTO: the warnings and the tag of its TAGREFS).
    const standIn: TextLine = {
      ...lineStandIn(line), id: repaired.id, ...(repaired.custom !== undefined && { custom: repaired.custom }),
      coords: { points: boxPolygon(bbox(repaired.coords!.points)!) },
    };
    if (target !== 'alto') {
      this.spool(standIn, (depth, w) => writePageLine(repaired, place, { version: target, conform: true }, depth, w), place.depth, { ...prepared, line: standIn });
      return standIn;
    }
    // In ALTO the line sits two levels deeper (alto, Layout, Page, PrintSpace, TextBlock) where its region is a
    // TextBlock in the PrintSpace, or in a ComposedBlock: elsewhere the write finds another depth and gives way.
    const tagrefs = structureOf(repaired.custom) ? this.mark : undefined;
    this.spool(standIn, (depth, w) => writeAltoLine(repaired, ALTO_WRITE_VERSION, depth, tagrefs, w), place.depth + 2, { ...prepared, line: standIn }, tagrefs !== undefined);
    return standIn;
  };

  /** For the repair's `prepared` (RepairOptions): a conversion's stand-in's repair (undefined for any other line). */
  readonly prepared = (line: TextLine): PreparedLine | undefined => this.lines.get(line)?.prepared;

  /** For the ALTO write (AltoWriteOptions.prepared): the ids a stand-in's text holds, and the text. */
  readonly alto: NonNullable<AltoWriteOptions['prepared']> = {
    ids: (line) => {
      const p = this.lines.get(line)?.prepared;
      return p && (p.ids ? p.ids.split(' ') : []);
    },
    lineText: (line, depth, warnings, tagrefs) => this.lineText(line, depth, warnings, tagrefs),
  };

  /** The line's text (as `write` makes it at `depth`) into the spool, kept under `standIn`. */
  private spool(standIn: TextLine, write: (depth: number, warnings: Warnings) => string, depth: number, prepared?: PreparedLine, marked?: boolean): void {
    const warnings = new Warnings();
    const text = write(depth, warnings);
    const bytes = Buffer.byteLength(text, 'utf8');
    this.lines.set(standIn, { at: this.written + this.batchBytes, bytes, depth, warnings: warnings.counted(), ...(prepared && { prepared }), ...(marked && { marked }) });
    this.batch += text;
    this.batchBytes += bytes;
    if (this.batch.length > CHUNK_CHARS) this.flush();
  }

  /**
   * For the write's lineText: a stand-in's text, read back (undefined for any other line);
   * ALTO's with `tagrefs` in place of the mark.
   */
  readonly lineText = (line: TextLine, depth: number, warnings: Pick<Warnings, 'add'>, tagrefs?: string): string | undefined => {
    const got = this.lines.get(line);
    if (!got) return undefined;
    // Never a silently different file: the text was written for the depth the line is read at.
    if (got.depth !== depth) {
      const message = `text line "${line.id}" was written for depth ${got.depth}, not ${depth}`;
      throw this.target === undefined ? new Error(message) : new PreparedLineConflict(message);
    }
    if (!got.marked && tagrefs !== undefined) throw new PreparedLineConflict(`text line "${line.id}" was written without the TAGREFS "${tagrefs}"`);
    this.flush();
    const buf = Buffer.allocUnsafe(got.bytes);
    let done = 0;
    while (done < got.bytes) {
      const n = readSync(this.open(), buf, done, got.bytes - done, got.at + done);
      if (n === 0) throw new Error(`the line spool ${this.file} ended early`);
      done += n;
    }
    for (const [m, n] of got.warnings) for (let i = 0; i < n; i++) warnings.add(m);
    const text = buf.toString('utf8');
    if (!got.marked) return text;
    const at = text.indexOf(` TAGREFS="${this.mark}"`);
    if (at < 0) throw new Error(`text line "${line.id}" lost its TAGREFS mark in the spool`);
    return text.slice(0, at) + (tagrefs === undefined ? '' : ` TAGREFS="${tagrefs}"`) + text.slice(at + ` TAGREFS="${this.mark}"`.length);
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
