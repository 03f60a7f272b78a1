/**
 * Find and replace across a project's pages. The line texts of every page are kept
 * in an index, refreshed for a page only when its file changed (size, modification
 * time or inode), so a search over a thousand pages reads no file once indexed.
 * A replace across pages writes each page as a save does (under its lock, atomic,
 * the person's change recorded in the lines' history) and keeps the pages as they
 * were, so one Undo puts them all back — page by page, where nobody changed the
 * page since.
 */
import fs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { FindOptions, ProjectFind, ProjectHit, ReplaceOutcome } from '../../common/transcription/find.js';
import { findInLines, replaceInDocument } from '../../common/transcription/find.js';
import { readDocument, writeDocument } from '../../common/formats/document-io.js';
import { allLines, lineConf, lineText } from '../../common/model/stats.js';
import { findRegion, regionsInReadingOrder } from '../../common/model/ops.js';
import { nextUncertainLine } from '../../common/transcription/review.js';
import type { TextLine } from '../../common/model/types.js';
import { recordTextChanges, type LineAuthor } from '../../common/model/provenance.js';
import { readXmlBytes, writeFileAtomic } from '../io/files.js';
import { withFileLock } from '../io/file-lock.js';

export interface SearchPage {
  readonly id: string;
  readonly name: string;
  readonly xmlFile: string | null;
}

/** Hits listed at most: the count says how many there are. */
export const MAX_LISTED_HITS = 2000;

interface Indexed {
  readonly stamp: string;
  readonly lines: readonly TextLine[];
  /** The same lines in reading order, for the review order (F8) across pages. */
  readonly ordered: readonly TextLine[];
}

/** Just what find and review need of a line: its id, text and the text's confidence. */
function slim(l: TextLine): TextLine {
  const conf = lineConf(l);
  return { kind: 'TextLine', id: l.id, textEquivs: [{ unicode: lineText(l), ...(conf !== undefined && { conf }) }], words: [], labels: [], alternativeImages: [] };
}

export class ProjectSearch {
  private readonly index = new Map<string, Indexed>();
  private readonly batches = new Map<string, { pageId: string; file: string; before: string; after: string }[]>();

  constructor(private readonly revisionOf: (file: string) => Promise<string | null>, private readonly revisionOfText: (text: string) => string) {}

  private async linesOf(p: SearchPage): Promise<readonly TextLine[]> {
    return (await this.indexed(p)).lines;
  }

  private async indexed(p: SearchPage): Promise<Indexed> {
    const none: Indexed = { stamp: '', lines: [], ordered: [] };
    if (!p.xmlFile) return none;
    const st = await fs.stat(p.xmlFile).catch(() => undefined);
    if (!st) return none;
    const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
    const known = this.index.get(p.id);
    if (known?.stamp === stamp) return known;
    let lines: TextLine[] = [];
    let ordered: TextLine[] = [];
    try {
      const { text } = await readXmlBytes(p.xmlFile);
      const { doc } = readDocument(text);
      lines = allLines(doc.page.regions).map(slim);
      const byId = new Map(lines.map((l) => [l.id, l]));
      ordered = regionsInReadingOrder(doc).flatMap((id) => findRegion(doc, id)?.lines.flatMap((l) => byId.get(l.id) ?? []) ?? []);
    } catch {
      // A page that does not read has nothing to find; it is reported where it is opened.
    }
    const entry = { stamp, lines, ordered };
    this.index.set(p.id, entry);
    return entry;
  }

  /**
   * Review order across pages (F8 past the open page's last uncertain line): the first
   * line (`step` 1; the last for -1) under `threshold` on the pages after (before) the
   * open one in project order, wrapping round once; null when no other page has one.
   */
  async nextUncertain(pages: readonly SearchPage[], fromPageId: string, threshold: number, step: 1 | -1): Promise<{ pageId: string; lineId: string } | null> {
    const n = pages.length;
    const start = pages.findIndex((p) => p.id === fromPageId);
    for (let k = 1; k < n || (start < 0 && k <= n); k++) {
      const p = pages[(((start + step * k) % n) + n) % n]!;
      if (p.id === fromPageId) continue;
      const lineId = nextUncertainLine((await this.indexed(p)).ordered, null, threshold, step);
      if (lineId) return { pageId: p.id, lineId };
    }
    return null;
  }

  async find(pages: readonly SearchPage[], query: string, opts: FindOptions): Promise<ProjectFind | Error> {
    const hits: ProjectHit[] = [];
    let total = 0;
    let withHits = 0;
    for (const p of pages) {
      const lines = await this.linesOf(p);
      const found = findInLines(lines, query, opts);
      if (found instanceof Error) return found;
      if (found.length) withHits++;
      total += found.length;
      const text = new Map(lines.map((l) => [l.id, lineText(l)]));
      for (const h of found) if (hits.length < MAX_LISTED_HITS) hits.push({ pageId: p.id, pageName: p.name, ...h, lineText: text.get(h.lineId) ?? '' });
    }
    return { hits, total, pages: withHits };
  }

  /** Replaces every hit in these pages, each written as a save; the batch can be undone. */
  async replace(pages: readonly SearchPage[], query: string, replacement: string, opts: FindOptions, by: LineAuthor): Promise<ReplaceOutcome> {
    const batch: { pageId: string; file: string; before: string; after: string }[] = [];
    let replaced = 0;
    const at = new Date().toISOString();
    for (const p of pages) {
      if (!p.xmlFile || !(await this.linesOf(p)).length) continue;
      const file = p.xmlFile;
      await withFileLock(file, async () => {
        const { text } = await readXmlBytes(file);
        const doc = readDocument(text).doc;
        const r = replaceInDocument(doc, query, replacement, opts);
        if (!r.count) return;
        const xml = writeDocument(recordTextChanges(doc, r.doc, by, at)).xml;
        await writeFileAtomic(file, xml);
        batch.push({ pageId: p.id, file, before: text, after: this.revisionOfText(xml) });
        replaced += r.count;
      });
    }
    const batchId = randomUUID();
    if (batch.length) this.batches.set(batchId, batch);
    return { batchId, replaced, pages: batch.map((b) => b.pageId) };
  }

  /** Puts the pages of a replace back as they were, where nobody saved them since; the pages left as they are. */
  async undo(batchId: string): Promise<{ restored: string[]; changedSince: string[] }> {
    const batch = this.batches.get(batchId);
    if (!batch) return { restored: [], changedSince: [] };
    this.batches.delete(batchId);
    const restored: string[] = [];
    const changedSince: string[] = [];
    for (const b of batch) {
      await withFileLock(b.file, async () => {
        if ((await this.revisionOf(b.file)) !== b.after) return void changedSince.push(b.pageId);
        await writeFileAtomic(b.file, b.before);
        restored.push(b.pageId);
      });
    }
    return { restored, changedSince };
  }
}
